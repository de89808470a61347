import AssayCore
import Foundation
import Testing

@Suite struct CodebookTests {
    @Test func fixtureCodebookIsValid() throws {
        #expect(Fixtures.codebook.problems().isEmpty)
    }

    @Test func categoryWithoutCategoriesNamesTheField() {
        let codebook = Codebook(variables: [Variable(name: "issue", type: .category)])
        #expect(codebook.problems().map(\.field) == ["variables[0].categories"])
        #expect(throws: CodebookError.self) { try codebook.validated() }
    }

    @Test func unknownTypeIsRefusedWithTheChoices() throws {
        let json = #"{"variables":[{"name":"x","type":"colour"}]}"#
        do {
            _ = try JSONDecoder().decode(Codebook.self, from: Data(json.utf8))
            Issue.record("decoded an unknown type")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(context.debugDescription.contains("unknown type 'colour'"))
            #expect(context.codingPath.map(\.stringValue).contains("type"))
        }
    }

    @Test func problemsAreListedPerField() {
        let codebook = Codebook(variables: [
            Variable(name: "1bad", type: .text),
            Variable(name: "n", type: .number, confidenceThreshold: 2, validation: ValidationRules(min: 5, max: 1)),
            Variable(name: "n", type: .text, dependsOn: Dependency(variable: "missing", equals: true)),
            Variable(name: "d", type: .date, validation: ValidationRules(minDate: "2024-13-01")),
        ])
        let fields = Set(codebook.problems().map(\.field))
        #expect(
            fields.isSuperset(of: [
                "variables[0].name", "variables[1].confidence_threshold", "variables[1].validation",
                "variables[2].name", "variables[2].depends_on.variable", "variables[3].validation.min_date",
            ]))
    }

    @Test func defaultsFollowTheBrief() throws {
        let v = try JSONDecoder().decode(Variable.self, from: Data(#"{"name":"x","type":"TEXT"}"#.utf8))
        #expect(v.confidenceThreshold == 0.7)
        #expect(v.ifUncertain == .flag)
        #expect(v.ifMultipleValues == .first)
        #expect(v.type == .text)
    }

    @Test func contentHashIgnoresNothingThatMatters() {
        var changed = Fixtures.codebook
        #expect(changed.contentHash == Fixtures.codebook.contentHash)
        changed.variables[1].instructions = "The city only."
        #expect(changed.contentHash != Fixtures.codebook.contentHash)
    }
}

@Suite struct VariableDecodingTests {
    /// Regression: `if_uncertain: null` decoded as the default `flag` (decodeIfPresent reads null as absent).
    @Test func ifUncertainNullIsTheNullChoice() throws {
        let v = try JSONDecoder().decode(Variable.self, from: Data(#"{"name":"x","type":"text","if_uncertain":null}"#.utf8))
        #expect(v.ifUncertain == .null)
    }
}
