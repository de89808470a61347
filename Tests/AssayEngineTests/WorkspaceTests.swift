import AssayCore
import AssayIngest
import AssayProviders
import AssayStore
import AssayTestSupport
import Foundation
import Testing

@testable import AssayEngine

@Suite struct WorkspaceTests {
    /// The failure-patterns project and the benchmark create projects here: the same name rule as the front ends.
    @Test func projectsFollowTheOneNameRule() async throws {
        let workspace = Workspace(store: try SQLiteStore.inMemory())
        #expect(try await workspace.createProject(name: "  A  ").name == "A")
        await #expect(throws: ProjectNameError.empty) { try await workspace.createProject(name: "  ") }
        await #expect(throws: ProjectNameError.tooLong(characters: 201)) {
            try await workspace.createProject(name: String(repeating: "x", count: 201))
        }
        await #expect(throws: StoreError.duplicateProject("A")) { try await workspace.createProject(name: "A") }
    }

    @Test func changedCodebookMakesANewVersionAndResetsStatus() async throws {
        let f = try await EngineFixture(documents: 2)
        let workspace = Workspace(store: f.store)
        #expect(try await workspace.importCodebook(Protests.codebook, projectID: f.project.id).isNew == false)
        _ = try await f.engine(ScriptedProvider(steps: [], then: FakeModel.good)).run(projectID: f.project.id, options: .init())
        #expect(try await f.store.project(id: f.project.id)?.status == .complete)

        var changed = Protests.codebook
        changed.variables[0].instructions = "The city, not the country."
        let (version, isNew) = try await workspace.importCodebook(changed, projectID: f.project.id)
        #expect(isNew && version.version == 2)
        #expect(try await f.store.project(id: f.project.id)?.status == .schemaDefined)
        // Every document is due again under the new version.
        #expect(try await f.store.documentsNeedingWork(projectID: f.project.id, codebookVersion: 2).count == 2)

        let bad = Codebook(variables: [Variable(name: "x", type: .category)])
        await #expect(throws: CodebookError.self) { try await workspace.importCodebook(bad, projectID: f.project.id) }
    }
}
