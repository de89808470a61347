import AssayCore
import AssayService
import AssayStore
import Foundation

/// A database with two service accounts' projects and a local one, each with a codebook, a
/// document and (after `code`) a value.
struct ServiceFixture {
    let store: SQLiteStore
    let ada = Requester.account(userID: 1, email: "ada@example.org", seesPatterns: false)
    let bob = Requester.account(userID: 2, email: "bob@example.org", seesPatterns: false)

    init() throws {
        store = try SQLiteStore.inMemory()
    }

    static let codebook = Codebook(variables: [Variable(name: "city", type: .text, instructions: "The city.")])

    /// A project of `requester` with the codebook and one document.
    func project(of requester: Requester, name: String = "Protests") async throws -> (project: Project, document: Document) {
        let project = try await Projects(store: store).create(name: name, for: requester)
        _ = try await Codebooks(store: store).importCodebook(Self.codebook, projectID: project.id, for: requester)
        let (document, _) = try await store.upsertDocument(
            DocumentInput(externalID: "notes/a.txt", mediaType: "text/plain", text: "Teachers marched in Lisbon."), projectID: project.id)
        return (project, document)
    }

    func job(of project: Project) async throws -> Job {
        try await store.startJob(
            projectID: project.id, kind: .sample, codebookVersion: 1, promptHash: "h", model: "m",
            selection: .all, total: 1, message: nil, projectStatus: nil)
    }

    /// A stored value for the document, as a job would leave it.
    func value(for document: Document, in project: Project) async throws -> Extraction {
        let job = try await job(of: project)
        try await store.record(
            DocumentResult(
                jobID: job.id, documentID: document.id, codebookVersion: 1, contentHash: document.contentHash, outcome: .succeeded,
                extractions: [
                    Extraction(
                        documentID: document.id, variable: "city", value: "Lisbon", confidence: 0.9, evidence: nil,
                        rationale: nil, status: .extracted, codebookVersion: 1, promptHash: "h", model: "m",
                        jobID: job.id)
                ],
                errors: []))
        guard let value = try await store.extractions(projectID: project.id, documentID: document.id).first else {
            throw ServiceError.notFound(.extraction(0))
        }
        return value
    }
}
