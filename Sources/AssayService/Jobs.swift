import AssayCore
import AssayEngine
import AssayStore

/// Jobs that run in the background of a long-lived front end (the service): start a sample (N or
/// chosen documents) or a full run, read progress and events, pause, resume, cancel, follow live.
package struct Jobs: Sendable {
    let store: any Store & ReviewStore
    let access: Access
    let runner: JobRunner

    package static let maxChosenDocuments = 10_000

    package init(store: any Store & ReviewStore, runner: JobRunner) {
        self.store = store
        self.access = Access(store: store)
        self.runner = runner
    }

    /// What to code: a sample of `sampleSize` (or the chosen documents), or every document not yet done.
    package struct Request: Sendable {
        package var kind: JobKind
        package var sampleSize: Int?
        package var documentIDs: [Int64]?
        package var seed: UInt64?
        /// How many times each document is coded; nil for the service's default (once).
        package var runs: Int?
        /// Budgets: pause the job once it has used this many tokens, or cost this many dollars.
        package var maxTokens: Int?
        package var maxCost: Double?
        /// Through the provider's batch API: half the price, replies within 24 hours.
        package var batch: Bool
        /// A full run although no sample has completed: the person chose to skip the review.
        package var skipSample: Bool

        package init(
            kind: JobKind, sampleSize: Int? = nil, documentIDs: [Int64]? = nil, seed: UInt64? = nil, runs: Int? = nil,
            maxTokens: Int? = nil, maxCost: Double? = nil, batch: Bool = false, skipSample: Bool = false
        ) {
            self.skipSample = skipSample
            self.batch = batch
            self.maxTokens = maxTokens
            self.maxCost = maxCost
            self.runs = runs
            self.kind = kind
            self.sampleSize = sampleSize
            self.documentIDs = documentIDs
            self.seed = seed
        }

        /// The documents the request selects, or why it cannot be run.
        package func selection() throws -> JobSelection {
            var selection = try documents()
            if let runs {
                guard (1...ExtractionEngine.Options.maxRuns).contains(runs) else {
                    throw ServiceError.invalid(field: "runs", reason: "must be from 1 to \(ExtractionEngine.Options.maxRuns)")
                }
                selection.runs = runs
            }
            try Self.check(maxTokens: maxTokens, maxCost: maxCost)
            selection.maxTokens = maxTokens
            selection.maxCost = maxCost
            selection.batch = batch ? true : nil
            return selection
        }

        static func check(maxTokens: Int?, maxCost: Double?) throws {
            if let maxTokens, !(1...1_000_000_000_000).contains(maxTokens) {
                throw ServiceError.invalid(field: "max_tokens", reason: "must be from 1 to 1000000000000")
            }
            if let maxCost, !(maxCost.isFinite && maxCost > 0 && maxCost <= 1_000_000) {
                throw ServiceError.invalid(field: "max_cost", reason: "must be more than 0 and at most 1000000 (US dollars)")
            }
        }

        func documents() throws -> JobSelection {
            if let ids = documentIDs {
                guard !ids.isEmpty else { throw ServiceError.invalid(field: "document_ids", reason: "must name at least one document") }
                guard ids.count <= Jobs.maxChosenDocuments else {
                    throw ServiceError.invalid(field: "document_ids", reason: "must name at most \(Jobs.maxChosenDocuments) documents")
                }
                return JobSelection(documentIDs: ids)
            }
            switch kind {
            case .sample:
                guard let size = sampleSize else {
                    throw ServiceError.invalid(field: "sample_size", reason: "a sample needs sample_size (or document_ids)")
                }
                guard size >= 1 else { throw ServiceError.invalid(field: "sample_size", reason: "must be at least 1") }
                return JobSelection(sampleSize: size, seed: seed ?? 42)
            case .full:
                guard sampleSize == nil else {
                    throw ServiceError.invalid(field: "sample_size", reason: "a full run takes every document; leave it out")
                }
                return .all
            }
        }
    }

    /// Starts the job; it is stored and running when this returns, its documents coded in the background.
    package func start(_ request: Request, projectID: Int64, for requester: Requester) async throws -> Job {
        let project = try await access.project(projectID, for: requester)
        let selection = try request.selection()
        try await Workflow.check(request, project: project, store: store)
        return try await runner.start(projectID: project.id, kind: request.kind, selection: selection)
    }

    package func list(projectID: Int64, for requester: Requester) async throws -> [Job] {
        try await store.jobs(projectID: try await access.project(projectID, for: requester).id)
    }

    package func get(_ id: Int64, for requester: Requester) async throws -> Job {
        try await access.job(id, for: requester)
    }

    package func events(_ id: Int64, for requester: Requester) async throws -> [JobEvent] {
        try await store.events(jobID: try await access.job(id, for: requester).id)
    }

    package func pause(_ id: Int64, for requester: Requester) async throws -> Job {
        try await runner.pause(jobID: try await access.job(id, for: requester).id)
    }

    /// The job resumed; a job left by a process that is gone continues as a new job (another id).
    package func resume(_ id: Int64, budget: JobRunner.Budget? = nil, for requester: Requester) async throws -> Job {
        try Request.check(maxTokens: budget?.maxTokens, maxCost: budget?.maxCost)
        return try await runner.resume(jobID: try await access.job(id, for: requester).id, budget: budget)
    }

    package func cancel(_ id: Int64, for requester: Requester) async throws -> Job {
        try await runner.cancel(jobID: try await access.job(id, for: requester).id)
    }

    /// The job's live updates until it is over: from this process's runner when the job runs
    /// here, otherwise followed in the store (a worker's job, another service's), so subscribers
    /// see any job move wherever it runs.
    package func updates(_ id: Int64, for requester: Requester) async throws -> AsyncStream<JobUpdate> {
        let job = try await access.job(id, for: requester)
        let live = await runner.updates(jobID: job.id)
        let (store, follower) = (self.store, runner.follower)
        return AsyncStream { continuation in
            let task = Task {
                // A stream that ends on job_paused ended at the job's budget (or the job is left
                // paused outside the queue): that is its last word, as a final update is.
                var heard: JobUpdate.Kind?
                func isLastWord() -> Bool { heard?.isFinal == true || heard == .jobPaused }
                for await update in live {
                    continuation.yield(update)
                    heard = update.type
                }
                if !isLastWord(), !Task.isCancelled {
                    for await update in await follower.updates(jobID: job.id) {
                        continuation.yield(update)
                        heard = update.type
                    }
                }
                // The follower stopped (the service is stopping) before the job was over: say where it stands.
                if !isLastWord(), !Task.isCancelled, let current = try? await store.job(id: job.id) {
                    continuation.yield(current.status.isFinished ? JobUpdate.final(for: current) : JobUpdate(type: .progress, job: current))
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
