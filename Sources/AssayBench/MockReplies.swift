import AssayCore
import Foundation

/// Replies a good model would give for the bench codebook, read off the bench documents, in the
/// shape each client asks for: Assay's JSON (one document, or several tagged by id), a tool call
/// for instructor's default mode, and langextract's few-shot `{"extractions": [...]}`.
enum MockReplies {
    /// What the assistant message carries: text content, or one function call.
    enum Reply: Sendable {
        case content(String)
        case toolCall(name: String, arguments: String)

        /// The text a fault cuts or replaces.
        var text: String {
            switch self {
            case .content(let text): text
            case .toolCall(_, let arguments): arguments
            }
        }
    }

    static func reply(toRequestBody body: String) -> Reply {
        // A message's content is text, or (Anthropic) a list of text blocks.
        guard let json = try? JSONValue.parse(body),
            let content = json["messages"]?.arrayValue?.last(where: { $0["role"] == "user" })?["content"],
            let user = content.stringValue ?? content.arrayValue?.compactMap({ $0["text"]?.stringValue }).joined()
        else { return .content("{}") }
        // instructor (Mode.TOOLS): the answer is the arguments of the one function offered.
        if let name = json["tool_choice"]?["function"]?["name"]?.stringValue
            ?? json["tools"]?.arrayValue?.first?["function"]?["name"]?.stringValue
        {
            return .toolCall(name: name, arguments: answers(for: user).serialized())
        }
        if let refined = refinement(for: user) { return .content(refined.serialized()) }
        if let suggested = suggestion(for: user) { return .content(suggested.serialized()) }
        // langextract: few-shot "Q: text / A: json" pairs, the document last with an empty answer.
        if user.hasSuffix("\nA: "), let question = user.components(separatedBy: "\nQ: ").last {
            return .content(extractions(for: String(question.dropLast("\nA: ".count))).serialized())
        }
        let tagged = tagged(user)
        if tagged.isEmpty {
            let text = user.components(separatedBy: "<document>\n").last?.components(separatedBy: "\n</document>").first ?? ""
            return .content(answers(for: text).serialized())
        }
        var object = OrderedDictionary<String, JSONValue>()
        for (key, text) in tagged { object[key] = answers(for: text) }
        return .content(JSONValue.object(object).serialized())
    }

    static func tagged(_ user: String) -> [(String, String)] {
        var found: [(String, String)] = []
        var rest = Substring(user)
        while let open = rest.range(of: "<document id=\""), let quote = rest[open.upperBound...].firstIndex(of: "\""),
            let close = rest.range(of: "\n</document>")
        {
            var text = rest[rest.index(quote, offsetBy: 3)..<close.lowerBound]
            // A titled document (a JSONL record's id, a file name) starts with a "Title: …" line.
            if text.hasPrefix("Title: "), let newline = text.firstIndex(of: "\n") { text = text[text.index(after: newline)...] }
            found.append((String(rest[open.upperBound..<quote]), String(text)))
            rest = rest[close.upperBound...]
        }
        return found
    }

    /// The city (third word), the first number and "peaceful" of a bench document.
    static func facts(_ text: String) -> (city: String, number: String) {
        let words = text.split(separator: " ")
        let city = words.count > 2 ? String(words[2].dropLast()) : ""
        let number = words.first { Int($0) != nil }.map(String.init) ?? "0"
        return (city, number)
    }

    static func answers(for text: String) -> JSONValue {
        let (city, number) = facts(text)
        return [
            "city": ["evidence": .string("Protest in \(city)"), "rationale": "named", "value": .string(city), "confidence": 0.9],
            "participants": [
                "evidence": .string("About \(number) people came"), "rationale": "stated",
                "value": .number(Double(number) ?? 0), "confidence": 0.9,
            ],
            "violence": ["evidence": "It was peaceful.", "rationale": "peaceful", "value": false, "confidence": 0.8],
        ]
    }

    /// langextract's format: one entry per class, its text quoted from the document, the value as an attribute.
    static func extractions(for text: String) -> JSONValue {
        let (city, number) = facts(text)
        return [
            "extractions": [
                ["city": .string(city), "city_attributes": ["value": .string(city)]],
                ["participants": .string("About \(number) people came"), "participants_attributes": ["value": .string(number)]],
                ["violence": "It was peaceful.", "violence_attributes": ["value": "false"]],
            ]
        ]
    }
}

extension MockReplies {
    /// A co-pilot prompt (`assay-suggest-v1`): two variables a protest codebook lacks, one with
    /// categories, and nothing for the variables it has — the same reply whatever the question.
    static func suggestion(for user: String) -> JSONValue? {
        guard user.contains("Suggest variables a researcher could code in every such document") else { return nil }
        return [
            "variables": [
                [
                    "name": "organiser", "type": "text", "definition": "Who called the action.",
                    "instructions": "The union, party or group the text says organised it, as named; none when it names none.",
                    "categories": [],
                ],
                [
                    "name": "sector", "type": "category", "definition": "Where the people taking part work.",
                    "instructions": "The sector of most of those taking part.",
                    "categories": [
                        ["code": "public", "description": "Public services: schools, hospitals, transport run by the state"],
                        ["code": "private", "description": "Private companies"],
                    ],
                ],
            ],
            "instructions": [],
        ]
    }

    /// A refinement prompt (`assay-refine-v1`): two proposals built on today's instructions, as a
    /// model that read the reviewers' corrections would make them. The mock codes documents the
    /// same whatever the instructions say, so values coded again match as before.
    static func refinement(for user: String) -> JSONValue? {
        guard user.contains("Propose two or three improved versions of the instructions"),
            let current = user.components(separatedBy: "Its instructions now:\n\"\"\"\n").dropFirst().first?
                .components(separatedBy: "\n\"\"\"").first
        else { return nil }
        let corrections = user.components(separatedBy: "\n   Should be: ").count - 1
        let why = "The reviewer corrected \(corrections) value(s)"
        return [
            "proposals": [
                [
                    "instructions": .string(
                        current
                            + " When sources give different numbers, use the one an independent source (a journalist or the police) gives."),
                    "reasoning": .string(why + "; the instructions did not say whose count to take."),
                ],
                [
                    "instructions": .string(current + " Give a value only when the text states it; never estimate."),
                    "reasoning": .string(why + "; some values were read into the text rather than from it."),
                ],
            ]
        ]
    }
}
