import AssayCore
import Foundation

@testable import AssayTraces

/// The labelled trace fixtures in examples/traces, read from the repository.
enum TraceFixtures {
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: repoRoot.appendingPathComponent(relativePath), encoding: .utf8)
    }

    static func lines(_ relativePath: String) throws -> [String] {
        try text(relativePath).split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    }

    /// The 36 traces of traces.jsonl.
    static func traces() throws -> [Trace] {
        try lines("examples/traces/traces.jsonl").map { line in try TraceJSON.decode(JSONValue.parse(line)).get() }
    }

    /// labels.jsonl, one label per trace.
    static func labels() throws -> [TraceLabel] {
        try lines("examples/traces/labels.jsonl").map { line in try TraceLabel.decode(JSONValue.parse(line)).get() }
    }

    static func trace(_ prefix: String) throws -> Trace {
        guard let found = try traces().first(where: { $0.traceID.hasPrefix(prefix) }) else {
            throw FixtureError(message: "no trace \(prefix)")
        }
        return found
    }

    struct FixtureError: Error { var message: String }
}
