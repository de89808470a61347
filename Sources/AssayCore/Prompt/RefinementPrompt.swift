import Foundation

/// The prompt that asks the model for better instructions for one variable, from the feedback
/// people gave on its values: each reviewed value with the passage it came from, the verdict,
/// what the value should have been and the reviewer's note. The reply is 1–3 proposals, each new
/// instructions with the reasoning, checked against `schema` like any reply.
public struct RefinementPrompt: Sendable, Hashable {
    /// Names the template: part of what is recorded with the proposals.
    public static let version = "assay-refine-v1"
    /// At most this many reviewed values go into one prompt (the corrections first).
    public static let maxExamples = 20
    /// Each example's passage is cut to this many characters around its evidence.
    public static let passageCharacters = 600

    /// One reviewed value, as the prompt shows it.
    public struct Example: Sendable, Hashable {
        public var passage: String
        public var value: JSONValue
        public var verdict: FeedbackVerdict
        public var corrected: JSONValue?
        public var note: String?

        public init(passage: String, value: JSONValue, verdict: FeedbackVerdict, corrected: JSONValue? = nil, note: String? = nil) {
            self.passage = passage
            self.value = value
            self.verdict = verdict
            self.corrected = corrected
            self.note = note
        }
    }

    public let variable: Variable
    public let messages: [ChatMessage]

    public init(variable: Variable, codebook: Codebook, examples: [Example]) {
        self.variable = variable
        var user = "The variable to improve, as the codebook describes it now:\n"
        user += ExtractionPrompt.describe(Codebook(name: codebook.name, variables: [variable])).replacingOccurrences(
            of: "Codebook:\n", with: "")
        user += "\n\nIts instructions now:\n\"\"\"\n\(variable.instructions)\n\"\"\"\n\nHow a person judged values coded with them:\n"
        for (index, example) in examples.prefix(Self.maxExamples).enumerated() {
            user +=
                "\n\(index + 1). Passage: \"\(example.passage)\"\n   Coded: \(example.value.serialized())\n   Verdict: \(example.verdict.words)"
            if let corrected = example.corrected { user += "\n   Should be: \(corrected.serialized())" }
            if let note = example.note, !note.isEmpty { user += "\n   Note: \(note)" }
            user += "\n"
        }
        user += """

            Propose two or three improved versions of the instructions for \(variable.name) that would \
            code these passages as the person says, without breaking what was judged correct. Keep the \
            variable's meaning and type; be specific about the cases that went wrong. For each \
            proposal give the full new instructions and, in one or two sentences, why. Reply with one \
            JSON object: {"proposals": [{"instructions": "…", "reasoning": "…"}]}.
            """
        messages = [
            .system(
                "You improve coding instructions for content analysis. A codebook's instructions tell a coder how to read a text; you make them clearer so the coding agrees with the person who reviewed it."
            ),
            .user(user),
        ]
    }

    /// The reply's shape: one to three proposals, each with instructions and reasoning.
    public static let schema: JSONValue = [
        "type": "object",
        "properties": [
            "proposals": [
                "type": "array", "minItems": 1, "maxItems": 3,
                "items": [
                    "type": "object",
                    "properties": [
                        "instructions": ["type": "string", "minLength": 1, "maxLength": 4000],
                        "reasoning": ["type": "string", "maxLength": 2000],
                    ],
                    "required": ["instructions", "reasoning"],
                ],
            ]
        ],
        "required": ["proposals"],
    ]

    /// A proposal as the model made it.
    public struct Proposal: Sendable, Hashable, Codable {
        public var instructions: String
        public var reasoning: String

        public init(instructions: String, reasoning: String) {
            self.instructions = instructions
            self.reasoning = reasoning
        }
    }

    /// The proposals in a reply, or why the reply does not fit the schema.
    public static func proposals(in reply: String) throws(ResponseError) -> [Proposal] {
        let (json, _) = try ResponseRepair.parse(reply)
        let violations = SchemaValidator.violations(of: json, against: schema)
        guard violations.isEmpty else { throw ResponseError.schemaValidation(violations) }
        return (json["proposals"]?.arrayValue ?? []).compactMap { item in
            guard let instructions = item["instructions"]?.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines),
                !instructions.isEmpty
            else { return nil }
            return Proposal(instructions: instructions, reasoning: item["reasoning"]?.stringValue ?? "")
        }
    }

    /// `proposals(in:)` as a value: what a caller switches on to ask again.
    public static func read(_ reply: String) -> Result<[Proposal], ResponseError> {
        do {
            return .success(try proposals(in: reply))
        } catch {
            return .failure(error)
        }
    }

    /// The passage of a document around a value's evidence (or its start), cut to `passageCharacters`.
    public static func passage(of text: String, evidence: String?) -> String {
        let limit = passageCharacters
        guard let evidence, !evidence.isEmpty, let range = text.range(of: evidence) else {
            return String(text.prefix(limit))
        }
        let before = max(0, (limit - evidence.count) / 2)
        let start = text.index(range.lowerBound, offsetBy: -before, limitedBy: text.startIndex) ?? text.startIndex
        return String(text[start...].prefix(limit))
    }
}

extension FeedbackVerdict {
    /// As a person would say it.
    public var words: String {
        switch self {
        case .correct: "correct"
        case .incorrect: "incorrect"
        case .partiallyCorrect: "partly correct"
        }
    }
}
