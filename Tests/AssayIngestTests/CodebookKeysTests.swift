import AssayCore
import Testing

@testable import AssayIngest

/// The loader's lists of allowed keys are kept by hand; these fail when a core type gains a field,
/// so the list is updated instead of refusing the new field as a typo.
@Suite struct CodebookKeysTests {
    @Test func listsMatchTheCoreTypes() {
        let variable = Variable(name: "a", type: .text)
        #expect(Mirror(reflecting: variable).children.count == CodebookKeys.variable.count)
        #expect(Mirror(reflecting: Codebook(variables: [])).children.count == CodebookKeys.codebook.count)
        #expect(Mirror(reflecting: Category(code: "a")).children.count == CodebookKeys.category.count)
        #expect(Mirror(reflecting: ValidationRules()).children.count == CodebookKeys.validation.count)
        #expect(Mirror(reflecting: Dependency(variable: "a")).children.count == CodebookKeys.dependency.count)
        #expect(Mirror(reflecting: Example(text: "", value: .null)).children.count == CodebookKeys.example.count)
    }

    @Test func suggestions() {
        #expect(CodebookKeys.suggestion(for: "ifUncertain", among: CodebookKeys.variable) == "if_uncertain")
        #expect(CodebookKeys.suggestion(for: "max-values", among: CodebookKeys.variable) == "max_values")
        #expect(CodebookKeys.suggestion(for: "catgories", among: CodebookKeys.variable) == "categories")
        #expect(CodebookKeys.suggestion(for: "colour", among: CodebookKeys.variable) == nil)
    }
}
