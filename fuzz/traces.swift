// libFuzzer harness: the trace reader (JSON and JSONL) and the rendering of every trace it
// accepts, on arbitrary bytes. Built and run by scripts/fuzz.sh, not by SwiftPM.
import AssayCore
import AssayIngest
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTraces(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(UnsafeBufferPointer(start: data, count: size))
    for source in ["fuzz.jsonl", "fuzz.json"] {
        for trace in TraceReader.read(bytes, source: source).traces {
            let prepared = PreparedTrace(trace)
            // The rendering is what is stored and sent: it must stay within its limit (plus the marker line).
            precondition(prepared.text.utf8.count <= TraceLimits().maxPayloadBytes + 1024, "rendering over its limit")
            _ = prepared.documentInput
        }
    }
    _ = LabelReader.read(bytes, source: "labels.jsonl")
    return 0
}
