import AssayCore
import AssayEngine
import AssayProviders
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// Queued jobs and `assay worker`'s loop: several workers on one job share its documents, the
/// last one completes it, and a stopped worker's job goes back to the queue for the next.
@Suite struct QueueWorkerTests {
    func worker(_ f: EngineFixture, _ name: String, _ provider: any LLMProvider) -> QueueWorker {
        var options = ExtractionEngine.Options(concurrency: 4)
        options.controlInterval = .milliseconds(10)
        var worker = QueueWorker(engine: ExtractionEngine(store: f.store.asWorker(name), provider: provider), options: options)
        worker.pollInterval = .milliseconds(10)
        return worker
    }

    @Test func twoWorkersShareAQueuedJobAndCodeEachDocumentOnce() async throws {
        let f = try await EngineFixture(documents: 40)
        let counter = ScriptedProvider(steps: [], then: FakeModel.good)
        let provider = SharedWorkTests.Unhurried(counter: counter)
        let job = try await f.engine(provider).enqueue(projectID: f.project.id, options: .init())
        #expect(job.status == .pending && job.total == 40)
        async let a = worker(f, "a", provider).run(exitWhenIdle: true)
        async let b = worker(f, "b", provider).run(exitWhenIdle: true)
        let (workedA, workedB) = try await (a, b)
        #expect(workedA >= 1 && workedB >= 1)
        #expect(await counter.callCount == 40)
        let done = try #require(try await f.store.job(id: job.id))
        #expect(done.status == .completed && done.succeeded == 40 && done.processed == 40)
        #expect(try await f.store.events(jobID: job.id).filter { $0.kind == .jobCompleted }.count == 1)
        #expect(try await f.store.outcomes(projectID: f.project.id).count == 40)
    }

    /// A worker stopped mid-job (its task cancelled, as SIGTERM does after the grace) gives its
    /// claims back and, being the job's last worker, puts the job back in the queue; the next
    /// worker codes only what was left.
    @Test func aStoppedWorkersJobGoesBackToTheQueueAndTheNextFinishesIt() async throws {
        let f = try await EngineFixture(documents: 20)
        let hanging = HangingProvider(answering: 8)
        let job = try await f.engine(hanging).enqueue(projectID: f.project.id, options: .init())
        let first = Task { try await worker(f, "first", hanging).run() }
        while try await f.store.job(id: job.id)?.processed ?? 0 < 8 { try await Task.sleep(for: .milliseconds(5)) }
        first.cancel()
        _ = try await first.value
        let left = try #require(try await f.store.job(id: job.id))
        #expect(left.status == .pending && left.processed == 8, "\(left)")
        let counter = ScriptedProvider(model: "hanging", steps: [], then: FakeModel.good)
        #expect(try await worker(f, "next", counter).run(exitWhenIdle: true) == 1)
        #expect(await counter.callCount == 12)
        let done = try #require(try await f.store.job(id: job.id))
        #expect(done.status == .completed && done.succeeded == 20)
    }

    /// A paused job does not hold its worker: the documents in flight are stored, the worker leaves
    /// the job and codes the next one in the queue, and takes the first up again once it is resumed.
    @Test(.timeLimit(.minutes(1))) func aPausedJobLetsItsWorkerCodeTheNextAndIsTakenUpWhenResumed() async throws {
        let f = try await EngineFixture(documents: 30)
        let workspace = Workspace(store: f.store)
        let other = try await workspace.createProject(name: "other")
        _ = try await workspace.importCodebook(Protests.codebook, projectID: other.id)
        for i in 1...5 {
            _ = try await f.store.upsertDocument(
                DocumentInput(externalID: "other\(i).txt", mediaType: "text/plain", text: Protests.document(i)), projectID: other.id)
        }
        let counter = ScriptedProvider(steps: [], then: FakeModel.good)
        let provider = SharedWorkTests.Unhurried(counter: counter)
        let first = try await f.engine(provider).enqueue(projectID: f.project.id, options: .init())
        let running = Task { try await worker(f, "w", provider).run() }
        defer { running.cancel() }
        while try await f.store.job(id: first.id)?.processed ?? 0 < 3 { try await Task.sleep(for: .milliseconds(2)) }
        try await f.store.setJobStatus(.paused, error: "paused on request", jobID: first.id)
        let second = try await f.engine(provider).enqueue(projectID: other.id, options: .init())

        while try await f.store.job(id: second.id)?.status != .completed { try await Task.sleep(for: .milliseconds(5)) }
        let paused = try #require(try await f.store.job(id: first.id))
        #expect(paused.status == .paused && paused.processed < 30, "\(paused)")
        // Nothing of the paused job is held: what was in flight was stored and the rest let go.
        let outcomes = try await f.store.outcomes(projectID: f.project.id).count
        #expect(outcomes == paused.processed)

        try await f.store.setJobStatus(.running, error: nil, jobID: first.id)
        while try await f.store.job(id: first.id)?.status != .completed { try await Task.sleep(for: .milliseconds(5)) }
        #expect(try await f.store.outcomes(projectID: f.project.id).count == 30)
        #expect(await counter.callCount == 35)
    }

    /// A job for another model is left to a worker of that model; the worker does not wait for it.
    @Test func aWorkerSkipsAJobForAnotherModel() async throws {
        let f = try await EngineFixture(documents: 2)
        let job = try await f.engine(ScriptedProvider(model: "other", steps: [])).enqueue(projectID: f.project.id, options: .init())
        let counter = ScriptedProvider(steps: [], then: FakeModel.good)
        #expect(try await worker(f, "w", counter).run(exitWhenIdle: true) == 0)
        #expect(await counter.callCount == 0)
        #expect(try await f.store.job(id: job.id)?.status == .pending)
    }
}

/// `assay serve --no-worker`: the service's job runner stores started jobs in the queue and runs
/// none itself; a worker codes them, and pause and resume reach the job through its status.
@Suite struct EnqueueOnlyRunnerTests {
    @Test func aServiceWithoutWorkersQueuesItsJobsForAWorker() async throws {
        let f = try await EngineFixture(documents: 6)
        let counter = ScriptedProvider(steps: [], then: FakeModel.good)
        let runner = JobRunner(engine: f.engine(counter), enqueueOnly: true)
        let job = try await runner.start(projectID: f.project.id, kind: .full, selection: .all)
        #expect(job.status == .pending && job.queued && job.total == 6)
        #expect(await runner.isActive(jobID: job.id) == false)
        // Paused and resumed through its status, though no process here runs it.
        #expect(try await runner.pause(jobID: job.id).status == .paused)
        #expect(try await runner.resume(jobID: job.id).status == .running)
        try await Task.sleep(for: .milliseconds(20))
        #expect(await counter.callCount == 0)
        // Its worker is gone (there never was one): the sweep puts it back in the queue, and a worker codes it.
        var worker = QueueWorker(
            engine: ExtractionEngine(store: f.store.asWorker("w"), provider: counter), options: .init(concurrency: 2))
        _ = try await f.engine(counter).sweepAbandonedJobs(lease: .milliseconds(1))
        #expect(try await f.store.job(id: job.id)?.status == .pending)
        worker.pollInterval = .milliseconds(10)
        #expect(try await worker.run(exitWhenIdle: true) == 1)
        #expect(await counter.callCount == 6)
        #expect(try await f.store.job(id: job.id)?.status == .completed)
    }
}
