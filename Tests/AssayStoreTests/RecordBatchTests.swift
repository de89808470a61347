import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// A packed request's documents are recorded in one transaction: all of them, or none.
@Suite(.postgresDatabases) struct RecordBatchTests {
    @Test(arguments: StoreKind.allCases)
    func aBatchIsRecordedWhole(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let (project, documents) = try await Fixtures.project(in: store)
        let job = try await Fixtures.job(in: store, project: project)
        try await store.record(documents.map { Fixtures.result(job: job, document: $0) })
        #expect(try await store.outcomes(projectID: project.id).count == 3)
        let counted = try #require(try await store.job(id: job.id))
        #expect(counted.processed == 3 && counted.succeeded == 3)
        #expect(try await store.events(jobID: job.id).filter { $0.kind == .docCompleted }.count == 3)
    }

    @Test(arguments: StoreKind.allCases)
    func aBatchWithOneBadResultWritesNothing(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let (project, documents) = try await Fixtures.project(in: store)
        let job = try await Fixtures.job(in: store, project: project)
        var missing = Fixtures.result(job: job, document: documents[1])
        missing.documentID = 9_999
        await #expect(throws: StoreError.notFound("document #9999")) {
            try await store.record([Fixtures.result(job: job, document: documents[0]), missing])
        }
        #expect(try await store.outcomes(projectID: project.id).isEmpty)
        #expect(try await store.extractions(projectID: project.id, documentID: nil).isEmpty)
        #expect(try await store.job(id: job.id)?.processed == 0)
    }
}
