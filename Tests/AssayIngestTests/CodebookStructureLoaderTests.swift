import AssayCore
import AssayIngest
import Foundation
import Testing

/// The codebook file carries Halterman & Keith's parts — definition, include and exclude rules,
/// negative examples — through YAML and JSON and back; their problems name their fields.
@Suite struct CodebookStructureLoaderTests {
    static let yaml = """
        variables:
          - name: violence
            type: boolean
            definition: Physical force against people or property.
            instructions: Does the article report violence?
            include: Police violence against protesters counts.
            exclude:
              - Threats without force.
              - Verbal abuse.
            examples:
              - text: Police fired tear gas.
                value: true
              - text: They shouted insults.
                kind: negative
        """

    @Test func yamlAndJSONCarryTheNewPartsAndWriteThemBack() throws {
        let codebook = try CodebookLoader.decode(Self.yaml, format: .yaml)
        let violence = try #require(codebook.variables.first)
        #expect(violence.definition == "Physical force against people or property.")
        #expect(violence.include == ["Police violence against protesters counts."])
        #expect(violence.exclude == ["Threats without force.", "Verbal abuse."])
        #expect(violence.examples.map(\.kind) == [nil, .negative] && violence.examples[1].value == .null)
        for format in [CodebookFormat.yaml, .json, .csv] {
            let text = try CodebookLoader.text(codebook, format: format)
            #expect(try CodebookLoader.decode(text, format: format) == codebook, "\(format)")
        }
        // People read the definition before the instructions, the rules after them.
        let written = try CodebookLoader.yaml(codebook)
        let order = ["definition:", "instructions:", "include:", "exclude:", "examples:"].map { written.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil } && order.compactMap { $0 } == order.compactMap { $0 }.sorted())
    }

    @Test func problemsNameTheirFields() {
        let text = Self.yaml.replacingOccurrences(of: "kind: negative", with: "kind: maybe")
            .replacingOccurrences(of: "definition: Physical force against people or property.", with: "definiton: x")
        let error = #expect(throws: CodebookLoadError.self) { try CodebookLoader.decode(text, format: .yaml) }
        #expect(error?.problems.first { $0.field == "variables[0].definiton" }?.reason.contains("did you mean 'definition'") == true)
        let kind = Self.yaml.replacingOccurrences(of: "kind: negative", with: "kind: maybe")
        let kindError = #expect(throws: CodebookLoadError.self) { try CodebookLoader.decode(kind, format: .yaml) }
        #expect(kindError?.problems.map(\.field) == ["variables[0].examples[1].kind"])
    }
}
