import OrderedCollections

/// The prompt and schema for several documents in one request. Documents are tagged with short
/// keys (`D1`, `D2`, …) rather than their ids: paths cost tokens and small models garble them.
/// The reply is one object keyed by tag; each entry is validated alone, so one bad entry costs
/// that document only, and a missing entry is reported so its document can be retried alone.
public struct PackedPrompt: Sendable {
    public let base: ExtractionPrompt

    public init(base: ExtractionPrompt) { self.base = base }

    public struct Document: Sendable, Hashable {
        public var key: String
        public var title: String?
        public var text: String

        public init(key: String, title: String? = nil, text: String) {
            self.key = key
            self.title = title
            self.text = text
        }
    }

    public static func keys(count: Int) -> [String] { (1...max(1, count)).prefix(count).map { "D\($0)" } }

    public func messages(for documents: [Document]) -> [ChatMessage] {
        var user = base.codebookSection + "\n\n"
        user += "There are \(documents.count) documents. Code each one on its own.\n\n"
        for document in documents {
            user += "<document id=\"\(document.key)\">\n"
            if let title = document.title, !title.isEmpty { user += "Title: \(title)\n" }
            user += "\(document.text)\n</document>\n\n"
        }
        let keys = documents.map(\.key).joined(separator: ", ")
        user += "Reply with one JSON object with the keys \(keys); under each, one object with a key for every variable above."
        return [.system(base.system), .user(user)]
    }

    public func schema(keys: [String]) -> JSONValue {
        var properties = OrderedDictionary<String, JSONValue>()
        for key in keys { properties[key] = base.schema }
        return [
            "type": "object",
            "properties": .object(properties),
            "required": .array(keys.map { .string($0) }),
            "additionalProperties": false,
        ]
    }

    /// What a packed reply says about one document.
    public enum Entry: Sendable, Equatable {
        case parsed(ParsedReply)
        case invalid(ResponseError)
        /// The reply has no entry for this document: retry it alone.
        case missing
    }

    /// Splits a packed reply by tag. Throws only when the reply as a whole is not JSON.
    public func parse(_ reply: String, keys: [String]) throws(ResponseError) -> [String: Entry] {
        let (json, repaired) = try ResponseRepair.parse(reply)
        guard let object = json.objectValue else {
            throw .schemaValidation([SchemaViolation(path: "$", message: "expected an object keyed by document tag")])
        }
        var entries: [String: Entry] = [:]
        for key in keys {
            guard let value = object[key] else {
                entries[key] = .missing
                continue
            }
            do {
                entries[key] = .parsed(try ResponseParser.parse(json: value, repaired: repaired, prompt: base))
            } catch {
                entries[key] = .invalid(error)
            }
        }
        return entries
    }
}
