import AssayCore
import AssayEngine
import AssayIngest
import AssayStore

/// The codebook: import (a file or text), versions, the prompt it makes, and its variables one by
/// one. Every change is a new version with a new prompt.
package struct Codebooks: Sendable {
    let store: any Store & ReviewStore
    let access: Access
    let workspace: Workspace

    package init(store: any Store & ReviewStore) {
        self.store = store
        self.access = Access(store: store)
        self.workspace = Workspace(store: store)
    }

    /// Stores the codebook as a new version when it changed (the project goes back to `schema_defined`).
    package func importCodebook(
        _ codebook: Codebook, projectID: Int64, for requester: Requester
    ) async throws
        -> (version: CodebookVersion, isNew: Bool)
    {
        try await workspace.importCodebook(codebook, projectID: try await access.project(projectID, for: requester).id)
    }

    /// Imports a codebook from YAML or JSON text (an upload); problems name their fields.
    package func importCodebook(
        text: String, format: CodebookFormat? = nil, projectID: Int64, for requester: Requester
    )
        async throws -> (version: CodebookVersion, isNew: Bool)
    {
        let project = try await access.project(projectID, for: requester)
        let codebook = try CodebookLoader.decode(text, format: format ?? .sniff(text))
        return try await workspace.importCodebook(codebook, projectID: project.id)
    }

    /// Every problem a codebook's text has, each with its field path, without storing anything:
    /// what the workbench's form shows beside its fields as the person types. Empty when the text
    /// would import. Syntax errors and oversized texts throw, as they do on import.
    package func problems(
        text: String, format: CodebookFormat? = nil, projectID: Int64, for requester: Requester
    ) async throws -> [CodebookProblem] {
        _ = try await access.project(projectID, for: requester)
        // The store refuses NUL in text; say so now rather than at Save.
        guard !text.contains("\u{0}"), !text.lowercased().contains("\\u0000") else {
            throw ServiceError.invalid(field: "codebook", reason: "must not contain NUL characters")
        }
        do {
            _ = try CodebookLoader.decode(text, format: format ?? .sniff(text))
            return []
        } catch let error {
            guard case .invalid(let problems, _) = error else { throw error }
            return problems
        }
    }

    /// The version asked for, or the latest; `notFound` when the project has none (yet).
    package func version(_ number: Int? = nil, projectID: Int64, for requester: Requester) async throws -> CodebookVersion {
        let project = try await access.project(projectID, for: requester, needs: .view)
        let found: CodebookVersion?
        if let number {
            found = try await store.codebookVersions(projectID: project.id).first { $0.version == number }
        } else {
            found = try await store.latestCodebook(projectID: project.id)
        }
        guard let found else { throw ServiceError.notFound(.codebook(projectID: project.id, version: number)) }
        return found
    }

    package func versions(projectID: Int64, for requester: Requester) async throws -> [CodebookVersion] {
        try await store.codebookVersions(projectID: try await access.project(projectID, for: requester, needs: .view).id)
    }

    /// The latest version with the prompt and schema it sends the model.
    package func prompt(projectID: Int64, for requester: Requester) async throws -> (version: CodebookVersion, prompt: ExtractionPrompt) {
        let version = try await version(projectID: projectID, for: requester)
        return (version, ExtractionPrompt(codebook: version.codebook))
    }

    /// The variables in force; none for a project without a codebook.
    package func variables(projectID: Int64, for requester: Requester) async throws -> [Variable] {
        try await current(try await access.project(projectID, for: requester, needs: .view).id).variables
    }

    package func variable(named name: String, projectID: Int64, for requester: Requester) async throws -> Variable {
        let codebook = try await current(try await access.project(projectID, for: requester, needs: .view).id)
        guard let variable = codebook.variable(named: name) else { throw ServiceError.notFound(.variable(name)) }
        return variable
    }

    /// Adds a variable; every change makes a new codebook version and a new prompt.
    package func addVariable(_ variable: Variable, projectID: Int64, for requester: Requester) async throws -> CodebookVersion {
        try await change(projectID, requester) { codebook in
            guard codebook.variable(named: variable.name) == nil else {
                throw CodebookError(problems: [CodebookProblem(field: "name", reason: "a variable named '\(variable.name)' already exists")]
                )
            }
            codebook.variables.append(variable)
        }
    }

    /// Replaces the named variable (it may be renamed), keeping its place in the codebook.
    package func replaceVariable(
        named name: String, with variable: Variable, projectID: Int64, for requester: Requester
    )
        async throws -> CodebookVersion
    {
        try await change(projectID, requester) { codebook in
            guard let index = codebook.variables.firstIndex(where: { $0.name == name }) else {
                throw ServiceError.notFound(.variable(name))
            }
            codebook.variables[index] = variable
        }
    }

    /// Removes the named variable; a codebook needs at least one, so the last cannot go.
    package func removeVariable(named name: String, projectID: Int64, for requester: Requester) async throws -> CodebookVersion {
        try await change(projectID, requester) { codebook in
            guard codebook.variable(named: name) != nil else { throw ServiceError.notFound(.variable(name)) }
            codebook.variables.removeAll { $0.name == name }
        }
    }

    private func change(
        _ projectID: Int64, _ requester: Requester, _ edit: (inout Codebook) throws -> Void
    ) async throws
        -> CodebookVersion
    {
        let project = try await access.project(projectID, for: requester)
        var codebook = try await current(project.id)
        try edit(&codebook)
        return try await workspace.importCodebook(codebook, projectID: project.id).version
    }

    private func current(_ projectID: Int64) async throws -> Codebook {
        try await store.latestCodebook(projectID: projectID)?.codebook ?? Codebook(variables: [])
    }
}
