import AssayCore
import AssayStore
import Foundation

/// Loads what a request names, but only when the signed-in user owns it: anything else — another
/// user's or one that does not exist — is the same 404, so nothing about it leaks.
struct Ownership: Sendable {
    let store: any Store & ReviewStore

    func project(_ id: Int64, for identity: Identity) async throws -> Project {
        guard let project = try await store.project(id: id), project.owner == identity.owner else {
            throw APIProblem.notFound("project \(id)")
        }
        return project
    }

    func document(_ id: Int64, for identity: Identity) async throws -> Document {
        guard let document = try await store.document(id: id),
              (try? await project(document.projectID, for: identity)) != nil else {
            throw APIProblem.notFound("document \(id)")
        }
        return document
    }

    func job(_ id: Int64, for identity: Identity) async throws -> Job {
        guard let job = try await store.job(id: id), (try? await project(job.projectID, for: identity)) != nil else {
            throw APIProblem.notFound("job \(id)")
        }
        return job
    }

    func extraction(_ id: Int64, for identity: Identity) async throws -> (Extraction, Document) {
        guard let extraction = try await store.extraction(id: id),
              let document = try? await self.document(extraction.documentID, for: identity) else {
            throw APIProblem.notFound("extraction \(id)")
        }
        return (extraction, document)
    }
}
