import ArgumentParser
import AssayCore
import AssayEngine
import AssayProviders
import AssayService
import AssayStore
import Foundation

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Code documents with the model: a sample first, then all.",
        discussion: """
            Sends each document once with every variable of the current codebook, checks the reply \
            against the schema (asking once more if it does not fit), applies the codebook's rules and \
            stores the values with their evidence. Documents longer than --chunk-tokens go in overlapping \
            chunks whose values are merged by each variable's if_multiple_values rule. Runs are resumable: documents already done with the \
            current codebook version are skipped, so after Ctrl-C or a crash just run again. \
            Packing: on a hosted API, short documents (shorter than the codebook's shared prompt) go \
            several to a request under --token-budget, which saves the prompt each request repeats; the \
            job's first event says what was decided and why. A model server on this machine caches \
            that prompt and gains nothing, so there each document goes alone unless you pass --pack. \
            Examples:
              assay run --sample 5               # a random sample (same sample for the same --seed)
              assay run --all --concurrency 4
              assay run --documents 3,7          # chosen documents, redone even if done
              assay run --all --no-pack          # one document per request, always
              assay run --all --record run.jsonl # keep every exchange; later: --replay run.jsonl
              assay run --all --requests-per-minute 500 --tokens-per-minute 200000   # stay under a plan's limits
              assay run --sample 10 --runs 3     # each document 3 times: majority values, run agreement
              assay run --all --batch            # through the provider's batch API: half price, up to 24 h
              assay run --all --enqueue-only     # store the job for assay worker processes, code nothing here

            The order of work: a sample first, reviewed (assay show, assay feedback, assay refine), \
            then --all. A full run is refused until a sample has completed under the current \
            codebook version (a new version, from an import or an adopted refinement, needs a new \
            sample); --skip-sample runs everything anyway.

            Budgets: --max-cost (US dollars at the model's price, see ASSAY_PRICES) and --max-tokens \
            pause the run when reached: requests in flight finish, no new one starts, the job ends \
            paused (exit code 75), and the same command with a higher budget continues with the \
            documents not yet done. --dry-run prints the estimate and sends nothing.

            With --batch the requests go through the provider's batch API (OpenAI, Anthropic, \
            Gemini, and servers that copy OpenAI's): the same prompts, packing and validation, at the batch price \
            (half, for the shipped prices), with replies within 24 hours. Each batch is recorded when \
            it is submitted, so after Ctrl-C, a kill or a reboot the same command polls it again \
            instead of paying twice. A request whose batch expired or failed fails its document with \
            the reason; running again sends it anew. ASSAY_BATCH_POLL_SECONDS sets how often batches \
            are polled (default 30).

            With --runs N every document is coded N times: the first run as configured, the others \
            at --varied-temperature with varied seeds. Each value keeps the majority answer, the share \
            of runs that gave it (run_agreement) and what each run said; its confidence blends that \
            agreement with the model's own, and a value no majority agrees on is flagged for review. \
            N runs cost N times the requests and tokens: the estimate is printed before the run starts.

            On PostgreSQL (--db postgres://…) the job goes through the queue: `assay worker` \
            processes on any machine join it and share its documents, and if this process dies \
            they take over what it left. --enqueue-only stores the job and returns at once.

            Failing calls (429, 5xx, timeouts) are retried after 2, 4 and 8 s, honouring Retry-After. \
            After 5 provider failures in a row the circuit opens: calls wait 30 s (or, with --fail-fast, \
            fail at once with a clear reason) and three successful calls close it again.
            """)

    @Option(help: "Run on a random sample of N documents not yet done.") var sample: Int?
    @Flag(help: "Run on every document not yet done with the current codebook.") var all = false
    @Flag(help: "With --all: run although no sample has completed under the current codebook (skip the review).")
    var skipSample = false
    @Option(help: ArgumentHelp("Run on chosen documents (ids or file names, comma-separated).", valueName: "list"))
    var documents: String?
    @Option(help: "Seed of the random sample.") var seed: UInt64 = 42
    @Option(help: "Documents in flight at once.") var concurrency = 8
    @Option(help: "Pause after this many documents fail in a row (a model that is down).") var maxFailures = 10
    @Option(help: "Sampling temperature.") var temperature = 0.0
    @Option(
        help: ArgumentHelp(
            "Code each document N times and keep each value's majority answer, with the runs' agreement and a blended confidence (1-9).",
            valueName: "n"))
    var runs = 1
    @Option(help: ArgumentHelp("With --runs: the temperature of the runs after the first (their seeds vary too).", valueName: "t"))
    var variedTemperature = ExtractionEngine.Options.defaultVariedTemperature
    @Flag(
        inversion: .prefixedNo,
        help: "Pack several short documents into one request, or never (default: where it pays, on hosted APIs).")
    var pack: Bool?
    @Option(help: "When packing: tokens one request may use, counting prompt, documents and expected output.")
    var tokenBudget = 8192
    @Option(
        help: ArgumentHelp(
            "Pause the run once it has cost this many US dollars at the model's price (requests in flight finish).", valueName: "dollars"))
    var maxCost: Double?
    @Option(help: ArgumentHelp("Pause the run once it has used this many tokens, input and output.", valueName: "n"))
    var maxTokens: Int?
    @Flag(help: "Print what the run would code and cost (requests, tokens, dollars), then stop: nothing is sent or stored.")
    var dryRun = false
    @Flag(help: "Send the requests through the provider's batch API: half the price, replies within 24 hours.")
    var batch = false
    @Flag(help: "Store the job in the queue for `assay worker` processes and return: nothing is coded here.")
    var enqueueOnly = false
    @Option(help: ArgumentHelp("Record every request and reply to this cassette (JSON Lines).", valueName: "file"))
    var record: String?
    @Option(help: ArgumentHelp("Answer from a recorded cassette instead of the model: deterministic and free.", valueName: "file"))
    var replay: String?
    @Option(help: ArgumentHelp("Requests per minute the provider allows (default: $ASSAY_RPM, else no limit).", valueName: "n"))
    var requestsPerMinute: Int?
    @Option(
        help: ArgumentHelp("Tokens per minute the provider allows, prompt and output (default: $ASSAY_TPM, else no limit).", valueName: "n")
    )
    var tokensPerMinute: Int?
    @Option(
        help: ArgumentHelp(
            "Seconds one document may take, retries included; then it is recorded as a timeout and the run goes on.", valueName: "seconds"))
    var documentTimeout = 300
    @Flag(help: "While the provider keeps failing, fail documents at once instead of waiting for it to recover.")
    var failFast = false
    @Option(
        help: ArgumentHelp(
            "Send documents longer than this many tokens in overlapping chunks, merging the values (0: never).", valueName: "tokens"))
    var chunkTokens = 2500
    @Option(help: ArgumentHelp("Tokens consecutive chunks share.", valueName: "tokens"))
    var chunkOverlap = 250
    @OptionGroup var options: StoreOptions

    func validate() throws {
        if record != nil && replay != nil { throw ValidationError("use --record or --replay, not both") }
        if enqueueOnly && (record != nil || replay != nil || dryRun) {
            throw ValidationError("--enqueue-only leaves the coding to workers: leave out --record, --replay and --dry-run")
        }
        if batch && (record != nil || replay != nil) {
            throw ValidationError("--batch cannot be recorded or replayed: leave out --record and --replay")
        }
        let chosen = [sample != nil, all, documents != nil].filter { $0 }.count
        guard chosen == 1 else { throw ValidationError("choose exactly one of --sample N, --all or --documents LIST") }
        if let sample, sample < 1 { throw ValidationError("--sample needs a positive number") }
        if skipSample && !all { throw ValidationError("--skip-sample goes with --all (a sample or chosen documents need no sample first)") }
        try FlagRanges.check(concurrency, "--concurrency", FlagRanges.concurrency)
        try FlagRanges.check(maxFailures, "--max-failures", 1...1_000_000)
        try FlagRanges.check(temperature, "--temperature", 0...2)
        try FlagRanges.check(runs, "--runs", 1...ExtractionEngine.Options.maxRuns)
        try FlagRanges.check(variedTemperature, "--varied-temperature", 0...2)
        if let maxCost { try FlagRanges.check(maxCost, "--max-cost", 0.000_001...1_000_000) }
        if let maxTokens { try FlagRanges.check(maxTokens, "--max-tokens", 1...1_000_000_000_000) }
        try FlagRanges.check(tokenBudget, "--token-budget", 512...2_000_000)
        guard chunkTokens == 0 || (256...1_000_000).contains(chunkTokens) else {
            throw ValidationError("--chunk-tokens must be 0 (off) or from 256 to 1000000 (got \(chunkTokens))")
        }
        // With chunking off (0) the overlap means nothing: the default 250 must not refuse `--chunk-tokens 0`.
        guard chunkTokens == 0 || (chunkOverlap >= 0 && chunkOverlap * 2 <= chunkTokens) else {
            throw ValidationError("--chunk-overlap must be between 0 and half of --chunk-tokens")
        }
        try FlagRanges.check(documentTimeout, "--document-timeout", FlagRanges.timeoutSeconds)
        if let requestsPerMinute { try FlagRanges.check(requestsPerMinute, "--requests-per-minute", RateLimits.requestsPerMinuteRange) }
        if let tokensPerMinute { try FlagRanges.check(tokensPerMinute, "--tokens-per-minute", RateLimits.tokensPerMinuteRange) }
        try FlagRanges.checkEnvironment()
    }

    /// The run configuration these flags and the environment make (the same type `assay serve` fills).
    func runConfiguration(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> RunConfiguration {
        var config = try RunConfiguration.fromEnvironment(env)
        if let requestsPerMinute { config.limits.requestsPerMinute = requestsPerMinute }
        if let tokensPerMinute { config.limits.tokensPerMinute = tokensPerMinute }
        config.failFast = failFast
        config.concurrency = concurrency
        config.pack = pack
        config.tokenBudget = tokenBudget
        config.temperature = temperature
        config.runs = runs
        config.variedTemperature = variedTemperature
        config.maxConsecutiveFailures = maxFailures
        config.documentTimeout = .seconds(documentTimeout)
        config.chunking = chunkTokens == 0 ? nil : Chunker(chunkTokens: chunkTokens, overlapTokens: chunkOverlap)
        config.batch = batch
        return config
    }

    func run() async throws {
        let local = try await options.local()
        let project = try await local.project(options.project)
        let config = try runConfiguration()
        let provider: any LLMProvider
        if let replay {
            provider = try RecordReplayProvider(mode: .replay, cassette: URL(fileURLWithPath: replay))
        } else if let record {
            // The cassette keeps what the guarded provider finally answered, not the retried failures.
            provider = try RecordReplayProvider(
                mode: .record(base: config.guards.wrap(try await Self.reachable(config))), cassette: URL(fileURLWithPath: record))
        } else if dryRun || batch || enqueueOnly {
            // Nothing is sent live (a dry run), or through the batch API, which says itself
            // when it cannot be reached: the live model need not answer.
            provider = try config.makeProvider()
        } else {
            provider = config.guards.wrap(try await Self.reachable(config))
        }

        let request: Jobs.Request
        if let sample {
            request = Jobs.Request(kind: .sample, sampleSize: sample, seed: seed)
        } else if let documents {
            var ids: [Int64] = []
            for reference in documents.split(separator: ",") {
                ids.append(
                    try await local.documents.find(reference.trimmingCharacters(in: .whitespaces), projectID: project.id, for: .local).id)
            }
            request = Jobs.Request(kind: .sample, documentIDs: ids)
        } else {
            request = Jobs.Request(kind: .full, skipSample: skipSample)
        }

        // The run itself is in this process, so Ctrl-C and the progress bar stay here.
        var engine = await config.engine(store: local.store, provider: provider, tokenizer: replay == nil)
        // A cassette holds one model's exchanges: a codebook naming other models is refused.
        if replay != nil || record != nil { engine.modelProvider = nil }
        var base = config.options()
        base.maxCost = maxCost
        base.maxTokens = maxTokens
        // On PostgreSQL every job goes through the queue, so workers can share and take it over.
        if case .postgres = try options.location() { base.queued = true }
        let runs = Runs(store: local.store, engine: engine, baseOptions: base)
        if enqueueOnly {
            let job = try await runs.enqueue(request, projectID: project.id, for: .local)
            print("Queued job #\(job.id) on '\(project.name)': \(job.total) documents for model \(job.model).")
            print("Start workers to code it: assay worker --db … (see its progress with assay status)")
            return
        }
        if dryRun {
            let plan = try await runs.plan(request, projectID: project.id, for: .local)
            let price = config.price(provider.model).map { batch ? $0.batched : $0 }
            print(Self.render(plan, project: project.name, model: provider.model, price: price))
            return
        }
        let progress = ProgressReporter()
        let source = replay.map { "replaying \($0)" } ?? "\(config.settings.model) at \(config.settings.baseURL)"
        if batch {
            printError("Running on '\(project.name)' with \(source) in batch mode: replies can take up to 24 hours.")
            printError("Ctrl-C stops; the same command takes the submitted batches up again without paying twice.")
        } else {
            printError("Running on '\(project.name)' with \(source) (\(concurrency) at a time). Ctrl-C stops cleanly.")
        }
        let task = Task { try await runs.run(request, projectID: project.id, for: .local, progress: progress.report) }
        let interrupts = InterruptHandler { task.cancel() }
        defer { interrupts.stop() }
        let summary = try await task.value
        print(SummaryText.render(summary))
        if self.runs > 1 { try await Self.printDisagreements(jobID: summary.job.id, projectID: project.id, store: local.store) }
        switch summary.job.status {
        case .completed:
            print(
                summary.job.kind == .sample
                    ? "Next: review with assay show DOC, refine the codebook, then assay run --all"
                    : "Next: assay export --format csv --layout wide --out dataset.csv")
        case .cancelled:
            print("Stopped. Values stored so far are kept; run the same command again to continue.")
            throw ExitCode(130)
        case .running, .pending:
            print("This run's share is done; the job's other workers finish the rest (assay status).")
        case .paused:
            // A budget is spent, or the model kept failing: exit 75 (EX_TEMPFAIL) so a script
            // can tell it from done.
            let reason = summary.job.error ?? "the budget is spent"
            print("Paused: \(reason). Values stored so far are kept;")
            if reason.hasPrefix("the project's budget") {
                print("raise the project's budget (assay budget --max-cost … or --max-tokens …), then run the same command to continue.")
            } else if reason.contains("failed in a row") {
                print("fix what makes the model fail (is it running? the key, the model's name?), then run the same command to continue.")
            } else {
                print("run the same command with a higher --max-cost or --max-tokens to continue.")
            }
            throw ExitCode(75)
        default:
            throw CLIError(summary.job.error ?? "the job failed")
        }
    }

    /// A dry run's plan: documents, requests, tokens and money.
    static func render(_ plan: ExtractionEngine.JobPlan, project: String, model: String, price: Price?) -> String {
        let e = plan.estimate
        var rows = [
            ["documents", "\(e.documents) to code, \(plan.alreadyDone) already done and skipped"],
            [
                "requests",
                "\(e.requests.grouped)" + (e.runs > 1 ? " (\(e.runs) runs each)" : "") + (e.perEntity ? ", plus one per entity found" : ""),
            ],
            ["tokens", "~\(e.inputTokens.grouped) input, at most \(e.maxOutputTokens.grouped) output"],
        ]
        if !plan.namedModels.isEmpty { rows.append(["models", model + ", " + plan.namedModels.joined(separator: ", ")]) }
        switch (e.maxCost, price) {
        case (0?, _): rows.append(["cost", "$0 (a model on this machine)"])
        case (let cost?, let price?):
            rows.append(["cost", "at most \(cost.dollarsText) (\(model) at \(price.text))"])
        case (let cost?, nil): rows.append(["cost", "at most \(cost.dollarsText)"])
        case (nil, _): rows.append(["cost", "unknown: no price for the model; add it to a price file (ASSAY_PRICES)"])
        }
        if let note = plan.packingNote { rows.append(["packing", note]) }
        return "Dry run on '\(project)' with \(model): nothing was sent or stored.\n" + Table.render(rows, indent: 2, header: false)
    }

    /// The job's values whose runs did not all agree, least agreement first (at most 20): what a
    /// person should look at before trusting the rest.
    static func printDisagreements(jobID: Int64, projectID: Int64, store: any Store & ReviewStore) async throws {
        let filter = ExtractionFilter(jobID: jobID, runsDisagree: true, order: .review)
        let page = try await Values(store: store).list(projectID: projectID, filter: filter, limit: 20, for: .local)
        guard page.total > 0 else {
            print("Every run agreed on every value.")
            return
        }
        let names = Dictionary(try await store.documents(ids: Array(Set(page.items.map(\.documentID)))).map { ($0.id, $0.externalID) }) {
            first, _ in first
        }
        print("Runs disagree on \(page.total) values\(page.total > page.items.count ? " (the \(page.items.count) least agreed)" : ""):")
        var rows = [["  DOCUMENT", "VARIABLE", "STORED", "AGREE", "RUNS SAID"]]
        for value in page.items {
            let said = (value.runValues ?? []).map { $0.map { $0.isNull ? "(none)" : $0.displayText } ?? "(none)" }
            rows.append([
                "  " + (names[value.documentID] ?? "#\(value.documentID)"), value.variable,
                value.value.isNull ? "(none)" : value.value.displayText,
                value.runAgreement.map { "\(Int(($0 * 100).rounded()))%" } ?? "", said.joined(separator: " | "),
            ])
        }
        print(Table.render(rows))
        print("See one with: assay show DOCUMENT")
    }

    /// The configured provider, unguarded, after checking it answers: a clear message beats ten
    /// failed documents.
    static func reachable(_ config: RunConfiguration) async throws -> any LLMProvider {
        let settings = config.settings
        let provider = try config.makeProvider()
        do {
            try await provider.checkReachable()
        } catch {
            var message = "cannot reach the model at \(settings.baseURL): \(error)\n"
            if settings.isLocalDefault {
                message += "Start the local model with: scripts/local-llm.sh start\n"
            }
            message += """
                Or point Assay at another model, for example:
                  OpenAI:    ASSAY_BASE_URL=https://api.openai.com/v1 ASSAY_MODEL=gpt-4o-mini OPENAI_API_KEY=sk-...
                  vLLM:      ASSAY_BASE_URL=http://HOST:8000/v1 ASSAY_MODEL=NAME
                  Ollama:    ASSAY_PROVIDER=ollama ASSAY_MODEL=llama3.1
                  Gemini:    ASSAY_PROVIDER=gemini GEMINI_API_KEY=...
                  Anthropic: ASSAY_PROVIDER=anthropic ANTHROPIC_API_KEY=...
                """
            throw CLIError(message)
        }
        return provider
    }
}

/// The run summary as printed at the end of every run.
enum SummaryText {
    static func render(_ s: RunSummary) -> String {
        let job = s.job
        let seconds = Double(s.wallTime.components.seconds) + Double(s.wallTime.components.attoseconds) / 1e18
        var failed = "\(s.failed)"
        if !s.failuresByKind.isEmpty {
            failed +=
                "   ("
                + s.failuresByKind.sorted { $0.key.rawValue < $1.key.rawValue }
                .map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ") + ")"
        }
        var rows = [
            ["documents", "\(job.total) selected, \(s.alreadyDone) already done and skipped"],
            ["succeeded", "\(s.succeeded)"],
            ["flagged", "\(s.flagged)"],
            ["failed", failed],
        ]
        if s.notProcessed > 0 { rows.append(["not reached", "\(s.notProcessed) (run again to continue)"]) }
        if s.codedElsewhere > 0 { rows.append(["elsewhere", "\(s.codedElsewhere) (coded by another job at the same time)"]) }
        rows.append([
            "tokens",
            "\(job.tokensIn) in" + (job.tokensCached > 0 ? " (\(job.tokensCached) from the prompt cache)" : "") + " / \(job.tokensOut) out",
        ])
        if let m = s.metrics { rows.append(["requests", MetricsText.render(m)]) }
        if let estimate = s.estimate, job.total > 0 { rows.append(["estimated", estimate.summary]) }
        switch (s.cost, s.price) {
        case (_, .free?): rows.append(["cost", "$0 (a model on this machine)"])
        case (let cost?, let price?):
            rows.append(["cost", "\(cost.dollarsText) (\(job.model) at \(price.text)\(job.selection.batch == true ? ", batch" : ""))"])
        case (let cost?, nil): rows.append(["cost", "\(cost.dollarsText) (each model at its own price)"])
        case (nil, _): break
        }
        rows.append(["wall time", String(format: "%.1f s (%.2f documents/s)", seconds, s.documentsPerSecond)])
        let header =
            "Run #\(job.id) (\(job.kind.rawValue)) \(job.status.rawValue): codebook v\(job.codebookVersion), model \(job.model), prompt \(job.promptHash.prefix(12))"
        return header + "\n" + Table.render(rows, indent: 2, header: false)
    }
}

/// A job's metrics on one line.
enum MetricsText {
    static func render(_ m: JobMetrics) -> String {
        // Packing puts several documents in a request; runs and chunks send several per document.
        var parts = [
            m.documentsPerRequest >= 1 || m.documentsPerRequest == 0
                ? String(format: "%d (%.1f documents each", m.requests, m.documentsPerRequest)
                : String(format: "%d (%.1f per document", m.requests, 1 / m.documentsPerRequest)
        ]
        if m.callsSavedByPacking > 0 { parts.append("\(m.callsSavedByPacking) calls saved by packing") }
        if m.reasks > 0 { parts.append("\(m.reasks) re-asked") }
        if m.splits > 0 { parts.append("\(m.splits) split") }
        if m.redoneAlone > 0 { parts.append("\(m.redoneAlone) redone alone") }
        if m.retries > 0 { parts.append("\(m.retries) retried") }
        if m.throttledMs > 0 { parts.append(String(format: "%.1f s waiting for rate limits", m.throttledMs / 1000)) }
        if m.circuitOpenings > 0 { parts.append("circuit opened \(m.circuitOpenings)×") }
        if let entities = m.entities { parts.append("\(entities) entities found") }
        if m.chunkedDocuments > 0 { parts.append("\(m.chunkedDocuments) long documents sent in \(m.chunks) chunks") }
        var text = parts.joined(separator: ", ") + ")"
        text += String(format: ", latency avg %.1f s, p95 %.1f s", m.averageLatencyMs / 1000, m.p95LatencyMs / 1000)
        text += String(format: "; %.1f values/document, %d documents without values", m.valuesPerDocument, m.documentsWithoutValues)
        return text
    }
}
