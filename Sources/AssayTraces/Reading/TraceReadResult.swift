import AssayCore
import AssayIngest

/// Where a trace (or a problem) was read: a file, and the line of a JSONL file or the record of
/// a JSON array. Reads as `traces.jsonl:2`, `batch.json record 3` or `one.json`.
public struct TraceSource: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based line in a JSONL file.
    public var line: Int?
    /// 1-based position in a JSON array.
    public var record: Int?

    public init(file: String, line: Int? = nil, record: Int? = nil) {
        self.file = file
        self.line = line
        self.record = record
    }

    public var description: String {
        if let line { return "\(file):\(line)" }
        if let record { return "\(file) record \(record)" }
        return file
    }
}

/// Why a trace file, line or record was not read as a trace.
public struct TraceReadProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Not JSON (a line cut off mid-record, a stray character).
        case malformedJSON = "malformed_json"
        /// JSON, but not a trace object (an array inside a line, a number).
        case notATrace = "not_a_trace"
        case noTraceID = "no_trace_id"
        case noTimestamp = "no_timestamp"
        /// A trace id already read earlier in the same batch (ids are compared trimmed and lowercased,
        /// as pattern ids are derived).
        case duplicateTraceID = "duplicate_trace_id"
        case fileTooLarge = "file_too_large"
        case unreadableFile = "unreadable_file"
        case unsupportedFile = "unsupported_file"
        case emptyFile = "empty_file"
        /// A line of a labels file that is not a label.
        case invalidLabel = "invalid_label"
    }

    public var kind: Kind
    public var source: TraceSource
    /// What a user reads: "skipped: no trace id".
    public var reason: String

    public init(kind: Kind, source: TraceSource, reason: String) {
        self.kind = kind
        self.source = source
        self.reason = reason
    }

    public var description: String { "\(source): \(reason)" }
}

/// One trace read from a file, or the reason a file, line or record gave none. A trace may be
/// structurally incomplete (`Trace.incompleteReasons`); it is read anyway and its pattern gets a
/// lower confidence.
public enum TraceReadResult: Sendable, Hashable {
    case trace(Trace, source: TraceSource)
    case problem(TraceReadProblem)

    public var trace: Trace? { if case .trace(let trace, _) = self { trace } else { nil } }
    public var problem: TraceReadProblem? { if case .problem(let problem) = self { problem } else { nil } }

    public var source: TraceSource {
        switch self {
        case .trace(_, let source): source
        case .problem(let problem): problem.source
        }
    }
}

extension Array where Element == TraceReadResult {
    /// The traces read, in file order.
    public var traces: [Trace] { compactMap(\.trace) }
    /// The problems met, in file order.
    public var problems: [TraceReadProblem] { compactMap(\.problem) }
}
