// libFuzzer harness: the JSON reader (JSONValue.parse), the reply repair and the JSON/JSONL
// record reader, on arbitrary bytes. Built and run by scripts/fuzz.sh, not by SwiftPM.
import AssayCore
import AssayIngest
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let text = String(decoding: bytes, as: UTF8.self)
    if let value = try? JSONValue.parse(text) {
        // What Assay writes it must read back as the same value: stored values, metadata and
        // schemas go through this round trip.
        let written = value.serialized()
        guard let again = try? JSONValue.parse(written) else { fatalError("serialized JSON does not parse: \(written.prefix(200))") }
        precondition(again == value, "round trip changed the value: \(written.prefix(200))")
    }
    _ = try? ResponseRepair.parse(text)
    _ = Ingestor.read(Data(bytes), source: "fuzz.jsonl")
    _ = Ingestor.read(Data(bytes), source: "fuzz.json")
    return 0
}
