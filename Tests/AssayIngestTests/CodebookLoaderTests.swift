import AssayCore
import AssayIngest
import AssayTestSupport
import Foundation
import Testing

@Suite struct CodebookLoaderTests {
    static let fullYAML = """
        name: Protest coverage
        description: News articles about protests
        instructions: Code only what the article states.
        variables:
          - name: violence
            display_name: Violence reported
            type: boolean
            instructions: Does the article report violence by anyone?
            required: true
            confidence_threshold: 0.8
            if_uncertain: null
            examples:
              - text: Police fired tear gas at the crowd.
                value: true
                evidence: fired tear gas
          - name: organiser
            type: category
            instructions: Who organised the protest?
            categories:
              - union
              - code: students
                label: Student groups
                description: University or school students
              - code: 3
                label: Other
            if_multiple_values: all
            max_values: 2
            default: union
            depends_on:
              variable: violence
              equals: true
          - name: crowd_size
            type: number
            if_uncertain: skip
            validation:
              min: 0
              max: 1000000
          - name: day
            type: date
            validation:
              min_date: 2020-01-01
              max_date: "2024-12-31"
          - name: summary
            type: TEXT
            if_multiple_values: summarize
            validation:
              pattern: "^[A-Z]"
              min_length: 10
              max_length: 200
            depends_on:
              variable: organiser
              in: [union, students]
        """

    static let expected = Codebook(
        name: "Protest coverage", description: "News articles about protests",
        instructions: "Code only what the article states.",
        variables: [
            Variable(
                name: "violence", displayName: "Violence reported", type: .boolean,
                instructions: "Does the article report violence by anyone?", required: true,
                confidenceThreshold: 0.8, ifUncertain: .null,
                examples: [Example(text: "Police fired tear gas at the crowd.", value: true, evidence: "fired tear gas")]),
            Variable(
                name: "organiser", type: .category, instructions: "Who organised the protest?",
                categories: [
                    Category(code: "union"),
                    Category(code: "students", label: "Student groups", description: "University or school students"),
                    Category(code: "3", label: "Other"),
                ],
                ifMultipleValues: .all, maxValues: 2, defaultValue: "union",
                dependsOn: Dependency(variable: "violence", equals: true)),
            Variable(
                name: "crowd_size", type: .number, ifUncertain: .skip,
                validation: ValidationRules(min: 0, max: 1_000_000)),
            Variable(name: "day", type: .date, validation: ValidationRules(minDate: "2020-01-01", maxDate: "2024-12-31")),
            Variable(
                name: "summary", type: .text, ifMultipleValues: .summarize,
                validation: ValidationRules(pattern: "^[A-Z]", minLength: 10, maxLength: 200),
                dependsOn: Dependency(variable: "organiser", oneOf: ["union", "students"])),
        ])

    @Test func yamlWithEveryField() throws {
        let codebook = try CodebookLoader.decode(Self.fullYAML, format: .yaml)
        #expect(codebook == Self.expected)
        // Defaults apply to fields left out.
        #expect(codebook.variables[2].confidenceThreshold == 0.7)
        #expect(codebook.variables[2].ifMultipleValues == .first)
        #expect(codebook.variables[3].ifUncertain == .flag)
        #expect(codebook.variables[3].instructions == "")
        #expect(codebook.variables[3].required == false)
    }

    @Test func jsonWithEveryField() throws {
        let json = """
            {
              "name": "Protest coverage",
              "description": "News articles about protests",
              "instructions": "Code only what the article states.",
              "variables": [
                {"name": "violence", "display_name": "Violence reported", "type": "boolean",
                 "instructions": "Does the article report violence by anyone?", "required": true,
                 "confidence_threshold": 0.8, "if_uncertain": "null",
                 "examples": [{"text": "Police fired tear gas at the crowd.", "value": true, "evidence": "fired tear gas"}]},
                {"name": "organiser", "type": "category", "instructions": "Who organised the protest?",
                 "categories": ["union", {"code": "students", "label": "Student groups",
                                          "description": "University or school students"}, {"code": 3, "label": "Other"}],
                 "if_multiple_values": "all", "max_values": 2, "default": "union",
                 "depends_on": {"variable": "violence", "equals": true}},
                {"name": "crowd_size", "type": "number", "if_uncertain": "skip", "validation": {"min": 0, "max": 1000000}},
                {"name": "day", "type": "date", "validation": {"min_date": "2020-01-01", "max_date": "2024-12-31"}},
                {"name": "summary", "type": "TEXT", "if_multiple_values": "summarize",
                 "validation": {"pattern": "^[A-Z]", "min_length": 10, "max_length": 200},
                 "depends_on": {"variable": "organiser", "in": ["union", "students"]}}
              ]
            }
            """
        #expect(try CodebookLoader.decode(json, format: .json) == Self.expected)
    }

    @Test func aBareListOfVariablesIsACodebook() throws {
        let yaml = """
            - name: topic
              type: text
            - name: tone
              type: category
              categories: [positive, negative]
            """
        let codebook = try CodebookLoader.decode(yaml, format: .yaml)
        #expect(codebook.name == nil)
        #expect(codebook.variables.map(\.name) == ["topic", "tone"])
        #expect(codebook.variables[1].categories.map(\.code) == ["positive", "negative"])

        let json = #"[{"name": "topic", "type": "text"}]"#
        #expect(try CodebookLoader.decode(json, format: .json).variables.map(\.name) == ["topic"])
    }

    @Test func aCodebookCanSayItCodesEntities() throws {
        let yaml = """
            unit: entity
            entity_instruction: each protest event the article reports
            variables:
              - name: city
                type: text
            """
        let codebook = try CodebookLoader.decode(yaml, format: .yaml)
        #expect(codebook.unit == .entity)
        #expect(codebook.entities == "each protest event the article reports")
        #expect(try CodebookLoader.decode(try CodebookLoader.yaml(codebook), format: .yaml) == codebook)
        let missing = #expect(throws: CodebookLoadError.self) {
            try CodebookLoader.decode("unit: entity\nvariables: [{name: city, type: text}]", format: .yaml)
        }
        #expect(missing?.problems.map(\.field) == ["entity_instruction"])
    }

    @Test func loadPicksTheFormatAndNamesTheFile() throws {
        let folder = try TempFolder("ingest")
        let yml = try folder.write("codebook.yml", Self.fullYAML)
        #expect(try CodebookLoader.load(contentsOf: yml) == Self.expected)

        // No known extension: JSON is recognised by its opening brace.
        let sniffed = try folder.write("codebook.txt", #"{"variables": [{"name": "a", "type": "text"}]}"#)
        #expect(try CodebookLoader.load(contentsOf: sniffed).variables.map(\.name) == ["a"])

        let bad = try folder.write("bad.yaml", "variables:\n  - name: a\n    type: color\n")
        let error = #expect(throws: CodebookLoadError.self) { try CodebookLoader.load(contentsOf: bad) }
        #expect(
            error?.description == "codebook \(bad.path) is invalid: variables[0].type: unknown type 'color' "
                + "(expected one of boolean, category, date, number, text)")

        let missing = folder.url.appendingPathComponent("nope.yaml")
        #expect(throws: CodebookLoadError.unreadable(path: missing.path, reason: "no such file")) {
            try CodebookLoader.load(contentsOf: missing)
        }
        let syntax = try folder.write("syntax.json", "{\"variables\": [")
        let syntaxError = #expect(throws: CodebookLoadError.self) { try CodebookLoader.load(contentsOf: syntax) }
        #expect(syntaxError?.description.hasPrefix("codebook \(syntax.path): JSON syntax error at line 1") == true)
    }

    @Test func yamlRoundTripsAndLeavesDefaultsOut() throws {
        let text = try CodebookLoader.yaml(Self.expected)
        #expect(try CodebookLoader.decode(text, format: .yaml) == Self.expected)
        #expect(!text.contains("confidence_threshold: 0.7"))
        #expect(!text.contains("required: false"))
        #expect(!text.contains("examples: []"))
        #expect(text.contains("- union\n"))
        #expect(text.contains("name: Protest coverage"))
    }

    // Decoders treat a null value as an absent key, which gave the default `flag` before the loader quoted it.
    @Test func ifUncertainNullIsTheNullChoiceNotTheDefault() throws {
        let yaml = """
            variables:
              - name: a
                type: text
                if_uncertain: null
              - name: b
                type: text
                if_uncertain: ~
              - name: c
                type: text
            """
        #expect(try CodebookLoader.decode(yaml, format: .yaml).variables.map(\.ifUncertain) == [.null, .null, .flag])
        let list = "- name: a\n  type: text\n  if_uncertain: null\n"
        #expect(try CodebookLoader.decode(list, format: .yaml).variables.map(\.ifUncertain) == [.null])
        let json = #"{"variables": [{"name": "a", "type": "text", "if_uncertain": null}, {"name": "b", "type": "text"}]}"#
        #expect(try CodebookLoader.decode(json, format: .json).variables.map(\.ifUncertain) == [.null, .flag])
        let jsonList = #"[{"name": "a", "type": "text", "if_uncertain": null}]"#
        #expect(try CodebookLoader.decode(jsonList, format: .json).variables.map(\.ifUncertain) == [.null])
    }

    @Test func duplicateYAMLKeysAreRefused() {
        let yaml = "variables:\n  - name: a\n    name: b\n    type: text\n"
        #expect(throws: CodebookLoadError.syntax("YAML error at line 2: key 'name' appears twice in the same mapping")) {
            try CodebookLoader.decode(yaml, format: .yaml)
        }
    }

    @Test func yamlIsWrittenInReadingOrderWithPlainNumbers() throws {
        let text = try CodebookLoader.yaml(Self.expected)
        #expect(
            text.contains(
                """
                - name: violence
                  display_name: Violence reported
                  type: boolean
                  instructions: Does the article report violence by anyone?
                  required: true
                  confidence_threshold: 0.8
                  if_uncertain: 'null'
                  examples:
                """))
        #expect(text.contains("    min: 0\n    max: 1000000\n"))
    }

    @Test func yamlKeepsUnicodeAndMultilineInstructionsReadable() throws {
        let codebook = Codebook(variables: [
            Variable(
                name: "ton", type: .category, instructions: "Quel est le ton ?\nRépondez « positif » ou « négatif ».",
                categories: [Category(code: "1", label: "positif"), Category(code: "2", label: "négatif")])
        ])
        let text = try CodebookLoader.yaml(codebook)
        #expect(text.contains("Répondez « positif »"))
        #expect(try CodebookLoader.decode(text, format: .yaml) == codebook)
    }
}
