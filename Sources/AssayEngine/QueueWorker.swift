import AssayCore
import AssayStore
import Foundation
import Logging

/// `assay worker`: takes queued jobs (any project's) and codes them beside the other workers
/// until stopped. Each job is joined (`ExtractionEngine.join`) and coded through claims, so no
/// document is coded by two workers; a worker whose share is done while others still hold the
/// rest leaves the job to them, and the last one completes it. Between jobs it sweeps: a job
/// whose workers are all gone goes back to the queue and is taken again.
public struct QueueWorker: Sendable {
    public let engine: ExtractionEngine
    /// This worker's options (concurrency, packing, time budget); the job sets kind and selection.
    public var options: ExtractionEngine.Options
    /// How often an idle worker looks for work.
    public var pollInterval: Duration = .seconds(2)

    public init(engine: ExtractionEngine, options: ExtractionEngine.Options) {
        self.engine = engine
        self.options = options
        // Stopping the worker leaves its job to the others (or the queue); it does not cancel it.
        self.options.cancelLeaves = true
    }

    /// What the worker is doing, for its log and terminal.
    public enum Event: Sendable {
        case joined(Job)
        case progress(RunProgress)
        /// Its part of the job is over: the job's status says whether the job is done.
        case finished(RunSummary)
        /// A job this worker cannot code (another model, no price), left to others.
        case skipped(Job, reason: String)
    }

    /// Works until the task is cancelled or, with `exitWhenIdle`, until no queued job is pending
    /// or running that it could code. Returns how many times it worked on a job.
    public func run(exitWhenIdle: Bool = false, events: @escaping @Sendable (Event) -> Void = { _ in }) async throws -> Int {
        guard let queue = engine.store as? any WorkClaims else { throw EngineError.nothingToRun("this database keeps no queue of jobs") }
        var worked = 0
        // Jobs this worker left to its co-workers: not joined again while they run (the sweep
        // puts a job whose workers are gone back to pending, and pending ones are always taken).
        var left: Set<Int64> = []
        var cannot: Set<Int64> = []
        while !Task.isCancelled {
            _ = try? await engine.sweepAbandonedJobs(lease: options.claimLease)
            let queued = try await queue.queuedJobs().filter { !cannot.contains($0.id) }
            left.formIntersection(queued.filter { $0.status == .running }.map(\.id))
            guard let job = queued.first(where: { $0.status == .pending || !left.contains($0.id) }) else {
                if exitWhenIdle && queued.isEmpty { break }
                try? await Task.sleep(for: pollInterval)
                continue
            }
            let prepared: ExtractionEngine.PreparedJob
            do {
                guard let joined = try await engine.join(job, options: options) else { continue }
                prepared = joined
            } catch is CancellationError {
                break
            } catch let error as EngineError {
                // Its model, price or batch API is not this worker's: that will not change while it runs.
                cannot.insert(job.id)
                engine.logger.warning("job skipped", metadata: ["job": "\(job.id)", "reason": "\(error)"])
                events(.skipped(job, reason: "\(error)"))
                continue
            } catch {
                // The database hiccuped, or the job changed under us: looked at again at the next poll.
                engine.logger.warning("job not joined", metadata: ["job": "\(job.id)", "reason": "\(error)"])
                try? await Task.sleep(for: pollInterval)
                continue
            }
            events(.joined(prepared.job))
            let summary = try await engine.execute(prepared) { events(.progress($0)) }
            worked += 1
            if summary.job.status == .running { left.insert(job.id) }
            events(.finished(summary))
        }
        return worked
    }
}
