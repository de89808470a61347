import AssayCore
import AssayStore
import AssayTraces

/// Loads what a requester names, but only when it is theirs: anything else — another account's,
/// or one that does not exist — is the same `notFound`, so nothing about it leaks. The jobs of
/// the failure-patterns project (which has no owner) are visible to whoever sees patterns.
package struct Access: Sendable {
    let store: any Store & ReviewStore

    package init(store: any Store & ReviewStore) {
        self.store = store
    }

    package func project(_ id: Int64, for requester: Requester) async throws -> Project {
        guard let project = try await store.project(id: id), project.owner == requester.owner else {
            throw ServiceError.notFound(.project(id))
        }
        return project
    }

    package func document(_ id: Int64, for requester: Requester) async throws -> Document {
        guard let document = try await store.document(id: id), try await owns(document.projectID, requester) else {
            throw ServiceError.notFound(.document(id))
        }
        return document
    }

    package func job(_ id: Int64, for requester: Requester) async throws -> Job {
        guard let job = try await store.job(id: id) else { throw ServiceError.notFound(.job(id)) }
        if try await owns(job.projectID, requester) { return job }
        guard requester.seesPatterns, let project = try await store.project(id: job.projectID),
            Self.isTracesProject(project)
        else { throw ServiceError.notFound(.job(id)) }
        return job
    }

    package func extraction(_ id: Int64, for requester: Requester) async throws -> Extraction {
        guard let extraction = try await store.extraction(id: id),
            let document = try await store.document(id: extraction.documentID),
            try await owns(document.projectID, requester)
        else {
            throw ServiceError.notFound(.extraction(id))
        }
        return extraction
    }

    /// The built-in project trace runs work in: no owner, the traces module's name.
    static func isTracesProject(_ project: Project) -> Bool {
        project.owner == nil && project.name == TraceRunner.projectName
    }

    private func owns(_ projectID: Int64, _ requester: Requester) async throws -> Bool {
        try await store.project(id: projectID)?.owner == requester.owner
    }
}
