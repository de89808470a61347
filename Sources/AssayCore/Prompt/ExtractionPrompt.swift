import Foundation

/// The prompt and response schema generated from a codebook. One request per document asks for
/// every variable at once. `hash` identifies the prompt (template, codebook, schema) and is
/// stored with every value it produced.
public struct ExtractionPrompt: Sendable, Hashable {
    public let codebook: Codebook
    public let system: String
    public let codebookSection: String
    public let schema: JSONValue
    /// The schema replies are checked against (`ResponseParser`), made once per prompt rather than per reply.
    public let envelope: JSONValue
    public let hash: String
    /// For a codebook that codes entities: the first step, which finds them. Nil for documents.
    public let identification: EntityIdentification?

    /// The marker that wraps document text, so the model cannot confuse it with instructions.
    static let documentOpen = "<document>"
    static let documentClose = "</document>"

    public init(codebook: Codebook) {
        self.codebook = codebook
        self.system = Self.systemText(codebook)
        self.codebookSection = Self.describe(codebook)
        self.schema = ExtractionSchema.make(for: codebook)
        self.envelope = ResponseParser.envelopeSchema(schema)
        self.identification = codebook.entities.map(EntityIdentification.init(instruction:))
        var parts = ["assay-prompt-v1", system, codebookSection, schema.serialized(sortedKeys: true)]
        // Only entity prompts add parts, so a document codebook's hash stays what it was.
        if let identification { parts += [identification.system, identification.instruction, Self.entityTemplate] }
        self.hash = Hashing.sha256(parts.joined(separator: "\u{1F}"))
    }

    /// How the per-entity request names its entity (part of the prompt hash).
    static let entityTemplate = "Code only this entity: {name} (the document mentions it as: \"{quote}\")."

    /// The messages that code one entity found in the document: the document's messages with
    /// the entity named, so every value describes that entity and no other.
    public func messages(for documentText: String, title: String? = nil, entity: FoundEntity) -> [ChatMessage] {
        let focus = Self.entityTemplate.replacingOccurrences(of: "{name}", with: entity.name)
            .replacingOccurrences(of: "{quote}", with: entity.evidence.quote)
        return messages(
            for: documentText, title: title,
            focus: focus + " If the document says nothing about a variable for this entity, its value is null.")
    }

    /// The messages for one document.
    public func messages(for documentText: String, title: String? = nil) -> [ChatMessage] {
        messages(for: documentText, title: title, focus: nil)
    }

    private func messages(for documentText: String, title: String?, focus: String?) -> [ChatMessage] {
        var user = codebookSection + "\n\n"
        if let title, !title.isEmpty { user += "Title: \(title)\n" }
        user += "\(Self.documentOpen)\n\(documentText)\n\(Self.documentClose)\n\n"
        if let focus { user += focus + "\n" }
        user += "Reply with one JSON object that has a key for every variable above."
        return [.system(system), .user(user)]
    }

    /// The follow-up that asks once more after a reply failed validation.
    public func retryMessages(after previous: [ChatMessage], reply: String, problem: String) -> [ChatMessage] {
        previous + [
            .assistant(String(reply.prefix(4000))),
            .user(
                """
                That reply could not be used: \(problem)
                Reply again with only the JSON object, matching the schema exactly.
                """),
        ]
    }

    static func systemText(_ codebook: Codebook) -> String {
        var text = """
            You code documents for a research dataset. For every variable in the codebook, read the \
            document and answer with:
            - "evidence": a short quote copied word for word from the document that supports the value \
            ("" if the document says nothing about it);
            - "rationale": one short sentence explaining the value;
            - "value": the value, in the variable's type, or null if the document does not say;
            - "confidence": a number from 0 to 1, how sure you are of the value.
            Use only the document. Never invent a quote. Reply with JSON only.
            """
        if let instructions = codebook.instructions, !instructions.isEmpty {
            text += "\n\nGeneral instructions:\n\(instructions)"
        }
        return text
    }

    static func describe(_ codebook: Codebook) -> String {
        var lines = ["Codebook:"]
        for v in codebook.variables {
            var line = "- \(v.name) (\(typeText(v))): \(v.label)."
            if !v.instructions.isEmpty { line += " \(v.instructions)" }
            lines.append(line)
            // Halterman & Keith's parts, each line only when the codebook has it: a codebook without
            // them makes the same prompt, and the same prompt hash, as before they existed.
            if let definition = v.definition, !definition.isEmpty { lines.append("    Definition: \(definition)") }
            for rule in v.include ?? [] { lines.append("    Counts: \(rule)") }
            for rule in v.exclude ?? [] { lines.append("    Does not count: \(rule)") }
            if v.type == .category {
                for c in v.categories {
                    var option = "    * \(c.code)"
                    if let label = c.label, label != c.code { option += " = \(label)" }
                    if let description = c.description { option += ": \(description)" }
                    lines.append(option)
                }
            }
            switch v.ifMultipleValues {
            case .first: break
            case .last: lines.append("    If several values apply, give the last one mentioned.")
            case .all:
                lines.append("    List every value that applies, in the order they appear\(v.maxValues.map { " (at most \($0))" } ?? "").")
            case .summarize: lines.append("    If several values apply, give one value that summarizes them.")
            }
            if let dep = v.dependsOn {
                lines.append("    Only applies when \(dep.conditionText); otherwise value is null.")
            }
            for example in v.examples.filter({ !$0.isNegative }).prefix(3) {
                lines.append("    Example: \"\(example.text)\" → \(example.value.serialized())")
            }
            for example in v.examples.filter(\.isNegative).prefix(3) {
                lines.append("    Not a case: \"\(example.text)\" → \(example.value.serialized())")
            }
        }
        return lines.joined(separator: "\n")
    }

    static func typeText(_ v: Variable) -> String {
        switch v.type {
        case .boolean: "true or false"
        case .number: "a number"
        case .date: "a date, YYYY-MM-DD"
        case .text: "short text"
        case .category: "one of the codes below"
        }
    }
}
