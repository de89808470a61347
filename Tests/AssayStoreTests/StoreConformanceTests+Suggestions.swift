import AssayCore
import AssayStore
import Foundation
import Testing

/// The store contract, continued: what the co-pilot and refinement suggested, kept with the model
/// and prompt version, listed newest first, gone with the project.
extension StoreConformanceTests {
    @Test(arguments: StoreKind.allCases)
    func keepsSuggestionSetsWithTheirModelAndPromptVersion(kind: StoreKind) async throws {
        let store = try await kind.make()
        let project = try await store.createProject(name: "grants", description: nil)
        let other = try await store.createProject(name: "speeches", description: nil)
        let at = Date(timeIntervalSince1970: 1_800_000_000)
        let reply: JSONValue = ["variables": [["name": "tone", "type": "text"]], "instructions": []]
        let first = try await store.addSuggestionSet(
            SuggestionSet(
                projectID: project.id, kind: .codebook, codebookVersion: nil, model: "small", promptVersion: "assay-suggest-v1",
                reply: reply, createdAt: at))
        #expect(first.id > 0 && first.reply == reply && first.codebookVersion == nil && first.variable == nil)
        #expect(first.createdAt == at && first.model == "small" && first.promptVersion == "assay-suggest-v1")
        let refined = try await store.addSuggestionSet(
            SuggestionSet(
                projectID: project.id, kind: .refinement, variable: "amount", codebookVersion: 3, model: "judge",
                promptVersion: "assay-refine-v1", reply: ["proposals": []], createdAt: at))
        let second = try await store.addSuggestionSet(
            SuggestionSet(
                projectID: project.id, kind: .codebook, codebookVersion: 2, model: "small", promptVersion: "assay-suggest-v1",
                reply: ["variables": [], "instructions": []], createdAt: at))
        _ = try await store.addSuggestionSet(
            SuggestionSet(projectID: other.id, kind: .codebook, codebookVersion: nil, model: "m", promptVersion: "v", reply: [:]))

        #expect(try await store.suggestionSets(projectID: project.id, kind: .codebook, variable: nil).map(\.id) == [second.id, first.id])
        let refinements = try await store.suggestionSets(projectID: project.id, kind: .refinement, variable: "amount")
        #expect(refinements == [refined] && refinements.first?.codebookVersion == 3)
        #expect(try await store.suggestionSets(projectID: project.id, kind: .refinement, variable: "other").isEmpty)

        await #expect(throws: StoreError.self) {
            _ = try await store.addSuggestionSet(
                SuggestionSet(projectID: 9_999, kind: .codebook, codebookVersion: nil, model: "m", promptVersion: "v", reply: [:]))
        }
        await #expect(throws: StoreError.self) {
            _ = try await store.addSuggestionSet(
                SuggestionSet(
                    projectID: project.id, kind: .codebook, codebookVersion: nil, model: "a\u{0}b", promptVersion: "v", reply: [:]))
        }
        try await store.deleteProject(id: project.id)
        #expect(try await store.suggestionSets(projectID: project.id, kind: .codebook, variable: nil).isEmpty)
    }
}
