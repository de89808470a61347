import AssayCore
import AssayProviders
import AssayStore
import Foundation
import Logging
import Tracing

/// Runs jobs: selects the documents, calls the provider with bounded concurrency, stores each
/// document's result atomically, emits progress, and leaves a resumable state if interrupted.
public struct ExtractionEngine: Sendable {
    public let store: any Store
    public let provider: any LLMProvider
    public var logger: Logger
    /// The model's own tokenizer, when it has one (llama-server's /tokenize): packing then fills
    /// requests to exact counts instead of estimates.
    public var tokenCounter: (any TokenCounting)?
    /// Which tokenizer the estimates should imitate when there is no exact count.
    public var tokenFamily: TokenEstimator.Family = .generic
    /// The provider of another model at the same provider, for codebooks that name models (a
    /// panel of models across runs, or a variable's own model); nil where models cannot be
    /// switched (a replayed cassette), and such codebooks are refused.
    public var modelProvider: (@Sendable (String) throws -> any LLMProvider)?
    /// A model's price, for estimates and costs in money; nil (or a nil price) leaves them out.
    public var prices: (@Sendable (String) -> Price?)?
    /// A model's batch API, for jobs in batch mode (`--batch`); nil where there is none.
    public var batchAPI: (@Sendable (String) throws -> any BatchAPI)?
    /// How batch mode gathers requests and polls its batches.
    public var batchTiming = BatchTiming()
    /// Where the job's spans go; nil for the process's tracer (`InstrumentationSystem`), which
    /// records nothing unless `assay` was built with the OTel trait and told where to export.
    public var tracer: (any Tracer)?

    public init(
        store: any Store, provider: any LLMProvider, tokenCounter: (any TokenCounting)? = nil,
        logger: Logger = Logger(label: "assay.engine")
    ) {
        self.tokenCounter = tokenCounter
        self.store = store
        self.provider = provider
        self.logger = logger
    }

    /// How a run behaves.
    public struct Options: Sendable {
        public var kind: JobKind
        public var selection: JobSelection
        /// Documents in flight at once.
        public var concurrency: Int
        /// Stop the job after this many documents failed in a row (a provider that is down).
        public var maxConsecutiveFailures: Int
        public var temperature: Double
        /// Pack several short documents into one request under this budget; nil sends one per request.
        public var packing: Packing?
        /// Wall time one document may take, retries included; past it the document is recorded
        /// as a timeout and the job goes on. Nil for no limit.
        public var documentTimeBudget: Duration?
        /// How long documents are split (2,500-token chunks, 250 overlapping); nil sends them whole.
        public var chunking: Chunker?
        /// Closed while the job is paused: documents in flight finish, no new one starts.
        public var gate: PauseGate?
        /// How many times each document is coded; values keep the majority answer (`RunMerge`).
        public var runs: Int = 1
        /// The temperature of runs after the first.
        public var variedTemperature: Double = Self.defaultVariedTemperature
        public static let defaultVariedTemperature = 0.7
        /// The most runs a job may ask for: each one costs a full pass.
        public static let maxRuns = 9
        /// Pause the job once it has used this many tokens (input and output) or, at the model's
        /// price, this many US dollars: requests in flight finish, no new one starts, and the job
        /// ends `paused` with the reason. Running it again continues with the documents not done.
        public var maxTokens: Int?
        public var maxCost: Double?
        /// Send the requests through the provider's batch API (`BatchingProvider`): half the
        /// price, replies within 24 hours. Documents then have no time budget, and every
        /// document of the job (up to `batchConcurrency`) is in flight at once.
        public var batch = false
        public static let batchConcurrency = 10_000
        /// The project's budget and what its jobs had spent when this job was planned (`plan`
        /// sets it): this job pauses when the two together reach the budget.
        var project: ProjectAllowance?
        /// How long a claim on documents lasts without a heartbeat (`WorkClaims`): after a kill,
        /// another job takes the documents over this long after the last heartbeat.
        public var claimLease: Duration = .seconds(60)
        /// How often the running job reads its status, so a pause, resume or cancel from another
        /// process (`assay pause`, another machine) takes effect.
        public var controlInterval: Duration = .seconds(1)
        /// Closed while the job's stored status says paused (set by `execute`'s watcher).
        var remote: PauseGate?
        /// Store the job in the queue (`WorkClaims.enqueueJob`), so `assay worker`s can join it and
        /// take it over when this process dies; `prepare` then joins it at once.
        public var queued = false
        /// Cancelling leaves the job to its other workers (or the queue) instead of cancelling it:
        /// a worker that is stopped (`assay worker`, SIGTERM) is not the job's end.
        public var cancelLeaves = false
        /// Start at a random place in the job's documents (`join`): workers sharing a job then
        /// rarely ask for the same ones.
        var spread = false

        public init(
            kind: JobKind = .full, selection: JobSelection = .all, concurrency: Int = 8,
            maxConsecutiveFailures: Int = 10, temperature: Double = 0, packing: Packing? = nil,
            documentTimeBudget: Duration? = nil, chunking: Chunker? = Chunker(), gate: PauseGate? = nil
        ) {
            self.chunking = chunking
            self.gate = gate
            self.packing = packing
            self.documentTimeBudget = documentTimeBudget
            self.kind = kind
            self.selection = selection
            self.concurrency = concurrency
            self.maxConsecutiveFailures = maxConsecutiveFailures
            self.temperature = temperature
        }

        public static func sample(_ size: Int, seed: UInt64 = 42) -> Options {
            Options(kind: .sample, selection: JobSelection(sampleSize: size, seed: seed))
        }
    }

    /// How short documents share requests.
    public struct Packing: Sendable, Hashable {
        /// Tokens one request may use: prompt, documents and expected output.
        public var requestTokens: Int
        public var maxDocumentsPerRequest: Int
        /// Pack only when the job's documents make it pay (see `PackingDecision`); otherwise always.
        public var onlyWhereItPays: Bool

        public init(requestTokens: Int = 8192, maxDocumentsPerRequest: Int = 16, onlyWhereItPays: Bool = false) {
            self.requestTokens = requestTokens
            self.maxDocumentsPerRequest = maxDocumentsPerRequest
            self.onlyWhereItPays = onlyWhereItPays
        }
    }

    /// Runs one job over the project's documents and returns its summary: `prepare`, then
    /// `execute`. Cancelling the calling task stops the job: documents already stored stay
    /// stored, the rest are redone next time.
    public func run(
        projectID: Int64, options: Options,
        progress: @escaping @Sendable (RunProgress) -> Void = { _ in }
    ) async throws -> RunSummary {
        try await execute(try await prepare(projectID: projectID, options: options), progress: progress)
    }

    /// A job as it would run, before anything is stored: its documents, packing, who codes what,
    /// and what it should cost (`assay run --dry-run` prints it; `prepare` starts it).
    public struct JobPlan: Sendable {
        public let estimate: CostEstimate
        /// Documents skipped because they were already done with this codebook version.
        public let alreadyDone: Int
        /// What was decided about packing, and why; nil when there was nothing to decide.
        public let packingNote: String?
        /// Models the codebook names besides the configured one.
        public let namedModels: [String]
        let documents: [WorkItem]
        let prompt: ExtractionPrompt
        let version: CodebookVersion
        let options: Options
        let coding: CodingPlan
    }

    /// Plans the job: selects its documents, decides packing, resolves the codebook's models and
    /// estimates its cost. Stores nothing; throws when there is no codebook, a chosen document is
    /// unknown, or the runs or models cannot be.
    public func plan(projectID: Int64, options: Options) async throws -> JobPlan {
        try await plan(projectID: projectID, options: options, codebookVersion: nil)
    }

    /// `plan` with this codebook version (a queued job's), or the latest when nil.
    func plan(projectID: Int64, options: Options, codebookVersion: Int?) async throws -> JobPlan {
        guard let project = try await store.project(id: projectID) else { throw EngineError.noProject("#\(projectID)") }
        let latest = try await store.latestCodebook(projectID: projectID)
        let chosen =
            codebookVersion == nil || latest?.version == codebookVersion
            ? latest : try await store.codebookVersions(projectID: projectID).first { $0.version == codebookVersion }
        guard let version = chosen else {
            throw EngineError.noCodebook(project: project.name)
        }
        let prompt = ExtractionPrompt(codebook: version.codebook)
        var options = options
        if let runs = options.selection.runs { options.runs = runs }
        options.selection.runs = options.runs > 1 ? options.runs : nil
        // The selection's budgets are the job's (a resumed job keeps them); the options' fill in.
        options.maxTokens = options.selection.maxTokens ?? options.maxTokens
        options.maxCost = options.selection.maxCost ?? options.maxCost
        options.selection.maxTokens = options.maxTokens
        options.selection.maxCost = options.maxCost
        options.batch = options.batch || options.selection.batch == true
        options.selection.batch = options.batch ? true : nil
        guard (1...Options.maxRuns).contains(options.runs) else { throw EngineError.invalidRuns(options.runs) }
        if options.runs > 1, prompt.identification != nil { throw EngineError.runsWithEntities(project: project.name) }
        let named = CodingPlan.namedModels(version.codebook, runs: options.runs, configured: provider.model)
        if !named.isEmpty, modelProvider == nil, !options.batch { throw EngineError.modelsUnavailable(named) }
        var configured = provider
        var batching: [String: BatchingProvider] = [:]
        if options.batch {
            configured = try batchingProvider(provider.model, made: &batching)
            // Replies take hours and a batch's expiry fails many documents at once: neither is
            // a reason to stop the job.
            options.documentTimeBudget = nil
            options.maxConsecutiveFailures = .max
            options.concurrency = max(options.concurrency, Options.batchConcurrency)
        }
        let plan = try CodingPlan(
            codebook: version.codebook, prompt: prompt, runs: options.runs, configured: configured,
            provider: { name in
                if options.batch { return try batchingProvider(name, made: &batching) }
                guard let make = self.modelProvider else { throw EngineError.modelsUnavailable([name]) }
                return try make(name)
            })
        if options.maxCost != nil || project.budget.maxCost != nil,
            let unpriced = plan.models.first(where: { price($0, batch: options.batch) == nil })
        {
            throw EngineError.noPrice(unpriced)
        }
        if !project.budget.isEmpty {
            let spent = try await store.spending(projectID: projectID)
            options.project = ProjectAllowance(budget: project.budget, tokens: spent.tokensIn + spent.tokensOut, dollars: spent.cost ?? 0)
        }
        let (documents, alreadyDone) = try await select(options.selection, projectID: projectID, version: version.version)
        var packingNote: String?
        if prompt.identification != nil {
            // Entities are found in the whole document, then coded one request per entity: a
            // document's requests depend on each other, so they are neither packed nor chunked.
            if options.packing != nil { packingNote = "packing off: entities are coded one request per entity" }
            options.packing = nil
            options.chunking = nil
        } else if let packing = options.packing, packing.onlyWhereItPays {
            let decision = PackingDecision(
                documents, sharedPromptTokens: TokenEstimator.estimate(prompt.system + prompt.codebookSection),
                outputTokensPerDocument: ExtractionSchema.maxOutputTokens(for: version.codebook), packing: packing, family: tokenFamily)
            if !decision.pays { options.packing = nil }
            packingNote = "packing \(decision.pays ? "on" : "off"): \(decision.reason)"
        }
        return JobPlan(
            estimate: estimate(documents, prompt: prompt, codebookVersion: version.version, options: options, plan: plan),
            alreadyDone: alreadyDone, packingNote: packingNote, namedModels: named, documents: documents, prompt: prompt,
            version: version, options: options, coding: plan)
    }

    /// Plans the job (`plan`) and stores it `running` with its start event (and a full run's
    /// project status) in one transaction. Throws before anything is stored when the plan does.
    public func prepare(projectID: Int64, options: Options) async throws -> PreparedJob {
        let started = ContinuousClock.now
        let swept = try await sweepAbandonedJobs(lease: options.claimLease)
        if options.queued {
            // Through the queue, so workers may join it and take it over if this process dies.
            let (queued, planned) = try await enqueuePlanned(projectID: projectID, options: options)
            guard let joined = try await join(queued, options: options, swept: swept, planned: planned) else {
                throw EngineError.nothingToRun("job #\(queued.id) was stopped before it began")
            }
            return joined
        }
        let planned = try await plan(projectID: projectID, options: options)
        let (documents, prompt, version, options) = (planned.documents, planned.prompt, planned.version, planned.options)
        let (named, packingNote, estimate) = (planned.namedModels, planned.packingNote, planned.estimate)
        let job = try await store.startJob(
            projectID: projectID, kind: options.kind, codebookVersion: version.version, promptHash: prompt.hash,
            model: provider.model, selection: options.selection, total: documents.count,
            message: startMessage(planned), projectStatus: options.kind == .full ? .processing : nil)
        if let packingNote { logger.info("packing decided", metadata: ["job": "\(job.id)", "decision": "\(packingNote)"]) }
        logger.info(
            "job started",
            metadata: [
                "job": "\(job.id)", "documents": "\(documents.count)", "prompt_hash": "\(prompt.hash.prefix(12))",
                "model": "\(provider.model)",
            ])
        return PreparedJob(
            job: job, alreadyDone: planned.alreadyDone, documents: documents, prompt: prompt,
            codebookVersion: version.version, options: options, started: started, estimate: estimate, plan: planned.coding,
            swept: swept)
    }

    /// What the job's first event says: its documents, codebook, models, packing and estimate.
    func startMessage(_ planned: JobPlan) -> String {
        let (options, named) = (planned.options, planned.namedModels)
        return "\(planned.documents.count) documents, codebook v\(planned.version.version), model \(provider.model)"
            + (named.isEmpty ? "" : " (and " + named.joined(separator: ", ") + " as the codebook says)")
            + (options.runs > 1 ? ", \(options.runs) runs each" : "") + (planned.packingNote.map { "; " + $0 } ?? "")
            + "; estimate: \(planned.estimate.summary)"
    }

    /// The job's requests and tokens as planned: its batches, chunks and runs.
    func estimate(
        _ documents: [WorkItem], prompt: ExtractionPrompt, codebookVersion: Int, options: Options, plan: CodingPlan
    ) -> CostEstimate {
        let planner = DocumentProcessor(provider: provider, prompt: prompt, codebookVersion: codebookVersion)
        var estimate = CostEstimate.onePass(
            batches(documents, processor: planner, packing: options.packing, chunking: options.chunking),
            sharedPromptTokens: TokenEstimator.estimate(prompt.system + prompt.codebookSection),
            outputTokensPerDocument: planner.maxTokens, chunking: options.chunking, family: tokenFamily
        )
        // Each part of each run costs a pass at its model's price.
        let prices = plan.runs.joined().map { price($0.provider.model, batch: options.batch) }
        if !prices.contains(where: { $0 == nil }) {
            estimate.maxCost = prices.compactMap { $0 }.reduce(0) {
                $0 + $1.dollars(inputTokens: estimate.inputTokens, outputTokens: estimate.maxOutputTokens)
            }
        }
        estimate = estimate.times(plan.partsPerDocument)
        estimate.runs = options.runs
        estimate.perEntity = prompt.identification != nil
        return estimate
    }

    /// Codes the prepared job's documents, storing each one's result as it comes, and reports
    /// every document to `progress` (the observer) with the job's counters; returns the summary.
    /// The job is one span (`JobSpans`), its requests spans inside it.
    public func execute(_ prepared: PreparedJob, progress: @escaping @Sendable (RunProgress) -> Void = { _ in }) async throws -> RunSummary
    {
        try await JobSpans.job(Telemetry.tracer(tracer), prepared, model: provider.model) {
            try await executeInSpan(prepared, progress: progress)
        }
    }

    private func executeInSpan(_ prepared: PreparedJob, progress: @escaping @Sendable (RunProgress) -> Void) async throws -> RunSummary {
        let clock = ContinuousClock()
        let (job, options, documents, projectID) = (prepared.job, prepared.options, prepared.documents, prepared.job.projectID)
        let version = prepared.codebookVersion
        let alreadyDone = prepared.alreadyDone
        for abandoned in prepared.swept { progress(.swept(abandoned)) }
        progress(.started(job: job, alreadyDone: alreadyDone, estimate: prepared.estimate))
        let recorder = MetricsRecorder()
        let batching = prepared.plan.runs.joined().compactMap { $0.provider as? BatchingProvider }
        for provider in batching {
            await provider.collector.attach(jobID: job.id) { activity in progress(.batch(activity)) }
        }
        defer {
            Task { for provider in batching { await provider.collector.close() } }
        }
        let processor = DocumentProcessor(
            provider: provider, prompt: prepared.prompt, codebookVersion: version, temperature: options.temperature,
            recorder: recorder, timeBudget: options.documentTimeBudget, chunker: options.chunking, tracer: tracer)
        var stopReason: Stop?
        var elsewhere = 0
        var running = options
        running.remote = PauseGate()
        let work = Task { [running] in
            // Retries, rate-limit waits and circuit openings inside the provider wrappers count
            // into this job's metrics.
            try await Self.observing(recorder) {
                try await processAll(
                    documents, job: job, processor: processor, plan: prepared.plan, options: running, progress: progress)
            }
        }
        let watcher = watch(job.id, work: work, remote: running.remote, options: options, progress: progress)
        defer { watcher.cancel() }
        do {
            (stopReason, elsewhere) = try await withTaskCancellationHandler {
                try await work.value
            } onCancel: {
                work.cancel()
            }
        } catch is CancellationError {
            stopReason = options.cancelLeaves ? .left : .cancelled
        } catch {
            // A store failure: what was written is consistent; record why the job stopped.
            try await finish(job: job.id, status: .failed, event: .jobFailed, message: "\(error)")
            throw error
        }
        let jobID = job.id

        let ending: (status: JobStatus, event: JobEventKind)? =
            switch stopReason {
            case nil: (.completed, .jobCompleted)
            case .cancelled: (.cancelled, .jobCancelled)
            case .failed: (.failed, .jobFailed)
            case .paused: (.paused, .jobPaused)
            case .left: nil
            }
        let metrics = await recorder.snapshot()
        let store = self.store
        let finishedJob = job.id
        let status = ending?.status
        // A worker that leaves the job to its other workers leaves its status and metrics to them
        // (the metrics are the ending worker's: they are not summed across workers).
        if let ending {
            try await detached { try await store.saveMetrics(metrics, jobID: finishedJob) }
            try await finish(job: job.id, status: ending.status, event: ending.event, message: stopReason?.message)
        }
        // What the job still holds (documents cancelled in flight) is free for others at once;
        // after the status, so the last worker leaving a job it did not finish puts it back in the queue.
        if let claims = store as? any WorkClaims { try? await detached { try await claims.releaseClaims(jobID: jobID, documentIDs: nil) } }
        if status == .completed {
            let kind = options.kind
            try await detached { try await self.advanceProjectStatus(projectID: projectID, kind: kind, version: version) }
        }
        var summary = try await detached {
            try await self.summary(jobID: jobID, alreadyDone: alreadyDone, wallTime: clock.now - prepared.started)
        }
        summary.estimate = prepared.estimate
        summary.codedElsewhere = elsewhere
        // In money when one model coded it all (tokens are not yet counted per model).
        let models = prepared.plan.models
        summary.cost = summary.job.cost
        if models.count == 1, let model = models.first, let price = price(model, batch: options.batch) {
            summary.cost = summary.cost ?? 0
            summary.price = price
        }
        logger.info(
            "job finished",
            metadata: [
                "job": "\(job.id)", "status": "\(status?.rawValue ?? "left to other workers")", "succeeded": "\(summary.succeeded)",
                "flagged": "\(summary.flagged)", "failed": "\(summary.failed)",
            ])
        progress(.finished(summary))
        return summary
    }

    /// Why a job stopped before its last document.
    enum Stop: Sendable {
        case cancelled
        /// Too many documents failed in a row: the provider is down.
        case failed(String)
        /// The budget is spent; running again continues.
        case paused(String)
        /// What is left of the job is held by its other workers: this one leaves it to them, and
        /// the job's status does not change.
        case left

        var message: String {
            switch self {
            case .cancelled: "cancelled"
            case .left: "left to the job's other workers"
            case .failed(let why), .paused(let why): why
            }
        }
    }

    /// A job stored and running, with what executing it needs: made by `prepare`, run by `execute`.
    public struct PreparedJob: Sendable {
        public let job: Job
        /// Documents skipped because they were already done with this codebook version.
        public let alreadyDone: Int
        let documents: [WorkItem]
        let prompt: ExtractionPrompt
        let codebookVersion: Int
        let options: Options
        let started: ContinuousClock.Instant
        /// What the job should cost, before it starts.
        public let estimate: CostEstimate
        let plan: CodingPlan
        /// Jobs left running by processes that are gone, paused when this one was prepared.
        public let swept: [Job]
    }

    /// The documents a selection covers (without their texts), and how many ready ones were
    /// skipped as already done.
    func select(_ selection: JobSelection, projectID: Int64, version: Int) async throws -> ([WorkItem], Int) {
        if let ids = selection.documentIDs {
            // Chosen documents run even when done: the user asked for them by name.
            let found = try await store.workItems(documentIDs: ids, projectID: projectID)
            let known = Set(found.map(\.documentID))
            let missing = ids.filter { !known.contains($0) }
            guard missing.isEmpty else { throw EngineError.unknownDocuments(missing.map { "#\($0)" }) }
            return (found, 0)
        }
        let pending = try await store.pendingWork(projectID: projectID, codebookVersion: version)
        let alreadyDone = try await store.documentCount(projectID: projectID, status: .ready) - pending.count
        guard let size = selection.sampleSize else { return (pending, alreadyDone) }
        var generator = SeededGenerator(seed: selection.seed ?? 42)
        return (Array(pending.shuffled(using: &generator).prefix(size)).sorted { $0.documentID < $1.documentID }, alreadyDone)
    }

    /// The requests a job makes: one document each, or packed batches under the token budget.
    func batches(
        _ items: [WorkItem], processor: DocumentProcessor, packing: Packing?, chunking: Chunker? = nil,
        tokens: [Int64: Int] = [:]
    ) -> PlannedRequests {
        guard let packing else { return PlannedRequests(single: items) }
        let budget = Packer.Budget(
            requestTokens: packing.requestTokens,
            fixedTokens: TokenEstimator.estimate(processor.prompt.system + processor.prompt.codebookSection) + 64,
            outputTokensPerDocument: processor.maxTokens, maxDocumentsPerRequest: packing.maxDocumentsPerRequest)
        // A document that will be chunked is never packed: it goes alone, in its chunks.
        let chunked = items.filter { chunking?.needsChunking(characters: $0.characters) ?? false }
        let shared = items.filter { !(chunking?.needsChunking(characters: $0.characters) ?? false) }
        let packed = Packer.pack(
            shared.map { item in
                Packer.Item(tokens: tokens[item.documentID] ?? TokenEstimator.estimate(characters: item.characters, family: tokenFamily))
            }, budget: budget
        ).map { indices in indices.map { shared[$0] } }
        return PlannedRequests(chunked.map { [$0] } + packed)
    }

    /// Processes documents with at most `concurrency` requests in flight. Returns why it stopped early, or nil.
    private func processAll(
        _ documents: [WorkItem], job: Job, processor: DocumentProcessor, plan: CodingPlan, options: Options,
        progress: @escaping @Sendable (RunProgress) -> Void
    ) async throws -> (stop: Stop?, elsewhere: Int) {
        let store = self.store
        let logger = self.logger
        let batcher = RepeatedRuns(processor, plan: plan, variedTemperature: options.variedTemperature) { model in
            self.price(model, batch: options.batch)
        }
        let claims = store as? any WorkClaims
        // Chosen documents are coded even when done; a sample or all skip what another job finished.
        let skipDone = options.selection.documentIDs == nil
        return try await withThrowingTaskGroup(of: Coded.self) { group in
            let exact = options.packing == nil ? [:] : await exactTokenCounts(documents)
            var planned = batches(
                documents, processor: processor, packing: options.packing, chunking: options.chunking,
                tokens: exact)
            // Workers sharing a job start at different places in it, so they rarely ask for the
            // same documents (each such ask is a claim refused, and a wait at the end).
            if options.spread, planned.count > 1 { planned = planned.rotated(startingAt: Int.random(in: 0..<planned.count)) }
            var launched = 0
            var counts = JobCounts(total: documents.count)
            var consecutiveFailures = 0
            var lastFailure = ""
            var spent = TokenUsage()
            // What the results cost at their own models' prices, while every one of them had a price.
            var dollars: Double? = 0
            // Tokens are not counted per model yet: a panel's spending is priced at its dearest model,
            // so the budget is never overspent.
            let price = Price.dearest(plan.models.compactMap { self.price($0, batch: options.batch) })
            // A project whose budget is already spent starts nothing.
            var budgetReached = Self.budgetReached(TokenUsage(), dollars: 0, options: options, price: price)
            // Documents another job coded: not this job's to code.
            var elsewhere = 0
            // Documents another job holds now (document → that job): tried again once this job
            // has sent the rest, until that job has done them or let them go.
            var waiting: [Int64: Int64] = [:]
            func launch() -> Bool {
                guard launched < planned.count else { return false }
                let batch = planned[launched]
                launched += 1
                let (gate, remote) = (options.gate, options.remote)
                group.addTask {
                    try await gate?.admit()
                    do { try await remote?.admit() } catch {
                        await gate?.done()
                        throw error
                    }
                    do {
                        var ids = batch.map(\.documentID)
                        var (skipped, held) = (0, [Int64: Int64]())
                        // Claimed just before they are sent: another job may have taken or done some.
                        if let claims {
                            let claim = try await claims.claim(
                                documentIDs: ids, jobID: job.id, codebookVersion: processor.codebookVersion, skipDone: skipDone,
                                lease: options.claimLease)
                            (skipped, held) = (ids.count - claim.claimed.count - claim.heldElsewhere.count, claim.heldElsewhere)
                            ids = claim.claimed
                        }
                        guard !ids.isEmpty else {
                            await gate?.done()
                            await remote?.done()
                            return Coded(results: [], elsewhere: skipped, held: held)
                        }
                        // Texts are read when their request goes out, so a job holds only the batches in flight.
                        let texts = try await store.documents(ids: ids)
                        let results = try await batcher.process(texts, jobID: job.id)
                        // Cancelled mid-call: store nothing for these; the next run redoes them.
                        try Task.checkCancellation()
                        let stored = try await Self.record(results, in: store, logger: logger)
                        await gate?.done()
                        await remote?.done()
                        let names = Dictionary(batch.map { ($0.documentID, $0.externalID) }) { first, _ in first }
                        return Coded(results: stored, elsewhere: skipped + results.count - stored.count, held: held, names: names)
                    } catch {
                        await gate?.done()
                        await remote?.done()
                        throw error
                    }
                }
                return true
            }
            for _ in 0..<max(1, options.concurrency) where budgetReached == nil && launch() {}
            while true {
                while let coded = try await group.next() {
                    elsewhere += coded.elsewhere
                    waiting.merge(coded.held) { $1 }
                    for result in coded.results {
                        counts.add(result.outcome)
                        await processor.recorder.finished(result)
                        logger.debug(
                            "document done",
                            metadata: [
                                "job": "\(job.id)", "document": "\(result.documentID)", "outcome": "\(result.outcome.rawValue)",
                            ])
                        let report = DocumentReport(
                            result: result, externalID: coded.names[result.documentID] ?? "#\(result.documentID)", counts: counts)
                        progress(.documentFinished(report))
                        spent =
                            spent
                            + TokenUsage(
                                promptTokens: result.tokensIn, completionTokens: result.tokensOut, cachedPromptTokens: result.tokensCached)
                        dollars = result.cost.flatMap { cost in dollars.map { $0 + cost } }
                        if result.outcome == .failed {
                            consecutiveFailures += 1
                            lastFailure = report.reason ?? "unknown"
                        } else {
                            consecutiveFailures = 0
                        }
                    }
                    // A provider that keeps failing pauses the job (not fails it): once the cause is
                    // fixed, resuming or running again goes on with the documents not done.
                    if consecutiveFailures >= options.maxConsecutiveFailures {
                        group.cancelAll()
                        return (.paused("paused after \(consecutiveFailures) documents failed in a row; last: \(lastFailure)"), elsewhere)
                    }
                    // Over the budget: what is in flight finishes (it is paid for), nothing new starts.
                    if budgetReached == nil {
                        budgetReached = Self.budgetReached(spent, dollars: dollars, options: options, price: price)
                    }
                    if budgetReached == nil { _ = launch() }
                }
                // What another job held: done by it since (then skipped), or let go (then coded
                // here: that job ended, or its process died and it was swept or its lease ran out).
                guard budgetReached == nil, !waiting.isEmpty, let claims else { break }
                let others = Set(waiting.values).subtracting([job.id]).sorted()
                if !others.isEmpty { progress(.waiting(documents: waiting.count, jobs: others)) }
                // Another job's documents take their time; a co-worker's are a request away.
                try await Task.sleep(for: others.isEmpty ? options.controlInterval / 4 : options.controlInterval * 2)
                _ = try? await sweepAbandonedJobs(lease: options.claimLease)
                // One transaction asks about them all; what this job now holds goes out as usual.
                let ids = waiting.keys.sorted()
                let retry = try await claims.claim(
                    documentIDs: ids, jobID: job.id, codebookVersion: processor.codebookVersion, skipDone: skipDone,
                    lease: options.claimLease)
                elsewhere += ids.count - retry.claimed.count - retry.heldElsewhere.count
                waiting = retry.heldElsewhere
                // All that is left is held by this job's other workers, who finish it: leave it to them.
                if retry.claimed.isEmpty, !waiting.isEmpty, waiting.values.allSatisfy({ $0 == job.id }) { return (.left, elsewhere) }
                planned += batches(
                    try await store.workItems(documentIDs: retry.claimed, projectID: job.projectID), processor: processor,
                    packing: options.packing, chunking: options.chunking, tokens: exact)
                for _ in 0..<max(1, options.concurrency) where launch() {}
            }
            try Task.checkCancellation()
            // A budget reached with every document done is a job done.
            let unfinished = launched < planned.count || !waiting.isEmpty
            return (unfinished ? budgetReached.map { .paused($0) } : nil, elsewhere)
        }
    }

    /// What one request's task hands back: the results it stored, how many of its documents
    /// were another job's (done by it, or taken over while this one coded them), and which
    /// another job holds now (document → that job), to try again later.
    struct Coded: Sendable {
        var results: [DocumentResult]
        var elsewhere: Int
        var held: [Int64: Int64] = [:]
        /// The request's documents' names, for progress (the job keeps no table of them all).
        var names: [Int64: String] = [:]
    }

    /// Stores a request's results in one transaction (one write, one fsync). When another job
    /// took a document over (this job's lease ran out), its result is refused and the others
    /// are stored one by one; returns those stored.
    static func record(_ results: [DocumentResult], in store: any Store, logger: Logger) async throws -> [DocumentResult] {
        do {
            try await store.record(results)
            return results
        } catch StoreError.claimLost {
            var stored: [DocumentResult] = []
            for result in results {
                do {
                    try await store.record(result)
                    stored.append(result)
                } catch StoreError.claimLost(let document, let holder) {
                    logger.warning(
                        "result dropped: another job took the document over", metadata: ["document": "\(document)", "job": "\(holder)"])
                }
            }
            return stored
        }
    }

    /// The running job's watcher: it follows the job's stored status (paused, running again,
    /// cancelled — by `assay pause|resume|cancel` or another machine) and, as its heartbeat,
    /// renews the job's claims every third of a lease.
    private func watch(
        _ jobID: Int64, work: Task<(stop: Stop?, elsewhere: Int), any Error>, remote: PauseGate?, options: Options,
        progress: @escaping @Sendable (RunProgress) -> Void
    ) -> Task<Void, Never> {
        let store = self.store
        return Task { [lease = options.claimLease, interval = options.controlInterval] in
            let claims = store as? any WorkClaims
            // The first beat at once: it records which process runs the job (`Worker`), so a
            // kill is known on this machine without waiting out a lease.
            try? await claims?.renewClaims(jobID: jobID, lease: lease)
            var lastBeat = ContinuousClock.now
            var pausedHere = false
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if let status = try? await store.job(id: jobID)?.status {
                    switch status {
                    case .paused where !pausedHere:
                        pausedHere = true
                        await remote?.close()
                        progress(.control(.paused))
                        if options.cancelLeaves {
                            // A worker does not wait at a paused job's gate while other jobs queue:
                            // the documents in flight finish and are stored, then it leaves the job,
                            // and takes it up again (with any other worker) once it is resumed.
                            await remote?.drained()
                            work.cancel()
                        }
                    case .running where pausedHere:
                        pausedHere = false
                        await remote?.open()
                        progress(.control(.running))
                    case .cancelled: work.cancel()
                    default: break
                    }
                }
                if ContinuousClock.now - lastBeat >= lease / 3, let claims {
                    try? await claims.renewClaims(jobID: jobID, lease: lease)
                    lastBeat = .now
                }
            }
        }
    }

    /// Pauses the jobs left `running` by processes that are gone (gone from this machine, or no
    /// heartbeat for two leases), releasing their claims, so no job stays `running` forever;
    /// returns them.
    @discardableResult
    public func sweepAbandonedJobs(lease: Duration = Options().claimLease) async throws -> [Job] {
        guard let claims = store as? any WorkClaims else { return [] }
        let swept = try await claims.sweepAbandonedJobs(silentSince: Date() - (lease * 2).seconds)
        for job in swept { logger.warning("job swept: its process is gone", metadata: ["job": "\(job.id)"]) }
        return swept
    }

    /// A model's price for this job: the batch API's share of it in batch mode.
    func price(_ model: String, batch: Bool) -> Price? {
        guard let price = prices?(model) else { return nil }
        return batch ? price.batched : price
    }

    /// The batch-mode provider of a model, one per model and job.
    func batchingProvider(_ model: String, made: inout [String: BatchingProvider]) throws -> BatchingProvider {
        if let made = made[model] { return made }
        guard let makeAPI = batchAPI else { throw EngineError.batchUnavailable("this run has no batch API to call") }
        guard let ledger = store as? any BatchLedger else {
            throw EngineError.batchUnavailable("this database cannot record batches")
        }
        let provider = BatchingProvider(api: try makeAPI(model), ledger: ledger, timing: batchTiming, logger: logger)
        made[model] = provider
        return provider
    }

    /// Why the job must pause now, or nil while it is within its budgets.
    /// `dollars` is what the results cost at their models' prices, when known; otherwise the
    /// tokens are priced at `price` (a panel's dearest).
    static func budgetReached(_ spent: TokenUsage, dollars: Double? = nil, options: Options, price: Price?) -> String? {
        let tokens = spent.promptTokens + spent.completionTokens
        let cost = dollars ?? price.map { spent.dollars(at: $0) }
        if let reason = Budget(maxTokens: options.maxTokens, maxCost: options.maxCost).reached(tokens: tokens, dollars: cost) {
            return reason
        }
        guard let project = options.project else { return nil }
        return project.budget.reached(
            tokens: project.tokens + tokens, dollars: cost.map { project.dollars + $0 }, whose: "the project's budget")
    }

    /// Exact token counts of the documents from the tokenizer, eight at a time, reading texts a
    /// page at a time; a document the tokenizer cannot count keeps its estimate.
    func exactTokenCounts(_ items: [WorkItem]) async -> [Int64: Int] {
        guard let counter = tokenCounter else { return [:] }
        var counts: [Int64: Int] = [:]
        for page in stride(from: 0, to: items.count, by: 256).map({ items[$0..<min($0 + 256, items.count)] }) {
            guard let documents = try? await store.documents(ids: page.map(\.documentID)) else { continue }
            await withTaskGroup(of: (Int64, Int?).self) { group in
                var pending = documents.makeIterator()
                func add() -> Bool {
                    guard let document = pending.next() else { return false }
                    group.addTask { (document.id, try? await counter.countTokens(document.text)) }
                    return true
                }
                for _ in 0..<8 where add() {}
                while let (id, count) = await group.next() {
                    if let count { counts[id] = count }
                    _ = add()
                }
            }
        }
        return counts
    }

    /// Final writes run detached so they still happen when the run itself was cancelled.
    private func finish(job: Int64, status: JobStatus, event: JobEventKind, message: String?) async throws {
        let store = self.store
        try await detached {
            // Several workers on one job may each find it done at once: one completion is recorded.
            if status == .completed, let queue = store as? any WorkClaims {
                _ = try await queue.completeJob(id: job)
                return
            }
            try await store.setJobStatus(status, error: status == .completed ? nil : message, jobID: job)
            try await store.appendEvent(jobID: job, kind: event, documentID: nil, message: message)
        }
    }

    private func detached<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await Task { try await work() }.value
    }

    private func advanceProjectStatus(projectID: Int64, kind: JobKind, version: Int) async throws {
        guard let project = try await store.project(id: projectID) else { return }
        switch kind {
        case .sample:
            if [.created, .schemaDefined].contains(project.status) {
                try await store.setProjectStatus(.sampleComplete, projectID: projectID)
            }
        case .full:
            let remaining = try await store.pendingWork(projectID: projectID, codebookVersion: version)
            try await store.setProjectStatus(remaining.isEmpty ? .complete : .processing, projectID: projectID)
        }
    }

    func summary(jobID: Int64, alreadyDone: Int, wallTime: Duration) async throws -> RunSummary {
        guard let job = try await store.job(id: jobID) else { throw StoreError.notFound("job \(jobID)") }
        let errors = try await store.errorRecords(projectID: job.projectID, jobID: jobID)
        let byKind = Dictionary(grouping: errors, by: \.kind).mapValues(\.count)
        return RunSummary(
            job: job, alreadyDone: alreadyDone, failuresByKind: byKind, wallTime: wallTime,
            metrics: try await store.metrics(jobID: jobID))
    }
}

extension ExtractionEngine {
    /// Runs `operation` with the job's recorder as `ProviderEvents.observer`. Not optimized on
    /// purpose: in a release build (Swift 6.3, -O) the specialized, inlined
    /// `TaskLocal.withValue` passed no type metadata to `swift_task_localValuePush`, and
    /// `assay run` crashed on its first job ("Bad pointer dereference"). The generic call works.
    @_optimize(none)
    static func observing<T: Sendable>(_ recorder: MetricsRecorder, _ operation: () async throws -> T) async throws -> T {
        let observer: (@Sendable (ProviderEvent) -> Void)? = { event in recorder.observe(event) }
        return try await ProviderEvents.$observer.withValue(observer, operation: operation)
    }
}

/// A project's budget and what its jobs had spent before a job started: the job may spend the rest.
struct ProjectAllowance: Sendable, Hashable {
    var budget: Budget
    var tokens: Int
    var dollars: Double
}
