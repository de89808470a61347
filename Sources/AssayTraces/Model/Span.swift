import AssayCore
import Foundation

/// One operation in a trace: an LLM call, a tool call, a retrieval, an agent step, an HTTP request.
/// Fields the source left out stay nil, so the reader can say what was missing.
public struct Span: Sendable, Hashable {
    public var spanID: String
    /// Nil for a root span.
    public var parentSpanID: String?
    /// Nil when the source gave no name (the trace is then flagged incomplete).
    public var name: String?
    /// The OpenTelemetry span kind; nil when not given.
    public var kind: SpanKind?
    public var start: Date?
    public var end: Date?
    /// Nil when the source gave no status (the trace is then flagged incomplete).
    public var status: SpanStatus?
    /// Attributes in source order, values as given (strings, numbers, arrays, objects). Both
    /// nested (`llm.input_messages: [...]`) and flattened (`llm.input_messages.0.message.content`)
    /// forms occur.
    public var attributes: OrderedDictionary<String, JSONValue>
    public var events: [SpanEvent]

    public init(
        spanID: String, parentSpanID: String? = nil, name: String?, kind: SpanKind? = nil,
        start: Date? = nil, end: Date? = nil, status: SpanStatus?,
        attributes: OrderedDictionary<String, JSONValue> = [:], events: [SpanEvent] = []
    ) {
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.name = name
        self.kind = kind
        self.start = start
        self.end = end
        self.status = status
        self.attributes = attributes
        self.events = events
    }

    /// The name, or a stand-in that says it is missing.
    public var displayName: String { name ?? "(unnamed span)" }

    /// End minus start, when both are known and in order.
    public var duration: TimeInterval? {
        guard let start, let end, end >= start else { return nil }
        return end.timeIntervalSince(start)
    }

    public var isError: Bool { status?.code == .error }
}

/// OpenTelemetry's SpanKind.
public enum SpanKind: String, Sendable, Hashable, CaseIterable {
    case `internal` = "INTERNAL"
    case server = "SERVER"
    case client = "CLIENT"
    case producer = "PRODUCER"
    case consumer = "CONSUMER"

    /// Reads `CLIENT`, `client`, OTLP's `SPAN_KIND_CLIENT` and its numbers (1 internal … 5 consumer).
    public init?(source: JSONValue) {
        switch source {
        case .string(let text):
            var name = text.uppercased()
            if name.hasPrefix("SPAN_KIND_") { name.removeFirst("SPAN_KIND_".count) }
            guard let kind = SpanKind(rawValue: name) else { return nil }
            self = kind
        case .number(let n):
            let order: [SpanKind] = [.internal, .server, .client, .producer, .consumer]
            guard n >= 1, n <= 5, n.rounded() == n else { return nil }
            self = order[Int(n) - 1]
        default:
            return nil
        }
    }
}

/// A span's outcome: OK, ERROR (usually with a message) or UNSET.
public struct SpanStatus: Sendable, Hashable {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        case unset = "UNSET"
        case ok = "OK"
        case error = "ERROR"

        /// Reads `OK`, `ok`, OTLP's `STATUS_CODE_ERROR` and its numbers (0 unset, 1 ok, 2 error).
        public init?(source: JSONValue) {
            switch source {
            case .string(let text):
                var name = text.uppercased()
                if name.hasPrefix("STATUS_CODE_") { name.removeFirst("STATUS_CODE_".count) }
                guard let code = Code(rawValue: name) else { return nil }
                self = code
            case .number(let n):
                guard n >= 0, n <= 2, n.rounded() == n else { return nil }
                self = [.unset, .ok, .error][Int(n)]
            default:
                return nil
            }
        }
    }

    public var code: Code
    public var message: String?

    public init(code: Code, message: String? = nil) {
        self.code = code
        self.message = message
    }
}

/// Something that happened at a point in a span: an `exception`, a `user_feedback`, a log line.
public struct SpanEvent: Sendable, Hashable {
    public var name: String
    public var timestamp: Date?
    public var attributes: OrderedDictionary<String, JSONValue>

    public init(name: String, timestamp: Date? = nil, attributes: OrderedDictionary<String, JSONValue> = [:]) {
        self.name = name
        self.timestamp = timestamp
        self.attributes = attributes
    }
}
