import AssayCore
import AssayStore
import Foundation
import Testing

/// The store contract, continued: claims on documents, their leases, the zombie guard, and the
/// sweep of jobs whose process is gone.
extension StoreConformanceTests {
    func claims(_ store: any Store) throws -> any WorkClaims {
        try #require(store as? any WorkClaims, "every store keeps claims")
    }

    @Test(arguments: StoreKind.allCases)
    func aDocumentIsClaimedByOneJobAtATime(kind: StoreKind) async throws {
        let store = try await kind.make()
        let claims = try claims(store)
        let (project, documents) = try await Fixtures.project(in: store, documents: 3)
        let (a, b) = (try await Fixtures.job(in: store, project: project), try await Fixtures.job(in: store, project: project))
        let ids = documents.map(\.id)
        let first = try await claims.claim(
            documentIDs: ids[0...1].map { $0 }, jobID: a.id, codebookVersion: 1, skipDone: true, lease: .seconds(60))
        #expect(first.claimed == [ids[0], ids[1]] && first.heldElsewhere.isEmpty && first.done.isEmpty)
        let second = try await claims.claim(documentIDs: ids, jobID: b.id, codebookVersion: 1, skipDone: true, lease: .seconds(60))
        #expect(second.claimed == [ids[2]])
        #expect(second.heldElsewhere == [ids[0]: a.id, ids[1]: a.id])
        // A job claiming again what it holds keeps it.
        #expect(
            try await claims.claim(documentIDs: [ids[0]], jobID: a.id, codebookVersion: 1, skipDone: true, lease: .seconds(60)).claimed == [
                ids[0]
            ])

        // Done by a: its claim ends, and b skips the document as done (unless asked to redo it).
        try await store.record(Fixtures.result(job: a, document: documents[0]))
        let again = try await claims.claim(documentIDs: [ids[0]], jobID: b.id, codebookVersion: 1, skipDone: true, lease: .seconds(60))
        #expect(again.done == [ids[0]] && again.claimed.isEmpty)
        let redo = try await claims.claim(documentIDs: [ids[0]], jobID: b.id, codebookVersion: 1, skipDone: false, lease: .seconds(60))
        #expect(redo.claimed == [ids[0]])
        // A failed outcome is not done: it may be coded again.
        try await store.record(Fixtures.result(job: b, document: documents[2], outcome: .failed))
        #expect(
            try await claims.claim(documentIDs: [ids[2]], jobID: a.id, codebookVersion: 1, skipDone: true, lease: .seconds(60)).claimed == [
                ids[2]
            ])

        // Released: free for the other job. A status does not release them (a job cancelled from
        // elsewhere still stores what it finishes before it notices, then releases them).
        try await claims.releaseClaims(jobID: a.id, documentIDs: [ids[1]])
        #expect(
            try await claims.claim(documentIDs: [ids[1]], jobID: b.id, codebookVersion: 1, skipDone: true, lease: .seconds(60)).claimed == [
                ids[1]
            ])
        try await store.setJobStatus(.paused, error: nil, jobID: b.id)
        #expect(
            try await claims.claim(documentIDs: [ids[1]], jobID: a.id, codebookVersion: 1, skipDone: true, lease: .seconds(60)).claimed
                .isEmpty)
        try await store.setJobStatus(.cancelled, error: nil, jobID: b.id)
        #expect(
            try await claims.claim(documentIDs: [ids[1]], jobID: a.id, codebookVersion: 1, skipDone: true, lease: .seconds(60)).claimed
                .isEmpty)
        try await claims.releaseClaims(jobID: b.id, documentIDs: nil)
        #expect(
            try await claims.claim(documentIDs: [ids[1]], jobID: a.id, codebookVersion: 1, skipDone: true, lease: .seconds(60)).claimed == [
                ids[1]
            ])
    }

    /// A lease that ran out is taken over; the old job's late result is then refused (zombie
    /// guard), whole, and the new owner's stands.
    @Test(arguments: StoreKind.allCases)
    func anExpiredLeaseIsTakenOverAndTheZombiesResultRefused(kind: StoreKind) async throws {
        let store = try await kind.make()
        let claims = try claims(store)
        let (project, documents) = try await Fixtures.project(in: store, documents: 2)
        let (zombie, heir) = (try await Fixtures.job(in: store, project: project), try await Fixtures.job(in: store, project: project))
        let ids = documents.map(\.id)
        _ = try await claims.claim(documentIDs: ids, jobID: zombie.id, codebookVersion: 1, skipDone: true, lease: .milliseconds(1))
        try await Task.sleep(for: .milliseconds(20))
        let taken = try await claims.claim(documentIDs: [ids[0]], jobID: heir.id, codebookVersion: 1, skipDone: true, lease: .seconds(60))
        #expect(taken.claimed == [ids[0]])
        try await store.record(Fixtures.result(job: heir, document: documents[0], values: [("sentiment", "neg")]))
        await #expect(throws: StoreError.claimLost(documentID: ids[0], heldBy: nil)) {
            try await store.record([
                Fixtures.result(job: zombie, document: documents[1]), Fixtures.result(job: zombie, document: documents[0]),
            ])
        }
        // The heir has stored its value (its claim ended): the zombie's late result is refused
        // all the same, and nothing of the refused batch was written; the heir's value stands.
        let values = try await store.extractions(projectID: project.id, documentID: nil)
        #expect(values.map(\.documentID) == [ids[0]] && values.first { $0.variable == "sentiment" }?.value == "neg")
        // The zombie's document no one took over is still its to store.
        try await store.record(Fixtures.result(job: zombie, document: documents[1]))
        #expect(try await store.outcomes(projectID: project.id).count == 2)
    }

    /// A job left `running` whose heartbeat stopped is paused with the reason, its claims freed;
    /// a job whose heartbeat goes on is left alone.
    @Test(arguments: StoreKind.allCases)
    func theSweepPausesJobsWhoseProcessIsGone(kind: StoreKind) async throws {
        let store = try await kind.make()
        let claims = try claims(store)
        let (project, documents) = try await Fixtures.project(in: store, documents: 1)
        let gone = try await Fixtures.job(in: store, project: project)
        _ = try await claims.claim(documentIDs: [documents[0].id], jobID: gone.id, codebookVersion: 1, skipDone: true, lease: .seconds(600))
        try await Task.sleep(for: .milliseconds(5))
        let silence = Date()
        try await Task.sleep(for: .milliseconds(5))
        let alive = try await Fixtures.job(in: store, project: project)
        try await Fixtures.handle(store, worker: "alive").renewClaims(jobID: alive.id, lease: .seconds(60))
        let swept = try await claims.sweepAbandonedJobs(silentSince: silence) { _ in false }
        #expect(swept.map(\.id) == [gone.id])
        let job = try #require(try await store.job(id: gone.id))
        #expect(job.status == .paused && job.error?.hasPrefix("its process stopped") == true)
        #expect(try await store.events(jobID: gone.id).last?.kind == .jobPaused)
        #expect(try await store.job(id: alive.id)?.status == .running)
        let freed = try await claims.claim(
            documentIDs: [documents[0].id], jobID: alive.id, codebookVersion: 1, skipDone: true, lease: .seconds(60))
        #expect(freed.claimed == [documents[0].id])
    }

    /// A job whose worker is known gone (its process on this machine ended) is swept though its
    /// heartbeat is fresh; one whose worker lives, or is not known, is left alone.
    @Test(arguments: StoreKind.allCases)
    func theSweepPausesJobsWhoseWorkerIsGone(kind: StoreKind) async throws {
        let store = try await kind.make()
        let claims = try claims(store)
        let (project, _) = try await Fixtures.project(in: store, documents: 1)
        let (dead, alive, unknown) = try await (
            Fixtures.job(in: store, project: project), Fixtures.job(in: store, project: project),
            Fixtures.job(in: store, project: project)
        )
        try await Fixtures.handle(store, worker: "dead worker").renewClaims(jobID: dead.id, lease: .seconds(60))
        try await Fixtures.handle(store, worker: "live worker").renewClaims(jobID: alive.id, lease: .seconds(60))
        let swept = try await claims.sweepAbandonedJobs(silentSince: Date().addingTimeInterval(-3600)) { $0 == "dead worker" }
        #expect(swept.map(\.id) == [dead.id])
        let reason = try await store.job(id: dead.id)?.error
        #expect(reason == "its process on this machine is gone: resume it or run again")
        let (left, unknownLeft) = try await (store.job(id: alive.id)?.status, store.job(id: unknown.id)?.status)
        #expect(left == .running && unknownLeft == .running)
    }
}
