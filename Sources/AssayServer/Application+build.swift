import AssayCore
import AssayEngine
import AssayService
import AssayStore
import AssayTraces
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle

/// The parts of a running service that tests and `assay serve` reach into.
public struct ServerParts: Sendable {
    public let runner: JobRunner
    public let metrics: ServerMetrics
    package let tokens: TokenServiceHandle
    let hasher: PasswordHasher
}

/// Opaque access to the token service for tests that need an expired or forged token.
package struct TokenServiceHandle: Sendable {
    let service: TokenService
}

/// Builds the service: routes, middleware, the job runner as a Service. `app.runService()` (or
/// the ServiceGroup of `runServer`) serves until SIGTERM/SIGINT, then shuts down gracefully.
public func buildApplication(
    config: ServerConfig, logger: Logger = Logger(label: "assay.server")
) async
    -> (app: some ApplicationProtocol, parts: ServerParts)
{
    // Local mode acts as the local user without an account: never on an address others can reach.
    precondition(config.local == nil || LocalAccess.isLoopback(config.host), "\(LocalAccessError(host: config.host))")
    let metrics = ServerMetrics()
    var engine = ExtractionEngine(store: config.store, provider: config.provider, tokenCounter: config.tokenCounter)
    engine.tokenFamily = config.tokenFamily
    engine.modelProvider = config.modelProvider
    engine.prices = config.prices
    engine.batchAPI = config.batchAPI
    engine.batchTiming = config.batchTiming
    engine.logger = Logger(label: "assay.engine")
    let runner = JobRunner(
        engine: engine, baseOptions: config.jobOptions, maxRunning: config.maxRunningJobs, enqueueOnly: config.enqueueOnly,
        observer: { metrics.observe($0) })
    let tokens = await TokenService.make(config: config)
    let hasher = PasswordHasher(cost: config.bcryptCost, maxPending: config.login.maxPendingHashes)
    // The decoy hash is made now, so the first login for an unknown email is not slower than others.
    _ = try? await hasher.decoyHash()
    let router = buildRouter(config: config, runner: runner, tokens: tokens, metrics: metrics, hasher: hasher)
    let wsRouter = Router(context: BasicWebSocketRequestContext.self)
    ProgressController(
        jobs: Jobs(store: config.store, runner: runner), sessions: makeSessions(config, tokens, hasher),
        patternAccess: config.patternAccess
    )
    .addWebSocketRoutes(to: wsRouter)
    let wsResponder = wsRouter.buildResponder()
    let ws = WebSocketServerConfiguration(maxFrameSize: 1 << 16, autoPing: .enabled(timePeriod: config.webSocketPing))
    let limits = config.connections
    let server = HTTPServerBuilder { responder in
        GuardedChannel(
            inner: HTTP1WebSocketUpgradeChannel(
                responder: responder, webSocketResponder: wsResponder,
                configuration: .init(ws: ws)),
            limits: limits, metrics: metrics)
    }
    let app = Application(
        router: router,
        server: server,
        configuration: .init(
            address: .hostname(config.host, port: config.port), serverName: "assay",
            availableConnectionsDelegate: MaximumAvailableConnections(limits.maxConnections)),
        services: [JobRunnerService(runner: runner, grace: config.shutdownGrace, store: config.store)],
        onServerRunning: { channel in
            if let onListening = config.onListening, let port = channel.localAddress?.port { await onListening(port) }
        },
        logger: logger)
    return (app, ServerParts(runner: runner, metrics: metrics, tokens: TokenServiceHandle(service: tokens), hasher: hasher))
}

/// Every HTTP route. Operations routes are open; every data route sits behind `AuthMiddleware`.
func buildRouter(
    config: ServerConfig, runner: JobRunner, tokens: TokenService, metrics: ServerMetrics,
    hasher: PasswordHasher? = nil
) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.addMiddleware {
        // A server span per request, joining a caller's trace (`traceparent`). The token a progress
        // stream may carry in its query is not recorded.
        TracingMiddleware(redactingQueryParameters: ["token"])
        RequestIDMiddleware()
        AccessLogMiddleware()
        MetricsMiddleware(metrics: metrics)
        ProblemMiddleware()
    }
    if config.local != nil { router.addMiddleware { LocalOriginGuard() } }
    let store = config.store
    let projects = Projects(store: store)
    let values = Values(store: store)
    let jobs = Jobs(store: store, runner: runner)

    HealthController(health: Health(store: store), providerCheck: config.providerCheck).addRoutes(to: router)
    router.get("/metrics") { _, _ in
        Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: metrics.render())))
    }
    router.get("/openapi.json") { _, _ in
        Response(
            status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.bytes)))
    }
    Workbench.addRoutes(to: router, local: config.local != nil)

    let sessions = makeSessions(
        config, tokens, hasher ?? PasswordHasher(cost: config.bcryptCost, maxPending: config.login.maxPendingHashes))
    let accounts = AccountController(
        sessions: sessions, accounts: Accounts(store: store), metrics: metrics,
        patternAccess: config.patternAccess, maxBodyBytes: config.maxBodyBytes)
    accounts.addPublicRoutes(to: router.group())

    let api = router.group().add(
        middleware: AuthMiddleware(sessions: sessions, patternAccess: config.patternAccess, local: config.local))
    accounts.addRoutes(to: api)
    ProjectController(projects: projects, maxBodyBytes: config.maxBodyBytes).addRoutes(to: api)
    DocumentController(
        documents: Documents(store: store), projects: projects, maxUploadBytes: config.maxUploadBytes,
        maxFileBytes: config.maxFileBytes
    ).addRoutes(to: api)
    CodebookController(codebooks: Codebooks(store: store), projects: projects, maxBodyBytes: config.maxBodyBytes).addRoutes(to: api)
    let assistant = AssistantThrottle(limits: config.assistant)
    RefinementController(
        refinements: Refinements(store: store, provider: config.provider), projects: projects, throttle: assistant,
        maxBodyBytes: config.maxBodyBytes
    ).addRoutes(to: api)
    SuggestionController(
        suggestions: Suggestions(store: store, provider: config.provider), codebooks: Codebooks(store: store), projects: projects,
        throttle: assistant, maxBodyBytes: config.maxBodyBytes
    ).addRoutes(to: api)
    let jobStarted: @Sendable (Job) -> Void = { metrics.jobStarted(kind: $0.kind.rawValue) }
    JobController(jobs: jobs, projects: projects, maxBodyBytes: config.maxBodyBytes, onStart: jobStarted).addRoutes(to: api)
    ProgressController(jobs: jobs, sessions: sessions, patternAccess: config.patternAccess).addRoutes(to: api)
    ExtractionController(values: values, reviews: Reviews(store: store), maxBodyBytes: config.maxBodyBytes).addRoutes(to: api)
    ExportController(values: values).addRoutes(to: api)
    SharingController(
        sharing: Sharing(store: store), assignments: Assignments(store: store), projects: projects, maxBodyBytes: config.maxBodyBytes
    ).addRoutes(to: api)
    QualityController(
        coders: Coders(store: store), evaluations: Evaluations(store: store), projects: projects,
        maxBodyBytes: config.maxBodyBytes
    ).addRoutes(to: api)
    PatternController(
        patterns: Patterns(store: store, role: config.patternAccess.role), runner: runner, provider: config.provider,
        options: config.traceOptions, onStart: jobStarted
    ).addRoutes(to: api)
    return router
}

/// Signing in, with the service's token signing, password hashing and sign-in limits.
/// One limiter per router: its counts are the process's.
private func makeSessions(_ config: ServerConfig, _ tokens: TokenService, _ hasher: PasswordHasher) -> Sessions {
    Sessions(
        store: config.store, tokens: tokens, hasher: hasher, limiter: LoginThrottle(limits: config.login))
}

/// Runs the job runner for the application's lifetime; on graceful shutdown it stops taking work,
/// lets documents in flight finish (or cancels them after the grace period) and closes the store.
struct JobRunnerService: Service {
    let runner: JobRunner
    let grace: Duration
    let store: any Store

    func run() async throws {
        try? await gracefulShutdown()
        await runner.shutdown(grace: grace)
        if let closable = store as? any ClosableStore { try closable.close() }
    }
}

/// Puts a request id on every response (`X-Request-ID`) — the id the logs carry as `hb.request.id`.
struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[HTTPField.Name("X-Request-ID")!] = context.id
        return response
    }
}
