import AssayCore
import AssayIngest
import AssayStore
import Foundation

extension Workspace {
    /// Imports a codebook from YAML or JSON text (an upload); problems name their fields.
    public func importCodebook(text: String, format: CodebookFormat? = nil, projectID: Int64) async throws
        -> (version: CodebookVersion, isNew: Bool) {
        let codebook = try CodebookLoader.decode(text, format: format ?? .sniff(text))
        return try await importCodebook(codebook, projectID: projectID)
    }

    /// The codebook in force, or an empty one (no variables yet) for a project without one.
    public func currentCodebook(projectID: Int64) async throws -> Codebook {
        try await store.latestCodebook(projectID: projectID)?.codebook ?? Codebook(variables: [])
    }

    /// Adds a variable; every change makes a new codebook version and a new prompt.
    public func addVariable(_ variable: Variable, projectID: Int64) async throws -> CodebookVersion {
        var codebook = try await currentCodebook(projectID: projectID)
        guard codebook.variable(named: variable.name) == nil else {
            throw CodebookError(problems: [CodebookProblem(field: "name", reason: "a variable named '\(variable.name)' already exists")])
        }
        codebook.variables.append(variable)
        return try await importCodebook(codebook, projectID: projectID).version
    }

    /// Replaces the named variable (it may be renamed), keeping its place in the codebook.
    public func replaceVariable(named name: String, with variable: Variable, projectID: Int64) async throws -> CodebookVersion {
        var codebook = try await currentCodebook(projectID: projectID)
        guard let index = codebook.variables.firstIndex(where: { $0.name == name }) else {
            throw EngineError.unknownVariable(name)
        }
        codebook.variables[index] = variable
        return try await importCodebook(codebook, projectID: projectID).version
    }

    /// Removes the named variable; a codebook needs at least one, so the last cannot go.
    public func removeVariable(named name: String, projectID: Int64) async throws -> CodebookVersion {
        var codebook = try await currentCodebook(projectID: projectID)
        guard codebook.variable(named: name) != nil else { throw EngineError.unknownVariable(name) }
        codebook.variables.removeAll { $0.name == name }
        return try await importCodebook(codebook, projectID: projectID).version
    }
}
