import AssayCore
import Foundation

/// One piece of evidence read from a trace without a model: an error status, an exception, an
/// HTTP status, a limit reached, a repeated call, a feedback event. The shape of the schema's
/// `evidence.signals` items; values are redacted and at most 200 characters.
public struct Signal: Sendable, Hashable {
    /// Where the signal was read.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A span's name: its presence, absence or repetition.
        case spanName = "span_name"
        case status, attribute, event, log
    }

    public var kind: Kind
    /// The span name, attribute key, event name or log source, e.g. `run_sql`, `http.response.status_code`.
    public var name: String
    /// What was observed: a string, a number or a boolean.
    public var value: JSONValue
    /// The span it was read from: 16 lowercase hex characters, or nil.
    public var spanID: String?

    public init(kind: Kind, name: String, value: JSONValue, spanID: String? = nil) {
        self.kind = kind
        self.name = name
        self.value = value
        self.spanID = spanID
    }

    /// The signal as a schema `evidence.signals` item.
    public var json: JSONValue {
        var object: OrderedDictionary<String, JSONValue> = ["kind": .string(kind.rawValue), "name": .string(name), "value": value]
        if let spanID { object["span_id"] = .string(spanID) }
        return .object(object)
    }

    /// Reads a signal back from `json` (as stored in a trace document's metadata); nil when it
    /// is not one.
    public init?(json: JSONValue) {
        guard let kind = json["kind"]?.stringValue.flatMap(Kind.init(rawValue:)), let name = json["name"]?.stringValue,
            let value = json["value"]
        else { return nil }
        switch value {
        case .string, .number, .bool: break
        default: return nil
        }
        self.init(kind: kind, name: name, value: value, spanID: json["span_id"]?.stringValue)
    }
}
