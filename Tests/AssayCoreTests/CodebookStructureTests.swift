import Foundation
import Testing

@testable import AssayCore

/// Halterman & Keith's codebook parts (definition, include and exclude rules, negative examples)
/// reach the prompt only when a codebook has them: every older codebook keeps its prompt, and so
/// its prompt hash, byte for byte (stored values and recorded cassettes are keyed by them).
@Suite struct CodebookStructureTests {
    static let older = Codebook(variables: [
        Variable(
            name: "violence", displayName: "Violence reported", type: .boolean, instructions: "Does the article report violence?",
            examples: [
                Example(text: "Police fired tear gas.", value: true), Example(text: "a", value: false), Example(text: "b", value: true),
                Example(text: "c", value: false),
            ]),
        Variable(
            name: "organiser", type: .category, instructions: "Who organised it?",
            categories: [Category(code: "union"), Category(code: "students", label: "Student groups", description: "Any student body")],
            ifMultipleValues: .all, maxValues: 2, dependsOn: Dependency(variable: "violence", equals: true)),
    ])

    /// The codebook section as the template wrote it before the new parts existed.
    static let olderSection = """
        Codebook:
        - violence (true or false): Violence reported. Does the article report violence?
            Example: "Police fired tear gas." → true
            Example: "a" → false
            Example: "b" → true
        - organiser (one of the codes below): organiser. Who organised it?
            * union
            * students = Student groups: Any student body
            List every value that applies, in the order they appear (at most 2).
            Only applies when violence = true; otherwise value is null.
        """

    @Test func anOlderCodebookMakesTheSamePromptAndHash() throws {
        let prompt = ExtractionPrompt(codebook: Self.older)
        #expect(prompt.codebookSection == Self.olderSection)
        // The hash is the template's, over the same parts: unchanged.
        let parts = ["assay-prompt-v1", prompt.system, Self.olderSection, prompt.schema.serialized(sortedKeys: true)]
        #expect(prompt.hash == Hashing.sha256(parts.joined(separator: "\u{1F}")))
        // The codebook's own hash: no new key is written when the parts are absent.
        let json = String(decoding: try JSONEncoder().encode(Self.older), as: UTF8.self)
        for key in ["definition", "include", "exclude", "kind"] { #expect(!json.contains("\"\(key)\"")) }
    }

    @Test func theNewPartsAreInThePromptWhenGiven() {
        var codebook = Self.older
        codebook.variables[0].definition = "Physical force against people or property."
        codebook.variables[0].include = ["Police violence against protesters counts."]
        codebook.variables[0].exclude = ["Threats without force do not count.", "Verbal abuse."]
        codebook.variables[0].examples.insert(Example(text: "They shouted insults.", value: false, kind: .negative), at: 0)
        let prompt = ExtractionPrompt(codebook: codebook)
        let section = prompt.codebookSection
        #expect(section.contains("\n    Definition: Physical force against people or property.\n"))
        #expect(section.contains("\n    Counts: Police violence against protesters counts.\n"))
        #expect(section.contains("\n    Does not count: Threats without force do not count.\n    Does not count: Verbal abuse.\n"))
        #expect(section.contains("\n    Not a case: \"They shouted insults.\" → false\n"))
        // The three positive examples still show; the negative one does not take a place of theirs.
        #expect(section.contains("Example: \"b\" → true") && !section.contains("Example: \"They shouted"))
        #expect(prompt.hash != ExtractionPrompt(codebook: Self.older).hash)
    }

    @Test func emptyDefinitionsAndRulesAreProblemsWithTheirPaths() {
        var codebook = Self.older
        codebook.variables[1].definition = "  "
        codebook.variables[1].include = ["fine", " "]
        codebook.variables[1].exclude = [""]
        #expect(
            codebook.problems().map(\.field) == ["variables[1].definition", "variables[1].include[1]", "variables[1].exclude[0]"])
    }

    @Test func aNegativeExampleMayLeaveItsValueOutAPositiveOneMayNot() throws {
        let negative = try JSONDecoder().decode(Example.self, from: Data(#"{"text": "a threat", "kind": "negative"}"#.utf8))
        #expect(negative == Example(text: "a threat", value: .null, kind: .negative))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Example.self, from: Data(#"{"text": "a"}"#.utf8)) }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Example.self, from: Data(#"{"text": "a", "value": 1, "kind": "maybe"}"#.utf8))
        }
        let rules = try JSONDecoder().decode(Variable.self, from: Data(#"{"name": "a", "type": "text", "include": "one rule"}"#.utf8))
        #expect(rules.include == ["one rule"] && rules.exclude == nil && rules.definition == nil)
    }
}

/// The co-pilot's template: its reply read against the schema, names made codebook names.
@Suite struct SuggestionPromptTests {
    @Test func repliesOutsideTheSchemaAreRefused() {
        for reply in [
            "not json", #"{"variables": []}"#, #"{"variables": [{"name": "a", "type": "banana"}], "instructions": []}"#,
            #"{"variables": [], "instructions": [{"variable": "a"}]}"#,
        ] {
            guard case .failure = SuggestionPrompt.read(reply, codebook: nil) else {
                Issue.record("accepted \(reply)")
                continue
            }
        }
    }

    @Test func namesBecomeCodebookNamesAndTheReplyIsKeptAsJSON() throws {
        #expect(SuggestionPrompt.codebookName("Number of people!") == "Number_of_people")
        #expect(SuggestionPrompt.codebookName("  3 cities ") == "cities")
        #expect(SuggestionPrompt.codebookName("¿?") == nil)
        // A NUL (which no store keeps) makes the reply unusable: it is asked again.
        let nul =
            #"{"variables": [{"name": "a", "type": "text", "definition": "x\u0000y", "instructions": "", "categories": []}], "instructions": []}"#
        if case .success = SuggestionPrompt.read(nul, codebook: nil) { Issue.record("a NUL was accepted") }
        let reply = try SuggestionPrompt.suggestions(
            in:
                #"{"variables": [{"name": "tone", "type": "category", "definition": "d", "instructions": "i", "categories": [{"code": "neg", "description": "negative"}]}, {"name": "n", "type": "number", "definition": "", "instructions": "", "categories": [{"code": "x", "description": ""}]}], "instructions": []}"#,
            codebook: nil)
        #expect(reply.variables.map(\.name) == ["tone", "n"])
        #expect(reply.variables[0].categories == [Category(code: "neg", description: "negative")])
        // Only category variables keep categories; an empty definition is none.
        #expect(reply.variables[1].categories.isEmpty && reply.variables[1].definition == nil)
        #expect(try SuggestionPrompt.Reply(stored: reply.json) == reply)
    }

    @Test func thePromptCapsTheDocumentsAndTheirLength() {
        let samples = (1...8).map { SuggestionPrompt.Sample(name: "d\($0)", text: String(repeating: "x", count: 10_000)) }
        let prompt = SuggestionPrompt(question: "Q?", samples: samples, codebook: nil)
        let user = prompt.messages[1].content
        #expect(user.contains("5. d5") && !user.contains("6. d6") && user.contains("There is no codebook yet."))
        #expect(user.count < 5 * SuggestionPrompt.documentCharacters + 2_000)
    }
}
