import AssayCore
import AssayStore

/// Seed 004's order of work — documents and a codebook, then a sample that a person reviews,
/// then everything — checked before a run starts, the same for the CLI, the service and the
/// workbench. A full run before any sample is allowed only when the request says so
/// (`--skip-sample`, `"skip_sample": true`): the person has chosen to skip the review.
package enum Workflow {
    /// Why a run cannot start yet.
    package enum Refusal: Sendable, Equatable, CustomStringConvertible {
        /// The project has no readable document to code.
        case noDocuments(project: String)
        /// A full run, but no sample has completed under the current codebook version.
        case sampleFirst(project: String, codebookVersion: Int)

        package var description: String {
            switch self {
            case .noDocuments(let project):
                "project '\(project)' has no readable documents to code"
            case .sampleFirst(let project, let version):
                "no sample of project '\(project)' has completed under codebook version \(version): "
                    + "run a sample and review it before coding every document"
            }
        }
    }

    /// Refuses the run when the project is not at the step it needs.
    static func check(_ request: Jobs.Request, project: Project, store: any Store) async throws {
        // The first step missing is the codebook: the engine says how to import one.
        guard let codebook = try await store.latestCodebook(projectID: project.id) else { return }
        guard try await store.documentCount(projectID: project.id, status: .ready) > 0 else {
            throw ServiceError.notReady(.noDocuments(project: project.name))
        }
        guard request.isFullRun, !request.skipSample, [.created, .schemaDefined].contains(project.status) else { return }
        throw ServiceError.notReady(.sampleFirst(project: project.name, codebookVersion: codebook.version))
    }
}

extension Jobs.Request {
    /// Every document not yet done, rather than a sample or chosen documents.
    var isFullRun: Bool { kind == .full && documentIDs == nil }
}
