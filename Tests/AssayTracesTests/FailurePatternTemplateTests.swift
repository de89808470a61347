import AssayCore
import Foundation
import Testing

@testable import AssayTraces

@Suite struct FailurePatternTemplateTests {
    let schema = FailurePatternSchema.schema

    func codes(_ codebook: Codebook, _ variable: String) -> [String] {
        codebook.variable(named: variable)?.categories.map(\.code) ?? []
    }

    @Test func theBuiltInTemplateValidates() throws {
        let codebook = try FailurePatternTemplate.builtIn.validated()
        #expect(
            codebook.variables.map(\.name) == [
                "summary", "failure_type", "trigger_condition", "root_cause_hypothesis",
                "severity", "recommended_actions", "reproduction_context", "title",
            ])
        // Every variable is a model-supplied property of the schema.
        let properties = try #require(schema["properties"]?.objectValue)
        for variable in codebook.variables { #expect(properties[variable.name] != nil, "\(variable.name)") }
    }

    @Test func categoriesAreTheSchemaVocabulary() throws {
        let codebook = FailurePatternTemplate.builtIn
        let failureTypes = schema["properties"]?["failure_type"]?["enum"]?.arrayValue?.compactMap(\.stringValue)
        #expect(codes(codebook, "failure_type") == failureTypes)
        #expect(codes(codebook, "severity") == schema["properties"]?["severity"]?["enum"]?.arrayValue?.compactMap(\.stringValue))
        #expect(codes(codebook, "trigger_condition").count == 25)
        #expect(codes(codebook, "trigger_condition").allSatisfy(TriggerCondition.isValidLabel))
        for variable in codebook.variables {
            #expect(!variable.instructions.isEmpty)
            for category in variable.categories { #expect(category.description?.isEmpty == false, "\(category.code)") }
        }
    }

    @Test func lengthsAndListsFollowTheSchema() throws {
        let codebook = FailurePatternTemplate.builtIn
        let title = try #require(codebook.variable(named: "title"))
        #expect(title.validation?.maxLength == 120)
        #expect(title.required)
        let actions = try #require(codebook.variable(named: "recommended_actions"))
        #expect(actions.ifMultipleValues == .all)
        #expect(actions.maxValues == 3)
        #expect(actions.required)
        #expect(actions.validation?.maxLength == 200)
        #expect(codebook.variable(named: "summary")?.validation?.maxLength == 400)
        #expect(codebook.variable(named: "reproduction_context")?.required == false)
    }

    @Test func projectsAddTheirOwnTriggers() throws {
        let locale = Category(code: "unsupported_locale", description: "The user's locale is not supported by a component.")
        let codebook = try FailurePatternTemplate.codebook(extraTriggers: [locale, Category(code: "long_context")])
        let triggers = codes(codebook, "trigger_condition")
        #expect(triggers.count == 26)
        #expect(triggers.last == "unsupported_locale")
        // The prompt offers the new label with its meaning.
        let prompt = ExtractionPrompt(codebook: codebook)
        #expect(prompt.codebookSection.contains("* unsupported_locale: The user's locale is not supported by a component."))
        #expect(prompt.codebookSection.contains("* provider_error = Provider error: The model API itself failed"))
        #expect(prompt.system.contains("[REDACTED:kind] marks a removed sensitive value"))

        #expect(throws: CodebookError.self) { try FailurePatternTemplate.codebook(extraTriggers: [Category(code: "Odd Label")]) }
        do {
            _ = try FailurePatternTemplate.codebook(extraTriggers: [Category(code: "ok_label"), Category(code: "x")])
            Issue.record("a one-letter label must be refused")
        } catch {
            #expect(error.problems.map(\.field) == ["extra_triggers[1].code"])
        }
    }
}
