import AssayCore
import AssayEngine
import AssayIngest
import AssayProviders
import AssayStore
import Foundation
import Logging
import Synchronization

/// Failure traces → failure patterns. Traces are documents of one project whose codebook is the
/// built-in failure-pattern template, so the same engine, store and exports serve them; after
/// the engine has coded a batch, each trace's values and deterministic signals are assembled into
/// a pattern, validated against the published schema and stored. A trace counts as processed
/// only once its pattern is stored, so a crash in between means it is simply picked up again,
/// and storing a pattern again replaces the earlier one.
public struct TraceRunner: Sendable {
    /// The project that holds the traces, in the same database as everything else.
    public static let projectName = "failure-patterns"

    public let store: any Store & PatternStore
    public var logger: Logger

    public init(store: any Store & PatternStore, logger: Logger = Logger(label: "assay.traces")) {
        self.store = store
        self.logger = logger
    }

    public struct Options: Sendable {
        /// Unprocessed traces taken per run.
        public var batchSize: Int
        /// Wall time per trace; a trace past it is recorded as a timeout and the batch goes on.
        public var traceTimeBudget: Duration
        public var concurrency: Int
        public var temperature: Double
        /// A project's own trigger-condition labels, beside the built-in ones.
        public var extraTriggers: [Category]

        public init(
            batchSize: Int = 50, traceTimeBudget: Duration = .seconds(10), concurrency: Int = 4,
            temperature: Double = 0, extraTriggers: [Category] = []
        ) {
            self.batchSize = batchSize
            self.traceTimeBudget = traceTimeBudget
            self.concurrency = concurrency
            self.temperature = temperature
            self.extraTriggers = extraTriggers
        }
    }

    /// The traces project, created with the template codebook on first use; the codebook is
    /// refreshed (a new version) when the template or the extra triggers change.
    public func project(extraTriggers: [Category] = []) async throws -> Project {
        let workspace = Workspace(store: store)
        var found = try await store.project(named: Self.projectName)
        if found == nil {
            found = try await workspace.createProject(name: Self.projectName, description: "Failure patterns from LLM application traces")
        }
        guard let project = found else { throw EngineError.noProject(Self.projectName) }
        _ = try await workspace.importCodebook(try FailurePatternTemplate.codebook(extraTriggers: extraTriggers), projectID: project.id)
        return project
    }

    /// What adding traces did.
    public struct AddReport: Sendable {
        public var added = 0, updated = 0, unchanged = 0
        /// Traces skipped (no id, no timestamp, broken JSON …) with their location and reason.
        public var skipped: [String] = []
        /// Traces accepted with gaps (their patterns get a lowered confidence).
        public var incomplete: [String] = []
    }

    /// Stores each readable trace as a document (its redacted rendering, signals in metadata);
    /// every trace that cannot be read is reported with where and why, and the rest go on.
    public func add(_ results: [TraceReadResult], extraTriggers: [Category] = []) async throws -> AddReport {
        let project = try await project(extraTriggers: extraTriggers)
        var report = AddReport()
        for result in results {
            switch result {
            case .problem(let problem):
                // Kept as a failed document so `assay status` and `assay documents --status failed`
                // show it with its reason; failed documents are never run.
                report.skipped.append(problem.description)
                _ = try await store.upsertDocument(
                    .failed(externalID: "skipped: \(problem.source)", mediaType: TraceRendering.mediaType, reason: problem.reason),
                    projectID: project.id)
            case .trace(let trace, let source):
                let prepared = PreparedTrace(trace)
                if !prepared.incompleteReasons.isEmpty {
                    report.incomplete.append("\(source): \(prepared.incompleteReasons.joined(separator: "; "))")
                }
                switch try await store.upsertDocument(prepared.documentInput, projectID: project.id).outcome {
                case .inserted: report.added += 1
                case .updated: report.updated += 1
                case .unchanged: report.unchanged += 1
                }
            }
        }
        return report
    }

    /// Processes up to `batchSize` unprocessed traces, leaving out `excluding` (traces that already
    /// failed in this pass, so a pass ends); nil when there were none.
    public func run(
        provider: any LLMProvider, options: Options = Options(), excluding: Set<Int64> = [],
        progress: @escaping @Sendable (RunProgress) -> Void = { _ in }
    ) async throws -> TraceRunSummary? {
        try await prepareBatch(provider: provider, options: options, excluding: excluding)?.run(progress: progress).summary
    }

    /// A batch stored as a running job (the engine's `prepare`), not yet run: a service runs it
    /// in the background under its job runner, the CLI at once.
    public struct Batch: Sendable {
        public let job: Job
        let runner: TraceRunner
        let engine: ExtractionEngine
        let prepared: ExtractionEngine.PreparedJob
        let ids: [Int64]
        let options: Options
        let started: Date

        /// Codes the batch, then assembles, validates and stores each trace's pattern and the
        /// run's summary.
        public func run(
            progress: @escaping @Sendable (RunProgress) -> Void = { _ in }
        ) async throws
            -> (run: RunSummary, summary: TraceRunSummary)
        {
            // Each trace's result (with the model's raw reply) as the engine reports it.
            let reports = Mutex<[Int64: DocumentReport]>([:])
            let run = try await engine.execute(prepared) { event in
                if case .documentFinished(let report) = event { reports.withLock { $0[report.documentID] = report } }
                progress(event)
            }
            let summary = try await runner.finish(self, job: run.job, reports: reports.withLock { $0 })
            return (run, summary)
        }
    }

    /// Takes up to `batchSize` unprocessed traces (leaving out `excluding`) and stores their job
    /// running; nil when there are none. `gate` lets a job runner pause and drain it.
    public func prepareBatch(
        provider: any LLMProvider, options: Options = Options(), excluding: Set<Int64> = [],
        gate: PauseGate? = nil
    ) async throws -> Batch? {
        let project = try await project(extraTriggers: options.extraTriggers)
        let ids = Array(
            try await store.documentsWithoutPattern(projectID: project.id, limit: options.batchSize + excluding.count)
                .filter { !excluding.contains($0) }.prefix(options.batchSize))
        guard !ids.isEmpty else { return nil }
        let started = Date()
        var engine = ExtractionEngine(store: store, provider: provider)
        engine.logger = logger
        // Traces are cut to their tail, not chunked: the end of a trace is where it failed.
        let prepared = try await engine.prepare(
            projectID: project.id,
            options: .init(
                kind: .full, selection: JobSelection(documentIDs: ids), concurrency: options.concurrency,
                temperature: options.temperature, documentTimeBudget: options.traceTimeBudget, chunking: nil, gate: gate))
        return Batch(job: prepared.job, runner: self, engine: engine, prepared: prepared, ids: ids, options: options, started: started)
    }

    func finish(_ batch: Batch, job: Job, reports finished: [Int64: DocumentReport]) async throws -> TraceRunSummary {
        let (ids, options, started) = (batch.ids, batch.options, batch.started)
        var summary = TraceRunSummary(
            documentIDs: ids,
            runID: job.id, status: job.status.rawValue, startedAt: started, finishedAt: started, tracesReceived: ids.count,
            patternsStored: 0, validationFailures: 0, processingErrors: 0, timeouts: 0, failures: [], model: job.model,
            temperature: options.temperature, traceTimeBudgetSeconds: Int(options.traceTimeBudget.components.seconds),
            promptHash: job.promptHash)
        for id in ids {
            guard let document = try await store.document(id: id) else { continue }
            let traceID = document.externalID
            guard let report = finished[id] else {
                summary.failures.append(.init(traceID: traceID, kind: "not_reached", reason: "the run stopped before this trace"))
                continue
            }
            guard report.outcome != .failed else {
                let error = report.result.errors.first
                let kind = error?.kind ?? .providerError
                if kind == .timeout { summary.timeouts += 1 } else { summary.processingErrors += 1 }
                summary.failures.append(.init(traceID: traceID, kind: kind.rawValue, reason: error?.reason ?? "failed"))
                continue
            }
            do {
                try await storePattern(for: document, jobID: job.id)
                summary.patternsStored += 1
            } catch let error as FailurePatternError {
                summary.validationFailures += 1
                summary.failures.append(.init(traceID: traceID, kind: ErrorKind.schemaValidation.rawValue, reason: error.description))
                try await recordInvalid(error, document: document, jobID: job.id, reply: report.result.reply)
            }
        }
        summary.finishedAt = Date()
        try await store.saveRunSummary(try summary.jsonText(), jobID: job.id)
        logger.info(
            "trace run finished",
            metadata: [
                "run": "\(job.id)", "traces": "\(ids.count)", "patterns": "\(summary.patternsStored)",
                "invalid": "\(summary.validationFailures)", "errors": "\(summary.processingErrors)", "timeouts": "\(summary.timeouts)",
                "model": "\(job.model)", "prompt_hash": "\(job.promptHash.prefix(12))",
            ])
        return summary
    }

    /// Assembles, validates and stores one trace's pattern (replacing an earlier one).
    func storePattern(for document: Document, jobID: Int64) async throws {
        guard let prepared = PreparedTrace(document: document) else {
            throw FailurePatternError(
                traceID: document.externalID,
                violations: [
                    SchemaViolation(path: "$", message: "the document is not a trace")
                ])
        }
        let extractions = try await store.extractions(projectID: document.projectID, documentID: document.id)
        let pattern = try FailurePattern.assemble(from: extractions, for: prepared, extractedAt: Date())
        try await store.savePattern(
            StoredPattern(
                patternID: pattern.patternID, projectID: document.projectID, documentID: document.id,
                sourceTraceID: pattern.sourceTraceID, jobID: jobID, failureType: pattern.failureType.rawValue,
                triggerCondition: pattern.triggerCondition, severity: pattern.severity.rawValue, confidence: pattern.confidence,
                json: pattern.json.serialized(), extractedAt: pattern.extractedAt))
    }

    /// An output that makes no valid pattern is an error record with the SHA-256 of the model's
    /// reply and a short redacted excerpt of it — never a stored pattern. Without the reply (it came
    /// from an earlier run) the stored values stand in for it.
    func recordInvalid(_ error: FailurePatternError, document: Document, jobID: Int64, reply: String? = nil) async throws {
        var output = reply
        if output == nil {
            let extractions = try await store.extractions(projectID: document.projectID, documentID: document.id)
            output = extractions.map { "\($0.variable)=\($0.value.serialized())" }.joined(separator: "; ")
        }
        let text = output ?? ""
        try await store.addErrorRecord(
            ErrorRecord(
                jobID: jobID, documentID: document.id, kind: .schemaValidation, reason: "no valid pattern: \(error.description)",
                responseHash: Hashing.sha256(text), excerpt: Redactor().excerpt(text, limit: 200)), projectID: document.projectID)
    }

    /// Stored patterns, newest schema form, for lists and the evaluation.
    public func patterns(_ filter: PatternFilter = PatternFilter()) async throws -> [FailurePattern] {
        guard let project = try await store.project(named: Self.projectName) else { return [] }
        return try Self.decode(try await store.patterns(projectID: project.id, filter: filter).map(\.json))
    }

    /// Decoded outside the async function: Swift 6.3's optimizer crashed (signal 11, splitting
    /// the coroutine) on a throwing `map` that parsed JSON inside `patterns`, so `swift build -c
    /// release` failed. Keep the parsing in this synchronous helper.
    static func decode(_ texts: [String]) throws -> [FailurePattern] {
        var patterns: [FailurePattern] = []
        for text in texts { patterns.append(try FailurePattern(json: try JSONValue.parse(text))) }
        return patterns
    }

    public func summaries() async throws -> [TraceRunSummary] {
        guard let project = try await store.project(named: Self.projectName) else { return [] }
        let texts = try await store.runSummaries(projectID: project.id).map(\.json)
        var summaries: [TraceRunSummary] = []
        for text in texts { summaries.append(try TraceRunSummary(jsonText: text)) }
        return summaries
    }
}
