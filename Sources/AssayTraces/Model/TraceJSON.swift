import AssayCore
import Foundation

/// Why a JSON value could not become a trace at all. The descriptions are what a user sees next
/// to the file and line ("skipped: no trace id").
public enum TraceJSONProblem: Error, Sendable, Hashable, CustomStringConvertible {
    case notAnObject(found: String)
    /// No `trace_id`, or a blank one: no document or pattern id can be derived.
    case noTraceID
    case traceIDTooLong(length: Int)
    /// A trace id with a NUL character (`\u0000`), which would be cut there as a document id.
    case nulInTraceID
    /// No `timestamp`, or one that is not RFC 3339 (`detail` says which).
    case noTimestamp(detail: String?)

    public var description: String {
        switch self {
        case .notAnObject(let found): "skipped: not a trace (expected a JSON object, found \(found))"
        case .noTraceID: "skipped: no trace id"
        case .traceIDTooLong(let length): "skipped: trace id is \(length) characters long (at most \(TraceJSON.maxTraceIDLength))"
        case .nulInTraceID: "skipped: the trace id contains a NUL character (\\u0000)"
        case .noTimestamp(let detail?): "skipped: no timestamp (\(detail))"
        case .noTimestamp(nil): "skipped: no timestamp"
        }
    }
}

/// Reads one trace from its JSON object, in the format of `examples/traces/README.md`: snake_case
/// keys as most exporters write them, with the camelCase spellings of OTLP/JSON accepted too
/// (`traceId`, `spanId`, `parentSpanId`, `startTime`). Missing ids and timestamps refuse the
/// trace; missing spans, names and statuses only make it incomplete.
public enum TraceJSON {
    /// The schema's limit on `source_trace_id`.
    public static let maxTraceIDLength = 256

    public static func decode(_ value: JSONValue) -> Result<Trace, TraceJSONProblem> {
        guard case .object(let object) = value else { return .failure(.notAnObject(found: value.kindDescription)) }

        guard let traceID = string(object, "trace_id", "traceId", "traceID"),
            !traceID.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        else { return .failure(.noTraceID) }
        guard traceID.count <= maxTraceIDLength else { return .failure(.traceIDTooLong(length: traceID.count)) }
        guard !traceID.utf8.contains(0) else { return .failure(.nulInTraceID) }

        let timestamp: Date
        switch first(object, "timestamp") {
        case nil, .null?:
            return .failure(.noTimestamp(detail: nil))
        case .string(let text)?:
            guard let date = RFC3339.parse(text.trimmingCharacters(in: .whitespaces)) else {
                return .failure(.noTimestamp(detail: "'\(String(text.prefix(40)))' is not an RFC 3339 date-time"))
            }
            timestamp = date
        case let other?:
            return .failure(.noTimestamp(detail: "timestamp is \(other.kindDescription), not an RFC 3339 date-time text"))
        }

        var extra: [String] = []
        var spans: [Span] = []
        switch first(object, "spans") {
        case .array(let items)?:
            for (i, item) in items.enumerated() {
                if let span = span(item) {
                    spans.append(span)
                } else {
                    extra.append("span \(i + 1) is not a JSON object (skipped)")
                }
            }
        case nil, .null?:
            break
        case let other?:
            extra.append("'spans' is \(other.kindDescription), not a list")
        }
        let service = string(object, "service", "service_name", "serviceName")
        let gaps = Trace.structuralGaps(of: spans)
        // "no spans" says it all when every span was unusable.
        let reasons = spans.isEmpty ? extra + gaps : gaps + extra
        return .success(
            Trace(
                traceID: traceID, timestamp: timestamp, service: service, spans: spans,
                incompleteReasons: reasons))
    }

    static func span(_ value: JSONValue) -> Span? {
        guard case .object(let o) = value else { return nil }
        let status: SpanStatus?
        switch first(o, "status") {
        case .object(let s)?:
            let code = first(s, "code").flatMap(SpanStatus.Code.init(source:))
            let message = string(s, "message", "description")
            status = code.map { SpanStatus(code: $0, message: message) }
        case let scalar?:
            status = SpanStatus.Code(source: scalar).map { SpanStatus(code: $0) }
        case nil:
            status = nil
        }
        return Span(
            spanID: string(o, "span_id", "spanId", "spanID") ?? "",
            parentSpanID: string(o, "parent_span_id", "parentSpanId", "parent_id"),
            name: string(o, "name"),
            kind: first(o, "kind").flatMap(SpanKind.init(source:)),
            start: string(o, "start_time", "startTime").flatMap(RFC3339.parse),
            end: string(o, "end_time", "endTime").flatMap(RFC3339.parse),
            status: status,
            attributes: attributes(first(o, "attributes")),
            events: (first(o, "events")?.arrayValue ?? []).compactMap(event))
    }

    static func event(_ value: JSONValue) -> SpanEvent? {
        guard case .object(let o) = value, let name = string(o, "name") else { return nil }
        return SpanEvent(
            name: name, timestamp: string(o, "timestamp", "time").flatMap(RFC3339.parse),
            attributes: attributes(first(o, "attributes")))
    }

    /// An attribute object as given, or OTLP/JSON's list of `{key, value: {stringValue: ...}}`.
    static func attributes(_ value: JSONValue?) -> OrderedDictionary<String, JSONValue> {
        switch value {
        case .object(let o)?: return o
        case .array(let items)?:
            var result = OrderedDictionary<String, JSONValue>()
            for item in items {
                guard let key = item["key"]?.stringValue else { continue }
                result[key] = otlpValue(item["value"] ?? .null)
            }
            return result
        default: return [:]
        }
    }

    /// OTLP's AnyValue wrapper (`{"intValue": "42"}`) as a plain JSON value.
    static func otlpValue(_ value: JSONValue) -> JSONValue {
        guard case .object(let o) = value, let (key, inner) = o.elements.first, o.count == 1 else { return value }
        switch key {
        case "stringValue", "boolValue", "doubleValue": return inner
        case "intValue": return inner.stringValue.flatMap(Double.init).map(JSONValue.number) ?? inner
        case "arrayValue": return .array((inner["values"]?.arrayValue ?? []).map(otlpValue))
        case "kvlistValue": return .object(attributes(inner["values"]))
        default: return value
        }
    }

    // MARK: - Helpers

    static func first(_ object: OrderedDictionary<String, JSONValue>, _ keys: String...) -> JSONValue? {
        keys.lazy.compactMap { object[$0] }.first
    }

    /// A non-empty string under one of `keys`.
    static func string(_ object: OrderedDictionary<String, JSONValue>, _ keys: String...) -> String? {
        for key in keys {
            if case .string(let s)? = object[key], !s.isEmpty { return s }
        }
        return nil
    }

}
