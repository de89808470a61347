import Foundation

/// The first step of coding entities: find the distinct entities the codebook's instruction
/// names ("each protest event the article reports"), each with a short name and a quote that
/// places it in the document. Every variable is then coded once per entity
/// (`ExtractionPrompt.messages(for:title:entity:)`).
public struct EntityIdentification: Sendable, Hashable {
    public let instruction: String
    public let system: String
    public let schema: JSONValue

    /// Entities kept per document: a reply listing more is cut here (and says so), so one
    /// document cannot turn into thousands of requests.
    public static let maxEntities = 25
    public static let nameMaxLength = 120

    public init(instruction: String) {
        self.instruction = instruction
        self.system = """
            You find entities in documents for a research dataset. List every distinct entity the \
            instruction asks for, in the order the document first mentions them, each once:
            - "name": a short name that tells it apart from the others;
            - "evidence": a short quote copied word for word from the document where it is mentioned.
            If the document mentions none, reply with an empty list. Use only the document. \
            Never invent a quote. Reply with JSON only.
            """
        self.schema = [
            "type": "object",
            "properties": [
                "entities": [
                    "type": "array",
                    "maxItems": .number(Double(Self.maxEntities)),
                    "items": [
                        "type": "object",
                        "properties": [
                            "name": ["type": "string", "maxLength": .number(Double(Self.nameMaxLength))],
                            "evidence": ["type": "string", "maxLength": .number(Double(ExtractionSchema.evidenceMaxLength))],
                        ],
                        "required": ["name", "evidence"],
                        "additionalProperties": false,
                    ],
                ]
            ],
            "required": ["entities"],
            "additionalProperties": false,
        ]
    }

    /// The messages that ask for one document's entities.
    public func messages(for documentText: String, title: String? = nil) -> [ChatMessage] {
        var user = "Entities to find: \(instruction)\n\n"
        if let title, !title.isEmpty { user += "Title: \(title)\n" }
        user += "\(ExtractionPrompt.documentOpen)\n\(documentText)\n\(ExtractionPrompt.documentClose)\n\n"
        user += #"Reply with one JSON object: {"entities": [{"name": ..., "evidence": ...}, ...]}."#
        return [.system(system), .user(user)]
    }

    /// The entities in a reply, grounded in the document: names trimmed, empty names dropped,
    /// the same name (ignoring case and spacing) kept once, at most `maxEntities`.
    public func parse(_ reply: String, documentText: String) throws(ResponseError) -> [FoundEntity] {
        let (json, _) = try ResponseRepair.parse(reply)
        let envelope: JSONValue = [
            "type": "object",
            "properties": [
                "entities": ["type": "array", "items": ["type": "object", "required": ["name"]]]
            ],
            "required": ["entities"],
        ]
        let violations = SchemaValidator.violations(of: json, against: envelope)
        guard violations.isEmpty else { throw .schemaValidation(violations) }
        var found: [FoundEntity] = []
        var seen = Set<String>()
        for item in json["entities"]?.arrayValue ?? [] {
            let name = (item["name"]?.stringValue ?? "").split(whereSeparator: \.isWhitespace).joined(separator: " ")
            guard !name.isEmpty, seen.insert(name.lowercased()).inserted else { continue }
            let quote = item["evidence"]?.stringValue ?? ""
            found.append(FoundEntity(name: String(name.prefix(Self.nameMaxLength)), evidence: Grounder.locate(quote, in: documentText)))
            if found.count == Self.maxEntities { break }
        }
        return found
    }
}

/// One entity found in a document: its name and where the document mentions it.
public struct FoundEntity: Sendable, Hashable {
    public var name: String
    public var evidence: Evidence

    public init(name: String, evidence: Evidence) {
        self.name = name
        self.evidence = evidence
    }
}
