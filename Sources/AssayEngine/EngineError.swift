import Foundation

/// Why a job or a workspace operation cannot go ahead, in words that say what to do.
public enum EngineError: Error, Sendable, Equatable, CustomStringConvertible {
    case noProject(String)
    case ambiguousProject([String])
    case noCodebook(project: String)
    case nothingToRun(String)
    case unknownDocuments([String])
    case unknownVariable(String)

    public var description: String {
        switch self {
        case .noProject(let name):
            name.isEmpty ? "no project in this database; create one with: assay init --name NAME"
                : "no project named '\(name)'; list them with: assay projects"
        case .ambiguousProject(let names):
            "several projects in this database (\(names.joined(separator: ", "))); choose one with --project NAME"
        case .noCodebook(let project):
            "project '\(project)' has no codebook yet; import one with: assay codebook import FILE"
        case .nothingToRun(let why): why
        case .unknownDocuments(let ids): "no such documents: \(ids.joined(separator: ", "))"
        case .unknownVariable(let name): "the codebook has no variable named '\(name)'"
        }
    }
}
