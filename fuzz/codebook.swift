// libFuzzer harness: the codebook loader (YAML through Yams, and JSON), on arbitrary bytes.
// Built and run by scripts/fuzz.sh, not by SwiftPM.
import AssayCore
import AssayIngest
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCodebook(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    for format in CodebookFormat.allCases {
        guard let codebook = try? CodebookLoader.decode(text, format: format) else { continue }
        // The loader promises that its YAML loads back as the same codebook.
        guard let yaml = try? CodebookLoader.yaml(codebook) else { fatalError("a loaded codebook cannot be written") }
        do {
            let again = try CodebookLoader.decode(yaml, format: .yaml)
            precondition(again == codebook, "the written codebook loads differently:\n\(yaml.prefix(500))")
        } catch {
            fatalError("the written codebook does not load: \(error)\n\(yaml.prefix(500))")
        }
    }
    return 0
}
