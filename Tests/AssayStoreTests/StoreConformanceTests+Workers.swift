import AssayCore
import AssayStore
import Foundation
import Testing

/// The store contract, continued: several workers on one job each hold their own claims, the
/// queue of jobs for workers, and the sweep of one worker or of a whole job's workers.
extension StoreConformanceTests {
    @Test(arguments: StoreKind.allCases)
    func twoWorkersOnOneJobEachHoldTheirOwnDocuments(kind: StoreKind) async throws {
        let store = try await kind.make()
        let (project, documents) = try await Fixtures.project(in: store, documents: 3)
        let job = try await Fixtures.job(in: store, project: project)
        let (a, b) = (try Fixtures.handle(store, worker: "a"), try Fixtures.handle(store, worker: "b"))
        let ids = documents.map(\.id)
        let first = try await a.claim(
            documentIDs: [ids[0], ids[1]], jobID: job.id, codebookVersion: 1, skipDone: false, lease: .seconds(60))
        #expect(first.claimed == [ids[0], ids[1]])
        // The same job, another worker: a's documents are held, the third is b's.
        let second = try await b.claim(documentIDs: ids, jobID: job.id, codebookVersion: 1, skipDone: false, lease: .seconds(60))
        #expect(second.claimed == [ids[2]] && second.heldElsewhere == [ids[0]: job.id, ids[1]: job.id])
        // b cannot store a's document (zombie guard per worker); a can.
        await #expect(throws: StoreError.claimLost(documentID: ids[0], heldBy: job.id)) {
            try await b.record(Fixtures.result(job: job, document: documents[0]))
        }
        try await a.record(Fixtures.result(job: job, document: documents[0], outcome: .failed))
        // Coded by this job (even failed, even when chosen documents are redone): done for every worker of it.
        let again = try await b.claim(documentIDs: [ids[0]], jobID: job.id, codebookVersion: 1, skipDone: false, lease: .seconds(60))
        #expect(again.done == [ids[0]] && again.claimed.isEmpty)
        // Another job may still redo it when asked to.
        let other = try await Fixtures.job(in: store, project: project)
        #expect(
            try await a.claim(documentIDs: [ids[0]], jobID: other.id, codebookVersion: 1, skipDone: false, lease: .seconds(60)).claimed == [
                ids[0]
            ])
        // a leaving gives back only a's claims.
        try await a.releaseClaims(jobID: job.id, documentIDs: nil)
        #expect(
            try await b.claim(documentIDs: [ids[1]], jobID: job.id, codebookVersion: 1, skipDone: false, lease: .seconds(60)).claimed == [
                ids[1]
            ])
        #expect(
            try await b.claim(documentIDs: [ids[0]], jobID: other.id, codebookVersion: 1, skipDone: false, lease: .seconds(60))
                .heldElsewhere == [ids[0]: other.id])
    }

    @Test(arguments: StoreKind.allCases)
    func aQueuedJobIsTakenByWorkersAndGoesBackWhenTheLastOneStops(kind: StoreKind) async throws {
        let store = try await kind.make()
        let queue = try claims(store)
        let (project, _) = try await Fixtures.project(in: store, documents: 1)
        let plain = try await Fixtures.job(in: store, project: project)
        let job = try await queue.enqueueJob(
            projectID: project.id, kind: .full, codebookVersion: 1, promptHash: "prompt-1", model: "test-model", selection: .all,
            total: 1, message: "1 document")
        #expect(job.status == .pending && job.queued)
        #expect(try await store.events(jobID: job.id).map(\.kind) == [.jobQueued])
        // Only queued jobs are a worker's to take.
        #expect(try await queue.queuedJobs().map(\.id) == [job.id] && plain.queued == false)
        let (a, b) = (try Fixtures.handle(store, worker: "a"), try Fixtures.handle(store, worker: "b"))
        #expect(try await a.takeJob(id: job.id)?.status == .running)
        #expect(try await b.takeJob(id: job.id)?.status == .running)
        try await a.renewClaims(jobID: job.id, lease: .seconds(60))
        try await b.renewClaims(jobID: job.id, lease: .seconds(60))
        // One worker stopping leaves the job to the other; the last one puts it back in the queue.
        try await a.releaseClaims(jobID: job.id, documentIDs: nil)
        #expect(try await store.job(id: job.id)?.status == .running)
        try await b.releaseClaims(jobID: job.id, documentIDs: nil)
        #expect(try await store.job(id: job.id)?.status == .pending)
        #expect(try await store.events(jobID: job.id).last?.kind == .jobQueued)
        // A job not pending or running is no longer taken.
        try await store.setJobStatus(.cancelled, error: nil, jobID: job.id)
        #expect(try await a.takeJob(id: job.id) == nil)
        #expect(try await queue.queuedJobs().isEmpty)
    }

    /// A dead worker loses its claims while the job's live worker goes on; once every worker is
    /// gone, a queued job goes back to the queue (a job not queued is paused).
    @Test(arguments: StoreKind.allCases)
    func theSweepDropsDeadWorkersAndRequeuesAJobWithNoneLeft(kind: StoreKind) async throws {
        let store = try await kind.make()
        let queue = try claims(store)
        let (project, documents) = try await Fixtures.project(in: store, documents: 2)
        let job = try await queue.enqueueJob(
            projectID: project.id, kind: .full, codebookVersion: 1, promptHash: "prompt-1", model: "test-model", selection: .all,
            total: 2, message: nil)
        let (dead, alive) = (try Fixtures.handle(store, worker: "dead"), try Fixtures.handle(store, worker: "alive"))
        _ = try await dead.takeJob(id: job.id)
        _ = try await dead.claim(documentIDs: [documents[0].id], jobID: job.id, codebookVersion: 1, skipDone: true, lease: .seconds(600))
        try await dead.renewClaims(jobID: job.id, lease: .seconds(600))
        try await alive.renewClaims(jobID: job.id, lease: .seconds(600))
        let deadOnly: @Sendable (String) -> Bool = { $0 == "dead" }
        #expect(try await queue.sweepAbandonedJobs(silentSince: Date().addingTimeInterval(-3600), isGone: deadOnly).isEmpty)
        #expect(try await store.job(id: job.id)?.status == .running)
        // The dead worker's document is free for the live one at once, though its lease had long to run.
        let taken = try await alive.claim(
            documentIDs: [documents[0].id], jobID: job.id, codebookVersion: 1, skipDone: true, lease: .seconds(60))
        #expect(taken.claimed == [documents[0].id])
        let swept = try await queue.sweepAbandonedJobs(silentSince: Date().addingTimeInterval(-3600)) { _ in true }
        #expect(swept.map(\.id) == [job.id] && swept.first?.status == .pending)
        #expect(swept.first?.error == "its process on this machine is gone: back in the queue for the next worker")
        #expect(try await store.events(jobID: job.id).last?.kind == .jobQueued)
        #expect(try await queue.queuedJobs().map(\.id) == [job.id])
    }
}
