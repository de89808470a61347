import AssayCore
import AssayProviders
import AssayStore
import Foundation
import Logging

/// Jobs through the queue: stored `pending` by one process, coded by the `assay worker`s that
/// join them (`WorkClaims` keeps each document with one worker at a time).
extension ExtractionEngine {
    /// Plans the job and stores it `pending` for workers (`assay run --enqueue-only`, a service
    /// without workers). A sample is drawn now and kept as its documents, so every worker codes
    /// the same sample. Throws before anything is stored when the plan does.
    public func enqueue(projectID: Int64, options: Options) async throws -> Job {
        try await enqueuePlanned(projectID: projectID, options: options).job
    }

    /// `enqueue`, with the plan it made: `prepare` joins with it rather than planning twice.
    func enqueuePlanned(projectID: Int64, options: Options) async throws -> (job: Job, plan: JobPlan) {
        let queue = try self.queue()
        let planned = try await plan(projectID: projectID, options: options)
        var selection = planned.options.selection
        if selection.sampleSize != nil, selection.documentIDs == nil { selection.documentIDs = planned.documents.map(\.documentID) }
        let job = try await queue.enqueueJob(
            projectID: projectID, kind: planned.options.kind, codebookVersion: planned.version.version,
            promptHash: planned.prompt.hash, model: provider.model, selection: selection, total: planned.documents.count,
            message: startMessage(planned))
        if planned.options.kind == .full { try await store.setProjectStatus(.processing, projectID: projectID) }
        logger.info("job queued", metadata: ["job": "\(job.id)", "documents": "\(planned.documents.count)"])
        return (job, planned)
    }

    /// The queued job, ready for this worker to code alongside any others: planned again from its
    /// stored selection and codebook version (documents done meanwhile drop out) with this
    /// worker's options (concurrency, packing, time budget), and taken (pending becomes running).
    /// Nil when the job is no longer pending or running. Throws when this worker cannot code it:
    /// another model, or the plan fails (no price, models unavailable).
    public func join(_ job: Job, options: Options, swept: [Job] = []) async throws -> PreparedJob? {
        try await join(job, options: options, swept: swept, planned: nil)
    }

    /// `join`; `planned` is the job's plan when this process has just made it (`prepare`).
    func join(_ job: Job, options: Options, swept: [Job], planned made: JobPlan?) async throws -> PreparedJob? {
        let started = ContinuousClock.now
        let queue = try self.queue()
        guard job.model == provider.model else { throw EngineError.otherModel(job: job.id, model: job.model, worker: provider.model) }
        var options = options
        options.spread = true
        options.kind = job.kind
        options.selection = job.selection
        let planned: JobPlan
        if let made {
            planned = made
        } else {
            planned = try await plan(projectID: job.projectID, options: options, codebookVersion: job.codebookVersion)
        }
        guard let taken = try await queue.takeJob(id: job.id) else { return nil }
        logger.info("job joined", metadata: ["job": "\(job.id)", "documents": "\(planned.documents.count)"])
        return PreparedJob(
            job: taken, alreadyDone: planned.alreadyDone, documents: planned.documents, prompt: planned.prompt,
            codebookVersion: planned.version.version, options: planned.options, started: started, estimate: planned.estimate,
            plan: planned.coding, swept: swept)
    }

    private func queue() throws -> any WorkClaims {
        guard let queue = store as? any WorkClaims else { throw EngineError.nothingToRun("this database keeps no queue of jobs") }
        return queue
    }
}
