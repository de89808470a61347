import AssayCore
import AssayIngest
import Testing

/// What a person sees when their codebook is wrong: every problem, each at its field path, in
/// words that say what was expected and what was found.
@Suite struct CodebookProblemsTests {
    @Test func listProblemsNameTheVariablesField() {
        let yaml = """
            - name: topic
              type: text
            - name: tone
              type: colour
            """
        let error = #expect(throws: CodebookLoadError.self) { try CodebookLoader.decode(yaml, format: .yaml) }
        #expect(error?.problems.map(\.field) == ["variables[1].type"])
    }

    @Test func unknownTypeNamesTheFieldPath() {
        let yaml = """
            variables:
              - name: a
                type: text
              - name: b
                type: number
              - name: c
                type: color
            """
        let error = #expect(throws: CodebookLoadError.self) { try CodebookLoader.decode(yaml, format: .yaml) }
        #expect(
            error?.problems == [
                CodebookProblem(
                    field: "variables[2].type",
                    reason: "unknown type 'color' (expected one of boolean, category, date, number, text)")
            ])
        #expect(
            error?.description
                == "codebook is invalid: variables[2].type: unknown type 'color' (expected one of boolean, category, date, number, text)")

        let json = #"{"variables": [{"name": "a", "type": "text"}, {"name": "b", "type": "number"}, {"name": "c", "type": "color"}]}"#
        let jsonError = #expect(throws: CodebookLoadError.self) { try CodebookLoader.decode(json, format: .json) }
        #expect(
            jsonError?.problems.map(\.description)
                == ["variables[2].type: unknown type 'color' (expected one of boolean, category, date, number, text)"])
    }

    @Test func missingNameIsNamed() {
        let yaml = """
            variables:
              - type: text
            """
        let error = #expect(throws: CodebookLoadError.self) { try CodebookLoader.decode(yaml, format: .yaml) }
        #expect(error?.problems.map(\.description) == ["variables[0].name: missing"])

        let json = #"{"variables": [{"type": "text"}]}"#
        let jsonError = #expect(throws: CodebookLoadError.self) { try CodebookLoader.decode(json, format: .json) }
        #expect(jsonError?.problems.map(\.description) == ["variables[0].name: missing"])
    }

    @Test func wrongValueTypeSaysWhatWasFound() {
        let yaml = """
            variables:
              - name: a
                type: text
                confidence_threshold: high
            """
        let error = #expect(throws: CodebookLoadError.self) { try CodebookLoader.decode(yaml, format: .yaml) }
        #expect(error?.problems.map(\.description) == ["variables[0].confidence_threshold: expected a number, found 'high'"])
    }

    @Test func unknownChoiceIsNamed() {
        let yaml = """
            variables:
              - name: a
                type: text
                if_uncertain: ask
            """
        let error = #expect(throws: CodebookLoadError.self) { try CodebookLoader.decode(yaml, format: .yaml) }
        #expect(
            error?.problems.map(\.description)
                == ["variables[0].if_uncertain: unknown value 'ask' (expected one of null, skip, flag)"])
    }

    @Test func categoryVariableWithoutCategoriesIsRefused() {
        let yaml = """
            variables:
              - name: tone
                type: category
            """
        let error = #expect(throws: CodebookLoadError.self) { try CodebookLoader.decode(yaml, format: .yaml) }
        #expect(
            error?.problems == [
                CodebookProblem(
                    field: "variables[0].categories",
                    reason: "a category variable needs at least one category")
            ])
    }

    @Test func everyValidationProblemIsListed() {
        let yaml = """
            variables:
              - name: 1st
                type: number
                confidence_threshold: 2
              - name: b
                type: text
                depends_on:
                  variable: nowhere
                  equals: yes
            """
        let error = #expect(throws: CodebookLoadError.self) { try CodebookLoader.decode(yaml, format: .yaml) }
        #expect(
            error?.problems.map(\.field) == ["variables[0].name", "variables[0].confidence_threshold", "variables[1].depends_on.variable"])
        #expect(error?.description.hasPrefix("codebook is invalid:\n  - variables[0].name: ") == true)
    }

    @Test func misspeltFieldsAreRefusedWithASuggestion() {
        let yaml = """
            variables:
              - name: a
                type: text
                confidence_treshold: 0.9
                displayName: A
                validation:
                  maxlength: 3
                colour: red
            """
        let error = #expect(throws: CodebookLoadError.self) { try CodebookLoader.decode(yaml, format: .yaml) }
        #expect(
            error?.problems.map(\.description) == [
                "variables[0].confidence_treshold: unknown field (did you mean 'confidence_threshold'?)",
                "variables[0].displayName: unknown field (did you mean 'display_name'?)",
                "variables[0].colour: unknown field (expected one of name, display_name, type, definition, instructions, include, exclude, categories, required, confidence_threshold, if_uncertain, if_multiple_values, max_values, default, validation, depends_on, examples, model)",
                "variables[0].validation.maxlength: unknown field (did you mean 'max_length'?)",
            ])
    }

    @Test func yamlSyntaxErrorGivesTheLine() {
        let yaml = """
            variables:
              - name: a
                type: text
               bad: [1, 2
            """
        let error = #expect(throws: CodebookLoadError.self) { try CodebookLoader.decode(yaml, format: .yaml) }
        guard case .syntax(let message, _)? = error else {
            Issue.record("expected a syntax error, got \(String(describing: error))")
            return
        }
        #expect(message.hasPrefix("YAML syntax error at line 4"))
    }

    @Test func jsonSyntaxErrorGivesLineAndColumn() {
        let json = "{\n  \"variables\": [\n    {\"name\": \"a\" \"type\": \"text\"}\n  ]\n}"
        let error = #expect(throws: CodebookLoadError.self) { try CodebookLoader.decode(json, format: .json) }
        guard case .syntax(let message, _)? = error else {
            Issue.record("expected a syntax error, got \(String(describing: error))")
            return
        }
        #expect(message.hasPrefix("JSON syntax error at line 3, column 18"))
    }

    @Test func emptyAndScalarTextsAreRefused() {
        #expect(
            throws: CodebookLoadError.syntax(
                "the codebook is empty (expected a mapping with 'variables', or a list of variables)")
        ) {
            try CodebookLoader.decode("# nothing yet\n", format: .yaml)
        }
        #expect(
            throws: CodebookLoadError.syntax(
                "expected a mapping with 'variables', or a list of variables, found 'just some words'")
        ) {
            try CodebookLoader.decode("just some words", format: .yaml)
        }
    }
}
