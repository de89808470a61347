import ArgumentParser
import AssayCore
import AssayEngine
import AssayIngest
import AssayProviders
import AssayService
import AssayStore
import AssayTraces
import Foundation

/// `assay traces …`: failure traces of LLM applications → one schema-valid failure pattern each.
struct TracesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "traces",
        abstract: "Turn failure traces of LLM applications into structured failure patterns.",
        discussion: """
            Traces live in the project '\(TraceRunner.projectName)' of the same database, redacted before they \
            are stored: emails, phones, card numbers, IBANs, SSNs, IPs, keys, tokens and passwords never \
            reach the store or the logs. Each trace gets one pattern (failure type from a controlled \
            vocabulary, trigger condition, root cause, evidence, actions, severity, confidence), checked \
            against schemas/failure-pattern.schema.json; running again never duplicates.

              assay traces add examples/traces/traces.jsonl   # JSON, JSONL or folders; OpenTelemetry-style spans
              assay traces run                                # every unprocessed trace, 50 per batch
              assay traces watch --every 30m                  # the scheduled form; Ctrl-C or SIGTERM stops cleanly
              assay traces runs                               # run summaries
              assay traces patterns --failure-type tool_error --min-confidence 0.8
              assay traces eval examples/traces/labels.jsonl  # accuracy, calibration and PII audit

            The vocabulary is in docs/FAILURE_TAXONOMY.md.
            """,
        subcommands: [TracesAdd.self, TracesRun.self, TracesWatch.self, TracesRuns.self, TracesPatterns.self, TracesEval.self])
}

/// The database for traces: created when missing, since traces need no `assay init`.
struct TraceStoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The Assay database: a SQLite file or a postgres:// URL (default: ./assay.sqlite or $ASSAY_DB).", valueName: "path|url"))
    var db: String?

    /// The patterns use case over the database, for the local user.
    func patterns() async throws -> Patterns {
        Patterns(store: try await StoreLocation.resolve(db).openWithPatterns())
    }
}

struct TracesAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add traces: JSON files (one trace or an array), JSONL (one per line) or folders.")

    @Argument(help: ArgumentHelp("Files or folders.", valueName: "path")) var paths: [String]
    @OptionGroup var database: TraceStoreOptions

    func run() async throws {
        let patterns = try await database.patterns()
        let results: [TraceReadResult]
        do { results = try TraceReader.read(paths) } catch { throw CLIError("\(error)") }
        let report = try await patterns.add(results, for: .local)
        print("\(report.added) traces added, \(report.updated) updated, \(report.unchanged) unchanged, \(report.skipped.count) skipped")
        for line in report.skipped { print("  skipped \(line)") }
        for line in report.incomplete { print("  incomplete (lower confidence) \(line)") }
        print("Next: assay traces run")
    }
}

/// How a trace run calls the model; shared by `run` and `watch`.
struct TraceRunOptions: ParsableArguments {
    @Option(help: "Unprocessed traces per batch.") var batchSize = 50
    @Option(
        help: ArgumentHelp("Seconds one trace may take; past it, it is recorded as a timeout and the batch goes on.", valueName: "seconds"))
    var traceTimeout = 10
    @Option(help: "Traces in flight at once.") var concurrency = 4

    func validate() throws {
        try FlagRanges.check(batchSize, "--batch-size", 1...10_000)
        try FlagRanges.check(traceTimeout, "--trace-timeout", FlagRanges.timeoutSeconds)
        try FlagRanges.check(concurrency, "--concurrency", FlagRanges.concurrency)
        try FlagRanges.checkEnvironment()
    }

    var engine: TraceRunner.Options {
        TraceRunner.Options(batchSize: batchSize, traceTimeBudget: .seconds(traceTimeout), concurrency: concurrency)
    }

    /// The run configuration: the model and rate limits from the environment ($ASSAY_RPM and
    /// $ASSAY_TPM count here too), one trace per request, cut to its tail rather than chunked.
    func runConfiguration(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> RunConfiguration {
        var config: RunConfiguration
        do { config = try RunConfiguration.fromEnvironment(env) } catch { throw CLIError("\(error)") }
        config.concurrency = concurrency
        config.pack = false
        config.chunking = nil
        config.documentTimeout = .seconds(traceTimeout)
        return config
    }

    /// The model, checked and guarded (retries 2/4/8 s, circuit breaker, rate limits).
    func provider() async throws -> (any LLMProvider, ProviderSettings) {
        let config = try runConfiguration()
        return (config.guards.wrap(try await RunCommand.reachable(config)), config.settings)
    }

    /// Runs batches until no unprocessed trace is left; returns the summaries.
    func runAll(_ patterns: Patterns, provider: any LLMProvider) async throws -> [TraceRunSummary] {
        var summaries: [TraceRunSummary] = []
        var seen = Set<Int64>()
        let progress = ProgressReporter()
        // One pass: a trace that failed in this pass waits for the next `run` (or `watch` tick).
        while let summary = try await patterns.runBatch(
            provider: provider, options: engine, excluding: seen, for: .local,
            progress: progress.report)
        {
            seen.formUnion(summary.documentIDs)
            summaries.append(summary)
            print(summary.line)
            for failure in summary.failures { print("  \(failure.traceID): \(failure.kind): \(failure.reason)") }
            if summary.status != JobStatus.completed.rawValue { break }
        }
        return summaries
    }
}

struct TracesRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Process every unprocessed trace now, in batches; each run writes a summary.")

    @OptionGroup var options: TraceRunOptions
    @OptionGroup var database: TraceStoreOptions

    func run() async throws {
        let patterns = try await database.patterns()
        let (provider, settings) = try await options.provider()
        printError("Processing traces with \(settings.model) at \(settings.baseURL). Ctrl-C stops cleanly.")
        let task = Task { try await options.runAll(patterns, provider: provider) }
        let interrupts = InterruptHandler { task.cancel() }
        defer { interrupts.stop() }
        let summaries = try await task.value
        if summaries.isEmpty {
            print("No unprocessed traces. Add some with: assay traces add PATH")
        } else {
            print("Next: assay traces patterns   (or assay traces eval LABELS.jsonl)")
        }
    }
}

struct TracesWatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch", abstract: "Process unprocessed traces now and then every interval, until Ctrl-C or SIGTERM.")

    @Option(help: ArgumentHelp("Interval between runs: 90s, 30m, 2h.", valueName: "interval")) var every = "30m"
    @OptionGroup var options: TraceRunOptions
    @OptionGroup var database: TraceStoreOptions

    func validate() throws {
        guard Self.parse(every) != nil else {
            throw ValidationError("--every takes a number with s, m or h from 1s to 7 days (168h), like 30m (got '\(every)')")
        }
    }

    /// The interval, from 1 s to a week; nil for anything else (a huge number would overflow).
    static func parse(_ text: String) -> Duration? {
        guard let unit = text.last, let number = Int(text.dropLast()), number > 0 else { return nil }
        let seconds: Int
        switch unit {
        case "s": seconds = number
        case "m" where number <= 7 * 24 * 60: seconds = number * 60
        case "h" where number <= 7 * 24: seconds = number * 3600
        default: return nil
        }
        return seconds <= 7 * 24 * 3600 ? .seconds(seconds) : nil
    }

    func run() async throws {
        let patterns = try await database.patterns()
        let interval = Self.parse(every)!
        let (provider, settings) = try await options.provider()
        printError("Watching for traces every \(every) with \(settings.model). Ctrl-C or SIGTERM stops cleanly.")
        let task = Task {
            while !Task.isCancelled {
                _ = try await options.runAll(patterns, provider: provider)
                try await Task.sleep(for: interval)
            }
        }
        let interrupts = InterruptHandler { task.cancel() }
        defer { interrupts.stop() }
        do { try await task.value } catch is CancellationError {}
        print("Stopped. Stored patterns are kept; unprocessed traces wait for the next run.")
    }
}

struct TracesRuns: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runs", abstract: "List trace runs with their summaries.")

    @Flag(help: "Print the summaries as JSON Lines.") var json = false
    @OptionGroup var database: TraceStoreOptions

    func run() async throws {
        let summaries = try await database.patterns().summaries(for: .local)
        if summaries.isEmpty { print("No trace runs yet. Run: assay traces run") }
        for summary in summaries {
            if json {
                print(try summary.jsonText())
            } else {
                print(summary.line)
                for failure in summary.failures { print("  \(failure.traceID): \(failure.kind): \(failure.reason)") }
            }
        }
    }
}

struct TracesPatterns: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "patterns", abstract: "List stored failure patterns.")

    @Option(help: ArgumentHelp("Only this failure type (see docs/FAILURE_TAXONOMY.md).", valueName: "type")) var failureType: String?
    @Option(help: ArgumentHelp("Only this trigger condition.", valueName: "label")) var trigger: String?
    @Option(help: ArgumentHelp("Only patterns at least this confident (0…1).", valueName: "x")) var minConfidence: Double?
    @Flag(help: "Print each pattern as schema JSON (one per line).") var json = false
    @OptionGroup var database: TraceStoreOptions

    func validate() throws {
        if let failureType, FailureType(rawValue: failureType) == nil {
            throw ValidationError(
                "unknown failure type '\(failureType)'; one of: \(FailureType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let minConfidence, !(0...1).contains(minConfidence) { throw ValidationError("--min-confidence is between 0 and 1") }
    }

    func run() async throws {
        let patterns = try await database.patterns().list(
            PatternFilter(failureType: failureType, triggerCondition: trigger, minConfidence: minConfidence), for: .local)
        if patterns.isEmpty { print("No patterns match.") }
        for pattern in patterns {
            if json {
                print(pattern.json.serialized())
                continue
            }
            print(
                "\(pattern.patternID)  \(pattern.failureType.rawValue) / \(pattern.triggerCondition)  \(pattern.severity.rawValue)  "
                    + String(format: "%.2f", pattern.confidence) + "  \(pattern.title)")
            print("    trace \(pattern.sourceTraceID): \(pattern.summary)")
        }
    }
}

struct TracesEval: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score stored patterns against labels: accuracy, calibration and a PII audit.",
        discussion: """
            LABELS is JSON Lines, one {trace_id, failure_type, trigger_condition, planted_pii: [{kind, value}]} per \
            line (see examples/traces/labels.jsonl). A pattern counts as correct when failure type and trigger \
            condition both match. The PII audit scans every stored field for anything the redactor finds and for \
            every planted value; it must find nothing.
            """)

    @Argument(help: ArgumentHelp("The labels file.", valueName: "labels")) var labels: String
    @OptionGroup var database: TraceStoreOptions

    func run() async throws {
        let file: LabelFile
        do { file = try LabelReader.read(labels) } catch { throw CLIError("\(error)") }
        for problem in file.problems { printError("skipped \(problem)") }
        let patterns = try await database.patterns().list(for: .local)
        let evaluation = TraceEvaluation.evaluate(patterns: patterns, labels: file.labels)
        print(evaluation.text)
    }
}
