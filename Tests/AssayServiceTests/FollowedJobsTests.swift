import AssayCore
import AssayEngine
import AssayProviders
import AssayService
import AssayStore
import Foundation
import Testing

/// Live updates of a job this process does not run (a worker's): the service follows it in the
/// store. The test writes to the store as the other process would.
@Suite(.timeLimit(.minutes(1))) struct FollowedJobsTests {
    let fixture: ServiceFixture
    let runner: JobRunner
    let jobs: Jobs

    init() throws {
        fixture = try ServiceFixture()
        // Nothing runs here: every job below is another process's.
        runner = JobRunner(
            engine: ExtractionEngine(store: fixture.store, provider: ScriptedProvider(steps: [])), followInterval: .milliseconds(10))
        jobs = Jobs(store: fixture.store, runner: runner)
    }

    @Test func progressAsAnotherProcessCodesThenCompleted() async throws {
        let (project, first) = try await fixture.project(of: fixture.ada)
        let (second, _) = try await fixture.store.upsertDocument(
            DocumentInput(externalID: "notes/b.txt", mediaType: "text/plain", text: "Nurses marched in Porto."), projectID: project.id)
        let job = try await fixture.store.startJob(
            projectID: project.id, kind: .full, codebookVersion: 1, promptHash: "h", model: "m", selection: .all, total: 2,
            message: nil, projectStatus: nil)
        var updates = try await jobs.updates(job.id, for: fixture.ada).makeAsyncIterator()

        let now = try #require(await updates.next())
        #expect(now.type == .progress && now.status == .running && now.processed == 0)
        try await record(first, job: job, outcome: .succeeded)
        // Each document the other process finishes is told, with its name, then the counters.
        let coded = try #require(await updates.next())
        #expect(coded.type == .documentCompleted && coded.documentID == first.id && coded.externalID == first.externalID)
        let one = try #require(await updates.next())
        #expect(one.type == .progress && one.processed == 1 && one.succeeded == 1)
        try await record(second, job: job, outcome: .failed)
        let failed = try #require(await updates.next())
        #expect(failed.type == .documentFailed && failed.externalID == "notes/b.txt" && failed.reason != nil)
        let two = try #require(await updates.next())
        #expect(two.type == .progress && two.processed == 2 && two.failed == 1)
        try await fixture.store.setJobStatus(.completed, error: nil, jobID: job.id)
        let last = try #require(await updates.next())
        #expect(last.type == .jobCompleted && last.processed == 2 && last.status == .completed)
        #expect(await updates.next() == nil)
        #expect(await !runner.follower.isFollowing(jobID: job.id))
    }

    @Test func queuedJobTakenPausedResumedCancelled() async throws {
        let (project, _) = try await fixture.project(of: fixture.ada)
        let job = try await fixture.store.enqueueJob(
            projectID: project.id, kind: .full, codebookVersion: 1, promptHash: "h", model: "m", selection: .all, total: 1,
            message: nil)
        var updates = try await jobs.updates(job.id, for: fixture.ada).makeAsyncIterator()
        #expect(await updates.next()?.status == .pending)
        var heard: [JobUpdate.Kind] = []
        let steps: [(JobStatus, String?)] = [(.running, nil), (.paused, "paused on request"), (.running, nil), (.cancelled, "cancelled")]
        for (status, error) in steps {
            try await fixture.store.setJobStatus(status, error: error, jobID: job.id)
            let update = try #require(await updates.next())
            #expect(update.status == status)
            heard.append(update.type)
        }
        #expect(heard == [.jobStarted, .jobPaused, .jobResumed, .jobCancelled])
        #expect(await updates.next() == nil)
    }

    /// Outside the queue, paused is a job's last word here (as for a run here at its budget).
    @Test func aJobOutsideTheQueueEndsItsStreamWhenPaused() async throws {
        let (project, _) = try await fixture.project(of: fixture.ada)
        let job = try await fixture.job(of: project)
        var updates = try await jobs.updates(job.id, for: fixture.ada).makeAsyncIterator()
        #expect(await updates.next()?.type == .progress)
        try await fixture.store.setJobStatus(.paused, error: "10 documents failed in a row", jobID: job.id)
        let paused = try #require(await updates.next())
        #expect(paused.type == .jobPaused && paused.reason == "10 documents failed in a row")
        #expect(await updates.next() == nil)
        // Paused already: the same at once.
        #expect(await collect(try await jobs.updates(job.id, for: fixture.ada)).map(\.type) == [.jobPaused])
    }

    @Test func aFinishedJobGetsItsFinalUpdateAtOnce() async throws {
        let (project, _) = try await fixture.project(of: fixture.ada)
        let job = try await fixture.job(of: project)
        try await fixture.store.setJobStatus(.failed, error: "the model is gone", jobID: job.id)
        let updates = await collect(try await jobs.updates(job.id, for: fixture.ada))
        #expect(updates.map(\.type) == [.jobFailed])
        #expect(updates.first?.reason == "the model is gone")
    }

    /// Subscribers of one job share one poller, which stops when the last goes away.
    @Test func subscribersShareAPollerThatStopsWhenTheyLeave() async throws {
        let (project, _) = try await fixture.project(of: fixture.ada)
        let job = try await fixture.job(of: project)
        let readers = try await (0..<2).asyncMap { _ in
            let updates = try await jobs.updates(job.id, for: fixture.ada)
            return Task { _ = await collect(updates) }
        }
        let follower = runner.follower
        while await follower.subscriberCount(jobID: job.id) < 2 { try await Task.sleep(for: .milliseconds(5)) }
        readers[0].cancel()
        while await follower.subscriberCount(jobID: job.id) > 1 { try await Task.sleep(for: .milliseconds(5)) }
        #expect(await follower.isFollowing(jobID: job.id))
        readers[1].cancel()
        while await follower.isFollowing(jobID: job.id) { try await Task.sleep(for: .milliseconds(5)) }
        #expect(try await fixture.store.job(id: job.id)?.status == .running)
    }

    /// A shutdown ends the streams of followed jobs (their job goes on elsewhere).
    @Test func aShutdownEndsFollowedStreams() async throws {
        let (project, _) = try await fixture.project(of: fixture.ada)
        let job = try await fixture.job(of: project)
        let reader = Task { await collect(try await jobs.updates(job.id, for: fixture.ada)) }
        while await runner.follower.subscriberCount(jobID: job.id) == 0 { try await Task.sleep(for: .milliseconds(5)) }
        await runner.shutdown(grace: .seconds(1))
        let updates = try await reader.value
        #expect(updates.first?.type == .progress && updates.allSatisfy { $0.status == .running })
        #expect(await !runner.follower.isFollowing(jobID: job.id))
        // Following nothing more: a later subscriber hears where the job stands, and its stream ends.
        #expect(await collect(try await jobs.updates(job.id, for: fixture.ada)).map(\.type) == [.progress])
    }

    private func record(_ document: Document, job: Job, outcome: DocumentOutcomeKind) async throws {
        try await fixture.store.record(
            DocumentResult(
                jobID: job.id, documentID: document.id, codebookVersion: 1, contentHash: document.contentHash, outcome: outcome,
                extractions: [], errors: [], tokensIn: 10, tokensOut: 2))
    }
}

private func collect(_ updates: AsyncStream<JobUpdate>) async -> [JobUpdate] {
    var all: [JobUpdate] = []
    for await update in updates { all.append(update) }
    return all
}

extension Range where Bound == Int {
    fileprivate func asyncMap<T>(_ transform: (Int) async throws -> T) async rethrows -> [T] {
        var mapped: [T] = []
        for i in self { mapped.append(try await transform(i)) }
        return mapped
    }
}
