import ArgumentParser
import AssayEngine
import AssayProviders
import AssayServer
import AssayStore
import AssayTraces
import Foundation
import Hummingbird
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run Assay as an HTTP service (JSON API, live job progress, metrics).",
        discussion: """
            Serves the API on --host:--port (default 127.0.0.1:8080) over the database (--db, $ASSAY_DB, \
            default ./assay.sqlite, created when missing) with the model configured as for assay run \
            (ASSAY_PROVIDER, ASSAY_BASE_URL, ASSAY_MODEL, ...).

            Access tokens are signed with $ASSAY_JWT_SECRET (at least 32 characters); --dev makes an \
            ephemeral one instead. Failure patterns are visible to accounts with the role \
            $ASSAY_PATTERN_ROLE (default ml_engineer), to the emails in $ASSAY_ML_ENGINEERS \
            (comma-separated) and to accounts given the role with: assay users set-role EMAIL ROLE

            With --no-worker the service runs no job itself: a job started over HTTP is stored in \
            the queue, and `assay worker` processes (on this machine or others, sharing the \
            database) code it; its progress shows in GET /jobs/{id} and on its live stream (SSE, \
            WebSocket). Use PostgreSQL for that.

            SIGTERM or Ctrl-C stops cleanly: no new work, documents in flight finish (up to \
            --shutdown-grace seconds), then the store is closed. Logs are JSON lines on stderr.

            The API is described at /openapi.json; the README has curl examples. The workbench, the \
            researcher's pages in the browser, is at / (sign in with an account); for one person on \
            their own machine without an account, use assay ui.
            """)

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Flag(help: "Development mode: without ASSAY_JWT_SECRET, sign tokens with an ephemeral secret (sessions end with the process).")
    var dev = false
    @Flag(help: "Serve the API only: started jobs are queued for `assay worker` processes, none is run here.")
    var noWorker = false
    @OptionGroup var service: ServiceOptions

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
    }

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        let secret: String
        if let configured = try ServiceOptions.configuredSecret(env) {
            secret = configured
        } else if dev {
            secret = ServiceOptions.ephemeralSecret()
            printError("Development mode: tokens are signed with an ephemeral secret and stop working when the service stops.")
        } else {
            throw CLIError("set ASSAY_JWT_SECRET (at least 32 random characters, e.g. openssl rand -hex 32) or pass --dev")
        }
        var (config, described) = try await service.configuration(host: host, port: port, secret: secret, env)
        if noWorker {
            config.enqueueOnly = true
            described += "; jobs go to the queue for assay worker"
        }
        let (app, _) = await buildApplication(config: config, logger: Logger(label: "assay.server"))
        printError("Serving on http://\(host):\(port) with \(described); the workbench is at http://\(host):\(port)/")
        try await app.runService()
    }

    /// Every job's configuration, as `assay run` builds it (the flags above, the model from `env`).
    func runConfiguration(_ env: [String: String]) throws -> RunConfiguration { try service.runConfiguration(env) }
}

/// What `assay serve` and `assay ui` share: the database, how jobs run, and the service's limits.
struct ServiceOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The Assay database: a SQLite file or a postgres:// URL (default: ./assay.sqlite or $ASSAY_DB).", valueName: "path|url"))
    var db: String?
    @Option(help: ArgumentHelp("Largest upload in MB, all files together.", valueName: "MB")) var maxUploadMb = 32
    @Option(help: ArgumentHelp("Largest single uploaded file in MB.", valueName: "MB")) var maxFileMb = 20
    @Option(help: "Documents in flight at once per job.") var concurrency = 8
    @Option(help: "Jobs running at once; one more is refused with 429 and Retry-After until one ends.") var maxJobs = 16
    @Flag(
        inversion: .prefixedNo,
        help: "Pack several short documents into one request, or never (default: where it pays, on hosted APIs), as assay run does.")
    var pack: Bool?
    @Option(help: "When packing: tokens one request may use, counting prompt, documents and expected output.")
    var tokenBudget = 8192
    @Option(help: ArgumentHelp("Seconds one document may take, retries included.", valueName: "seconds")) var documentTimeout = 300
    @Option(help: ArgumentHelp("Seconds a shutdown waits for documents in flight.", valueName: "seconds")) var shutdownGrace = 30
    @Option(help: ArgumentHelp("bcrypt cost of password hashes.", valueName: "n")) var bcryptCost = 12
    @Option(help: ArgumentHelp("Connections open at once (kept under the open-file limit).", valueName: "n")) var maxConnections = 512

    func validate() throws {
        try FlagRanges.check(maxUploadMb, "--max-upload-mb", 1...4096)
        try FlagRanges.check(maxFileMb, "--max-file-mb", 1...4096)
        try FlagRanges.check(concurrency, "--concurrency", FlagRanges.concurrency)
        try FlagRanges.check(tokenBudget, "--token-budget", 512...2_000_000)
        try FlagRanges.check(documentTimeout, "--document-timeout", FlagRanges.timeoutSeconds)
        try FlagRanges.check(shutdownGrace, "--shutdown-grace", 0...3600)
        try FlagRanges.checkEnvironment()
        guard (4...31).contains(bcryptCost) else { throw ValidationError("--bcrypt-cost must be between 4 and 31") }
        guard maxConnections >= 1 else { throw ValidationError("--max-connections needs at least 1") }
    }

    /// `ASSAY_JWT_SECRET` when set (at least 32 characters), else nil.
    static func configuredSecret(_ env: [String: String]) throws -> String? {
        guard let configured = env["ASSAY_JWT_SECRET"], !configured.isEmpty else { return nil }
        guard configured.utf8.count >= 32 else { throw CLIError("ASSAY_JWT_SECRET must have at least 32 characters") }
        return configured
    }

    /// A secret for this process only: its access tokens stop working when it stops.
    static func ephemeralSecret() -> String { (0..<4).map { _ in UUID().uuidString }.joined() }

    /// The service's configuration, and a line saying which model and database it uses.
    func configuration(host: String, port: Int, secret: String, _ env: [String: String]) async throws -> (ServerConfig, String) {
        let location = try StoreLocation.resolve(db, environment: env)
        let store = try await location.openWithPatterns()
        let run = try runConfiguration(env)
        let raw = try run.makeProvider()
        var config = ServerConfig(
            host: host, port: port, store: store, provider: run.guards.wrap(raw),
            providerCheck: { try await raw.checkReachable() }, jwtSecret: secret)
        config.jobOptions = run.options()
        config.tokenCounter = await run.tokenizer()
        config.tokenFamily = run.settings.tokenFamily
        config.modelProvider = run.modelProvider
        config.prices = run.price
        config.batchAPI = run.batchAPI
        config.batchTiming = run.batchTiming
        config.maxRunningJobs = maxJobs
        config.maxUploadBytes = maxUploadMb << 20
        config.maxFileBytes = maxFileMb << 20
        config.bcryptCost = UInt8(bcryptCost)
        config.patternAccess = PatternAccess.fromEnvironment(env)
        config.shutdownGrace = .seconds(shutdownGrace)
        config.connections.maxConnections = Self.connectionLimit(maxConnections)
        return (config, "\(run.settings.model) at \(run.settings.baseURL), database \(location)")
    }

    /// Every job's configuration: the model and rate limits from the environment, the rest from flags.
    func runConfiguration(_ env: [String: String]) throws -> RunConfiguration {
        var run = try RunConfiguration.fromEnvironment(env)
        run.concurrency = concurrency
        run.pack = pack
        run.tokenBudget = tokenBudget
        run.documentTimeout = .seconds(documentTimeout)
        return run
    }

    /// The limit, lowered when the process may not open that many files: each connection is one,
    /// and the database, logs and model connections need some too (64 are kept for them).
    static func connectionLimit(_ wanted: Int) -> Int {
        var limit = rlimit()
        #if canImport(Glibc)
            let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
            let resource = RLIMIT_NOFILE
        #endif
        guard getrlimit(resource, &limit) == 0 else { return wanted }
        let allowed = max(16, Int(clamping: limit.rlim_cur) &- 64)
        if allowed < wanted {
            printError("At most \(allowed) connections: the open-file limit is \(limit.rlim_cur) (ulimit -n).")
        }
        return min(wanted, allowed)
    }
}
