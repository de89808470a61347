import AssayCore
import AssayIngest
import AssayStore
import Foundation

/// The two workflow steps the pipeline itself needs below every front end: a project, and a
/// codebook imported into it (validated, hashed into its prompt, a new version that sends the
/// project back to `schema_defined`). `AssayTraces` makes its failure-patterns project with it and
/// the benchmark its corpus; the front ends' use cases (projects, documents, codebooks, …) live
/// in `AssayService`, above this.
public struct Workspace: Sendable {
    public let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    // MARK: Projects

    /// A project without an owner; its name follows `ProjectName`'s rule.
    public func createProject(name: String, description: String? = nil) async throws -> Project {
        try await store.createProject(name: try ProjectName.checked(name), description: description)
    }

    // MARK: Codebook

    /// Stores the codebook as a new version when it changed. A new version makes earlier results
    /// stale, so the project goes back to `schema_defined`.
    ///
    /// The unit of observation goes with the codebook: one that names its own (`unit:`) sets the
    /// project's; one that does not takes the project's, so the version says what its rows are.
    public func importCodebook(_ codebook: Codebook, projectID: Int64) async throws -> (version: CodebookVersion, isNew: Bool) {
        var codebook = codebook
        if codebook.unit == nil, let project = try await store.project(id: projectID), project.unit == .entity {
            codebook.unit = .entity
            codebook.entityInstruction = project.entityInstruction
        }
        let checked = try codebook.validated()
        let prompt = ExtractionPrompt(codebook: checked)
        let saved = try await store.saveCodebook(checked, promptHash: prompt.hash, projectID: projectID)
        if saved.isNew { try await store.setProjectStatus(.schemaDefined, projectID: projectID) }
        if let unit = checked.unit { try await store.setProjectUnit(unit, entityInstruction: checked.entities, projectID: projectID) }
        return saved
    }
}
