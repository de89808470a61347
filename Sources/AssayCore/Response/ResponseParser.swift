import OrderedCollections

/// One variable's answer as the model gave it, before coercion and checks.
public struct RawAnswer: Sendable, Hashable {
    public var value: JSONValue
    public var confidence: Double
    public var evidence: String
    public var rationale: String

    public init(value: JSONValue, confidence: Double, evidence: String = "", rationale: String = "") {
        self.value = value
        self.confidence = confidence
        self.evidence = evidence
        self.rationale = rationale
    }
}

/// A reply that passed parsing and the envelope schema: one answer per variable.
public struct ParsedReply: Sendable, Hashable {
    public var answers: OrderedDictionary<String, RawAnswer>
    /// True when the JSON had to be extracted from prose or mended.
    public var repaired: Bool

    public init(answers: OrderedDictionary<String, RawAnswer>, repaired: Bool = false) {
        self.answers = answers
        self.repaired = repaired
    }
}

/// Parse, repair and validate a reply against the prompt's schema.
///
/// Only the envelope is validated here: every variable present, each with evidence, rationale,
/// value and a confidence in [0, 1]. The value itself is checked per variable by
/// `ValuePostProcessor`, so one odd value (a number written as "2,500") costs that value, not
/// the whole reply; and confidence is checked as a range, not as the enum of levels the
/// grammar-constrained providers are offered, so 0.85 from another provider is fine.
public enum ResponseParser {
    public static func parse(_ reply: String, prompt: ExtractionPrompt) throws(ResponseError) -> ParsedReply {
        let (json, repaired) = try ResponseRepair.parse(reply)
        return try parse(json: json, repaired: repaired, prompt: prompt)
    }

    /// Validates one document's already-parsed answers (a whole reply, or one entry of a packed reply).
    public static func parse(json: JSONValue, repaired: Bool, prompt: ExtractionPrompt) throws(ResponseError) -> ParsedReply {
        let violations = SchemaValidator.violations(of: json, against: prompt.envelope)
        guard violations.isEmpty else { throw .schemaValidation(violations) }
        var answers = OrderedDictionary<String, RawAnswer>()
        for variable in prompt.codebook.variables {
            guard let answer = json[variable.name] else { continue }
            answers[variable.name] = RawAnswer(
                value: answer["value"] ?? .null,
                confidence: answer["confidence"]?.doubleValue ?? 0,
                evidence: answer["evidence"]?.stringValue ?? "",
                rationale: answer["rationale"]?.stringValue ?? "")
        }
        return ParsedReply(answers: answers, repaired: repaired)
    }

    /// The response schema with each value loosened to "anything" and confidence to a range.
    static func envelopeSchema(_ schema: JSONValue) -> JSONValue {
        guard var root = schema.objectValue, var properties = root["properties"]?.objectValue else { return schema }
        for (name, answer) in properties {
            guard var answerRules = answer.objectValue, var fields = answerRules["properties"]?.objectValue else { continue }
            fields["value"] = [:]
            fields["confidence"] = ["type": "number", "minimum": 0, "maximum": 1]
            // Length limits are the grammar's business; an over-long quote is still a quote.
            fields["evidence"] = ["type": "string"]
            fields["rationale"] = ["type": "string"]
            answerRules["properties"] = .object(fields)
            properties[name] = .object(answerRules)
        }
        root["properties"] = .object(properties)
        return .object(root)
    }
}
