import AssayCore
import AssayEngine
import AssayProviders
import AssayStore
import AssayTraces
import Foundation

/// What the service keeps: documents and jobs, accounts, reviews, failure patterns.
public typealias ServiceStore = Store & AccountStore & ReviewStore & PatternStore

/// Everything `buildApplication` needs: where to listen, the store, the model, secrets and limits.
public struct ServerConfig: Sendable {
    public var host: String
    public var port: Int
    /// The store; SQLite by default. It must also keep accounts and reviews.
    public var store: any ServiceStore
    /// The model every job uses, already wrapped in retries and limits.
    public var provider: any LLMProvider
    /// Other models at the same provider, for codebooks that name models; nil refuses such codebooks.
    public var modelProvider: (@Sendable (String) throws -> any LLMProvider)?
    /// Models' prices, for estimates and costs in money.
    public var prices: (@Sendable (String) -> Price?)?
    /// A model's batch API, for jobs started with `"batch": true`; nil refuses them.
    public var batchAPI: (@Sendable (String) throws -> any BatchAPI)?
    public var batchTiming = BatchTiming()
    /// Jobs running at once; a job started beyond them is refused with 429 and Retry-After.
    public var maxRunningJobs = 16
    /// Store started jobs in the queue for `assay worker`s instead of running them here
    /// (`assay serve --no-worker`).
    public var enqueueOnly = false
    /// Whether the model answers; `/health/ready` calls it.
    public var providerCheck: @Sendable () async throws -> Void
    /// HMAC secret the access tokens are signed with.
    public var jwtSecret: String
    public var accessTokenLifetime: Duration = .seconds(15 * 60)
    public var refreshTokenLifetime: Duration = .seconds(7 * 24 * 3600)
    /// bcrypt cost of password hashes (12 in service; tests use the minimum).
    public var bcryptCost: UInt8 = 12
    /// Who may see failure patterns and run summaries.
    public var patternAccess: PatternAccess = PatternAccess()
    /// Largest JSON (or YAML) request body.
    public var maxBodyBytes = 1 << 20
    /// Largest multipart upload, all files together.
    public var maxUploadBytes = 32 << 20
    /// Largest single uploaded file.
    public var maxFileBytes = 20 << 20
    /// Options every job starts from (`RunConfiguration.options()`): concurrency, packing, budgets.
    public var jobOptions = ExtractionEngine.Options(documentTimeBudget: .seconds(300))
    /// The model's own tokenizer, for exact packing, and the family token estimates imitate.
    public var tokenCounter: (any TokenCounting)?
    public var tokenFamily: TokenEstimator.Family = .generic
    /// How often the server pings WebSocket clients (a client that stops answering is dropped).
    public var webSocketPing: Duration = .seconds(30)
    /// How long a shutdown waits for documents in flight before it cancels them.
    public var shutdownGrace: Duration = .seconds(30)
    /// How often passwords may be tried, and how many may be hashed at once.
    public var login = LoginLimits()
    /// How often one account may ask the model to refine or suggest codebook text.
    public var assistant = AssistantLimits()
    /// Timeouts and the connection limit that keep slow or broken clients from holding the service.
    public var connections = ConnectionLimits()
    /// Trace runs (`POST /extraction/run-once`).
    public var traceOptions = TraceRunner.Options()
    /// Single-user local mode (`assay ui`): requests with this key act as the local user. Set only
    /// through `allowLocalUser`, which refuses an address other than loopback.
    public internal(set) var local: LocalAccess?
    /// Called once the server listens, with its port (the one chosen when `port` is 0).
    public var onListening: (@Sendable (Int) async -> Void)?

    public init(
        host: String = "127.0.0.1", port: Int = 8080, store: any ServiceStore,
        provider: any LLMProvider, providerCheck: @escaping @Sendable () async throws -> Void = {}, jwtSecret: String
    ) {
        self.host = host
        self.port = port
        self.store = store
        self.provider = provider
        self.providerCheck = providerCheck
        self.jwtSecret = jwtSecret
    }
}

/// The role that sees failure patterns and run summaries (internal ML engineering, on-call), and
/// accounts that have it by configuration (`ASSAY_PATTERN_ROLE`, `ASSAY_ML_ENGINEERS`).
public struct PatternAccess: Sendable, Hashable {
    public var role: String
    /// Emails (lowercased) that have the role whatever their stored role.
    public var emails: Set<String>

    public init(role: String = "ml_engineer", emails: Set<String> = []) {
        self.role = role
        self.emails = Set(emails.map { $0.lowercased() })
    }

    public func allows(_ identity: Identity) -> Bool {
        identity.role == role || emails.contains(identity.email.lowercased())
    }

    /// From `ASSAY_PATTERN_ROLE` and the comma-separated `ASSAY_ML_ENGINEERS`.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> PatternAccess {
        let role = env["ASSAY_PATTERN_ROLE"].flatMap { $0.isEmpty ? nil : $0 } ?? "ml_engineer"
        let emails = (env["ASSAY_ML_ENGINEERS"] ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return PatternAccess(role: role, emails: Set(emails))
    }
}
