import ArgumentParser
import AssayCore
import AssayEngine
import AssayProviders
import AssayStore
import Foundation

/// `assay worker`: codes queued jobs beside other workers until stopped.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Code queued jobs, of any project, beside other workers, until stopped.",
        discussion: """
            Takes jobs from the database's queue (`assay run --enqueue-only`, `assay serve --no-worker`, \
            or any `assay run` on PostgreSQL) and codes them with the model configured in the \
            environment (ASSAY_MODEL, ASSAY_BASE_URL, …, as for assay run). Several workers, on \
            this machine or others, share one job: each document is claimed by one worker at a \
            time, with a lease its heartbeat renews, and a result from a worker that lost its \
            claim is refused, so nothing is coded or stored twice. A worker whose share is done \
            while others still hold the rest leaves the job to them; the last one completes it.

            A worker that dies (killed, machine gone) stops renewing its leases: once they run out \
            (60 s; at once for a process on the same machine) the others take its documents over, \
            and a job with no worker left goes back to the queue for the next one.

            Ctrl-C or SIGTERM stops gracefully: no new request starts, requests in flight get \
            --grace seconds to finish and be stored, then the worker gives its claims back and \
            leaves; its job stays queued for the others. A second signal quits at once.

            Use PostgreSQL for workers on several machines; on a SQLite file, workers on one \
            machine share the file.

            Examples:
              assay worker --db postgres://assay@db/assay
              assay worker --exit-when-idle            # in scripts: stop when the queue is empty
              ASSAY_MODEL=gpt-4o-mini assay worker --concurrency 32
            """)

    @Flag(help: "Stop once no queued job is pending or running (that this worker could code).")
    var exitWhenIdle = false
    @Option(help: "Documents in flight at once.") var concurrency = 8
    @Option(help: "Pause a job after this many documents fail in a row (a model that is down).") var maxFailures = 10
    @Option(
        help: ArgumentHelp(
            "Seconds one document may take, retries included; then it is recorded as a timeout and the job goes on.", valueName: "seconds"))
    var documentTimeout = 300
    @Option(help: ArgumentHelp("Requests per minute the provider allows this worker (default: $ASSAY_RPM).", valueName: "n"))
    var requestsPerMinute: Int?
    @Option(help: ArgumentHelp("Tokens per minute the provider allows this worker (default: $ASSAY_TPM).", valueName: "n"))
    var tokensPerMinute: Int?
    @Option(help: ArgumentHelp("Seconds between looks at the queue while there is nothing to do.", valueName: "seconds"))
    var pollSeconds = 2.0
    @Option(help: ArgumentHelp("On Ctrl-C or SIGTERM: seconds requests in flight get to finish.", valueName: "seconds"))
    var grace = 30
    @OptionGroup var options: StoreOptions

    func validate() throws {
        try FlagRanges.check(concurrency, "--concurrency", FlagRanges.concurrency)
        try FlagRanges.check(maxFailures, "--max-failures", 1...1_000_000)
        try FlagRanges.check(documentTimeout, "--document-timeout", FlagRanges.timeoutSeconds)
        try FlagRanges.check(pollSeconds, "--poll-seconds", 0.05...3600)
        try FlagRanges.check(grace, "--grace", 0...3600)
        if let requestsPerMinute { try FlagRanges.check(requestsPerMinute, "--requests-per-minute", RateLimits.requestsPerMinuteRange) }
        if let tokensPerMinute { try FlagRanges.check(tokensPerMinute, "--tokens-per-minute", RateLimits.tokensPerMinuteRange) }
        try FlagRanges.checkEnvironment()
    }

    func run() async throws {
        let store = try await options.openStore()
        var config = try RunConfiguration.fromEnvironment(ProcessInfo.processInfo.environment)
        if let requestsPerMinute { config.limits.requestsPerMinute = requestsPerMinute }
        if let tokensPerMinute { config.limits.tokensPerMinute = tokensPerMinute }
        config.concurrency = concurrency
        config.maxConsecutiveFailures = maxFailures
        config.documentTimeout = .seconds(documentTimeout)
        let provider = config.guards.wrap(try await RunCommand.reachable(config))
        let engine = await config.engine(store: store, provider: provider)
        var jobOptions = config.options()
        let gate = PauseGate()
        jobOptions.gate = gate
        var worker = QueueWorker(engine: engine, options: jobOptions)
        worker.pollInterval = .milliseconds(Int(pollSeconds * 1000))
        let progress = ProgressReporter()
        printError(
            "Worker \(Worker.current.split(separator: " ").suffix(2).first.map { "pid \($0)" } ?? "") on \(try options.location()) "
                + "with \(config.settings.model) (\(concurrency) at a time): waiting for queued jobs. Ctrl-C stops gracefully.")
        let exitWhenIdle = self.exitWhenIdle
        let task = Task {
            try await worker.run(exitWhenIdle: exitWhenIdle) { event in Self.show(event, progress: progress) }
        }
        let grace = Duration.seconds(self.grace)
        let interrupts = InterruptHandler {
            // No new request; those in flight get the grace to finish and be stored; then leave.
            Task {
                await gate.close()
                let drained = Task { await gate.drained() }
                let timer = Task {
                    try? await Task.sleep(for: grace)
                    drained.cancel()
                }
                await drained.value
                timer.cancel()
                task.cancel()
            }
        }
        defer { interrupts.stop() }
        let worked = try await task.value
        printError("Worker stopped after \(worked) job\(worked == 1 ? "" : "s").")
    }

    static func show(_ event: QueueWorker.Event, progress: ProgressReporter) {
        switch event {
        case .joined(let job):
            printError("Joined job #\(job.id) of project #\(job.projectID) (\(job.kind.rawValue), \(job.total) documents).")
        case .progress(let update):
            if case .finished = update { return }
            progress.report(update)
        case .finished(let summary):
            let job = summary.job
            let all = "\(job.succeeded) succeeded, \(job.flagged) flagged, \(job.failed) failed in all"
            switch job.status {
            case .running, .pending:
                printError("Left job #\(job.id) to its other workers (\(all) so far).")
            default:
                printError("Job #\(job.id) \(job.status.rawValue): \(all).")
            }
        case .skipped(let job, let reason): printError("Skipped job #\(job.id): \(reason)")
        }
    }
}
