import AssayCore
import AssayStore
import Foundation
import Logging

/// Runs extraction jobs in the background for a long-lived front end (the HTTP service): starts
/// them, tracks them by job id, pauses, resumes and cancels them, and streams their progress to
/// any number of subscribers.
///
/// Pausing closes the job's `PauseGate`: documents in flight finish and are stored, no new one
/// starts, and the job's status is `paused`. Cancelling cancels the run's task; the engine stores
/// nothing for a document it was still working on, so the store stays consistent and the next
/// run redoes exactly what is left.
public actor JobRunner {
    public let engine: ExtractionEngine
    /// Options every job starts from (concurrency, time budget, chunking); kind and selection are per job.
    public let baseOptions: ExtractionEngine.Options
    private let logger: Logger
    /// Sees every update of every job once (metrics).
    private let observer: @Sendable (JobUpdate) -> Void

    private struct Active {
        var task: Task<RunSummary, any Error>
        var gate: PauseGate
        var job: Job
    }
    private var active: [Int64: Active] = [:]
    private var subscribers: [Int64: [UUID: AsyncStream<JobUpdate>.Continuation]] = [:]
    /// Batch mode: what subscribers last heard of each job's batches, per model.
    private var batchesShown: [Int64: [String: BatchActivity]] = [:]
    private var acceptingWork = true
    /// Jobs running at once; starting one more throws `JobRunnerError.busy` (seed 004's throttling).
    public let maxRunning: Int
    /// Jobs are stored in the queue for `assay worker`s and not run here (`assay serve --no-worker`).
    public let enqueueOnly: Bool
    /// Live updates of jobs other processes run (workers); stopped with the runner.
    public nonisolated let follower: JobFollower

    public init(
        engine: ExtractionEngine, baseOptions: ExtractionEngine.Options = ExtractionEngine.Options(), maxRunning: Int = 16,
        enqueueOnly: Bool = false, followInterval: Duration = .seconds(1), logger: Logger = Logger(label: "assay.jobs"),
        observer: @escaping @Sendable (JobUpdate) -> Void = { _ in }
    ) {
        self.follower = JobFollower(store: engine.store, interval: followInterval)
        self.enqueueOnly = enqueueOnly
        self.maxRunning = max(1, maxRunning)
        self.observer = observer
        self.engine = engine
        self.baseOptions = baseOptions
        self.logger = logger
    }

    public var store: any Store { engine.store }

    /// Starts a job and returns it once it is stored and running (`ExtractionEngine.prepare`);
    /// its documents are coded in the background. Throws what preparing throws (no codebook,
    /// unknown documents) with nothing stored.
    public func start(projectID: Int64, kind: JobKind, selection: JobSelection) async throws -> Job {
        var base = baseOptions
        base.kind = kind
        base.selection = selection
        if enqueueOnly {
            guard acceptingWork else { throw JobRunnerError.shuttingDown }
            return try await engine.enqueue(projectID: projectID, options: base)
        }
        let (engine, chosen) = (self.engine, base)
        let job = try await start { gate in
            var options = chosen
            options.gate = gate
            let prepared = try await engine.prepare(projectID: projectID, options: options)
            return Work(job: prepared.job) { observer in try await engine.execute(prepared, progress: observer) }
        }
        guard let job else { throw JobRunnerError.shuttingDown }  // never: this prepare always makes a job
        return job
    }

    /// A job stored and running, and what runs it: `run` reports each document to the observer
    /// it is given and returns when the work is over.
    public struct Work: Sendable {
        public let job: Job
        public let run: @Sendable (@escaping @Sendable (RunProgress) -> Void) async throws -> RunSummary

        public init(job: Job, run: @escaping @Sendable (@escaping @Sendable (RunProgress) -> Void) async throws -> RunSummary) {
            self.job = job
            self.run = run
        }
    }

    /// Starts work that prepares its own job (a trace batch also assembles patterns after the
    /// engine's pass); `prepare` gets the job's pause gate and answers nil when there is nothing
    /// to do. The work is tracked, paused, streamed and drained at shutdown like any other job.
    public func start(_ prepare: @Sendable (PauseGate) async throws -> Work?) async throws -> Job? {
        guard acceptingWork else { throw JobRunnerError.shuttingDown }
        // A paused job holds no slot: it sends nothing until it is resumed.
        var running = 0
        for entry in active.values where !(await entry.gate.isClosed) { running += 1 }
        guard running < maxRunning else { throw JobRunnerError.busy(running: running, retryAfter: Self.busyRetryAfter) }
        let gate = PauseGate()
        guard let work = try await prepare(gate) else { return nil }
        let job = work.job
        guard acceptingWork else {
            // The service began shutting down while the job was being stored.
            try await store.setJobStatus(.cancelled, error: "the service shut down before the job began", jobID: job.id)
            throw JobRunnerError.shuttingDown
        }
        let (events, sink) = AsyncStream.makeStream(of: RunProgress.self)
        let runTask = Task {
            defer { sink.finish() }
            return try await work.run { sink.yield($0) }
        }
        register(job, task: runTask, gate: gate)
        // One consumer per job keeps its events in order; it runs on this actor.
        Task {
            for await event in events { self.publish(event, jobID: job.id) }
            self.ended(job.id)
        }
        return job
    }

    /// How long a refused start is told to wait: about as long as a small job takes.
    static let busyRetryAfter = 30

    /// How many live subscribers the job has.
    public func subscriberCount(jobID: Int64) -> Int { subscribers[jobID]?.count ?? 0 }

    /// Whether this process is running the job now.
    public func isActive(jobID: Int64) -> Bool { active[jobID] != nil }

    /// Stops taking new documents; those in flight finish. The job's status becomes `paused`.
    public func pause(jobID: Int64) async throws -> Job {
        guard let entry = active[jobID] else {
            // A queued job's workers follow its stored status.
            let job = try await current(jobID)
            guard job.queued, job.status == .running || job.status == .pending else { return try await notRunning(jobID, doing: "pause") }
            try await store.setJobStatus(.paused, error: "paused on request", jobID: jobID)
            try await store.appendEvent(jobID: jobID, kind: .jobPaused, documentID: nil, message: "paused on request")
            return try await current(jobID)
        }
        await entry.gate.close()
        try await store.setJobStatus(.paused, error: nil, jobID: jobID)
        try await store.appendEvent(jobID: jobID, kind: .jobPaused, documentID: nil, message: nil)
        let job = try await current(jobID)
        send(JobUpdate(type: .jobPaused, job: job), to: jobID)
        return job
    }

    /// New budgets for a resumed job (a nil limit keeps the old one).
    public typealias Budget = AssayCore.Budget

    /// Resumes a paused job. A job paused by a process that is gone (a restart) continues as a new
    /// job over the documents still to do; the old job is closed with a note naming the new one.
    public func resume(jobID: Int64, budget: Budget? = nil) async throws -> Job {
        if let entry = active[jobID] {
            // Paused here, or from elsewhere (the stored status, which the job's watcher follows).
            let pausedElsewhere = try await store.job(id: jobID)?.status == .paused
            guard await entry.gate.isClosed || pausedElsewhere else { return try await notRunning(jobID, doing: "resume") }
            await entry.gate.open()
            try await store.setJobStatus(.running, error: nil, jobID: jobID)
            try await store.appendEvent(jobID: jobID, kind: .jobResumed, documentID: nil, message: nil)
            let job = try await current(jobID)
            send(JobUpdate(type: .jobResumed, job: job), to: jobID)
            return job
        }
        let old = try await current(jobID)
        guard old.status == .paused || old.status == .running else {
            throw JobRunnerError.notResumable(jobID: jobID, status: old.status)
        }
        if old.queued {
            // Its workers follow the stored status; a job with none left goes back to the queue
            // at the next sweep.
            guard old.status == .paused else { return try await notRunning(jobID, doing: "resume") }
            try await store.setJobStatus(.running, error: nil, jobID: jobID)
            try await store.appendEvent(jobID: jobID, kind: .jobResumed, documentID: nil, message: "resumed on request")
            return try await current(jobID)
        }
        var selection = old.selection
        if let budget {
            selection.maxTokens = budget.maxTokens ?? selection.maxTokens
            selection.maxCost = budget.maxCost ?? selection.maxCost
        }
        let next = try await start(projectID: old.projectID, kind: old.kind, selection: selection)
        try await store.appendEvent(jobID: jobID, kind: .jobResumed, documentID: nil, message: "continued as job #\(next.id)")
        try await store.setJobStatus(.cancelled, error: "interrupted; the remaining documents continue as job #\(next.id)", jobID: jobID)
        try await store.appendEvent(jobID: next.id, kind: .jobResumed, documentID: nil, message: "continues job #\(jobID)")
        return next
    }

    /// Cancels the job: documents in flight are dropped whole and redone by the next run.
    public func cancel(jobID: Int64) async throws -> Job {
        guard let entry = active[jobID] else {
            let job = try await current(jobID)
            guard !job.status.isFinished else { throw JobRunnerError.notResumable(jobID: jobID, status: job.status) }
            // Left running or paused by a process that is gone: what it held is free at once.
            try await store.setJobStatus(.cancelled, error: "cancelled", jobID: jobID)
            try await (store as? any WorkClaims)?.releaseClaims(jobID: jobID, documentIDs: nil)
            try await store.appendEvent(jobID: jobID, kind: .jobCancelled, documentID: nil, message: "cancelled")
            return try await current(jobID)
        }
        entry.task.cancel()
        _ = await entry.task.result
        return try await current(jobID)
    }

    /// Live updates of a job until it ends. Each subscriber has its own bounded buffer: a slow
    /// reader loses the oldest updates, never holds up the job. Finished or unknown jobs get an
    /// empty stream; callers send the job's final state from the store.
    public func updates(jobID: Int64) -> AsyncStream<JobUpdate> {
        let (stream, continuation) = AsyncStream.makeStream(of: JobUpdate.self, bufferingPolicy: .bufferingNewest(256))
        guard active[jobID] != nil else {
            continuation.finish()
            return stream
        }
        let id = UUID()
        subscribers[jobID, default: [:]][id] = continuation
        continuation.onTermination = { _ in Task { await self.unsubscribe(id, from: jobID) } }
        return stream
    }

    /// Graceful stop: no new jobs, no new documents; documents in flight get `grace` to finish,
    /// then the runs are cancelled (what was not stored is redone by the next run).
    public func shutdown(grace: Duration) async {
        acceptingWork = false
        await follower.stop()
        let entries = Array(active.values)
        for entry in entries { await entry.gate.close() }
        let drained = Task {
            for entry in entries { await entry.gate.drained() }
        }
        let timer = Task {
            try? await Task.sleep(for: grace)
            drained.cancel()
        }
        await drained.value
        timer.cancel()
        for entry in entries {
            entry.task.cancel()
            _ = await entry.task.result
        }
        logger.info("job runner stopped", metadata: ["jobs": "\(entries.count)"])
    }

    // MARK: - Events

    private func register(_ job: Job, task: Task<RunSummary, any Error>, gate: PauseGate) {
        active[job.id] = Active(task: task, gate: gate, job: job)
        send(JobUpdate(type: .jobStarted, job: job), to: job.id)
    }

    private func publish(_ event: RunProgress, jobID: Int64) {
        switch event {
        case .started: break
        case .control: break  // the status itself is the news; pollers of the job see it
        case .waiting, .swept: break
        case .batch(var activity):
            // Gathering changes with every request: subscribers hear the batches' own news.
            activity.gathering = 0
            guard activity.batches > 0, batchesShown[jobID]?[activity.model] != activity, let job = active[jobID]?.job else { return }
            batchesShown[jobID, default: [:]][activity.model] = activity
            var update = JobUpdate(type: .batchProgress, job: job)
            update.batch = activity
            send(update, to: jobID)
        case .documentFinished(let report):
            guard var job = active[jobID]?.job else { return }
            // The engine's counters, not a second count of our own.
            job.processed = report.counts.processed
            job.succeeded = report.counts.succeeded
            job.flagged = report.counts.flagged
            job.failed = report.counts.failed
            active[jobID]?.job = job
            send(
                JobUpdate(
                    type: report.outcome == .failed ? .documentFailed : .documentCompleted, job: job,
                    documentID: report.documentID, externalID: report.externalID, reason: report.reason), to: jobID)
            send(JobUpdate(type: .progress, job: job), to: jobID)
        case .finished(let summary):
            send(JobUpdate.final(for: summary.job), to: jobID)
        }
    }

    /// The run is over (finished, failed or thrown): close every stream.
    private func ended(_ jobID: Int64) {
        for continuation in subscribers[jobID]?.values ?? [:].values { continuation.finish() }
        subscribers[jobID] = nil
        active[jobID] = nil
        batchesShown[jobID] = nil
    }

    private func send(_ update: JobUpdate, to jobID: Int64) {
        observer(update)
        for continuation in subscribers[jobID]?.values ?? [:].values { continuation.yield(update) }
    }

    private func unsubscribe(_ id: UUID, from jobID: Int64) {
        subscribers[jobID]?[id] = nil
    }

    private func current(_ jobID: Int64) async throws -> Job {
        guard let job = try await store.job(id: jobID) else { throw StoreError.notFound("job #\(jobID)") }
        return job
    }

    private func notRunning(_ jobID: Int64, doing action: String) async throws -> Job {
        let job = try await current(jobID)
        throw JobRunnerError.notRunning(jobID: jobID, status: job.status, action: action)
    }
}

/// Why a job cannot be started, paused, resumed or cancelled now.
public enum JobRunnerError: Error, Sendable, Equatable, CustomStringConvertible {
    case shuttingDown
    case notRunning(jobID: Int64, status: JobStatus, action: String)
    case notResumable(jobID: Int64, status: JobStatus)
    /// As many jobs are running as the service allows; try again in `retryAfter` seconds.
    case busy(running: Int, retryAfter: Int)

    public var description: String {
        switch self {
        case .busy(let running, let seconds):
            "\(running) jobs are running, as many as this service runs at once; try again in \(seconds) s"
        case .shuttingDown: "the service is shutting down and takes no new jobs"
        case .notRunning(let id, let status, let action): "job #\(id) is \(status.rawValue), so there is nothing to \(action)"
        case .notResumable(let id, let status): "job #\(id) is \(status.rawValue) and cannot be changed any more"
        }
    }
}
