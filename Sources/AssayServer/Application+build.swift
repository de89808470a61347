import AssayCore
import AssayEngine
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
public func buildApplication(config: ServerConfig, logger: Logger = Logger(label: "assay.server")) async
    -> (app: some ApplicationProtocol, parts: ServerParts) {
    let metrics = ServerMetrics()
    var engine = ExtractionEngine(store: config.store, provider: config.provider, tokenCounter: config.tokenCounter)
    engine.tokenFamily = config.tokenFamily
    engine.logger = Logger(label: "assay.engine")
    let runner = JobRunner(engine: engine, baseOptions: config.jobOptions, observer: { metrics.observe($0) })
    let tokens = await TokenService.make(config: config)
    let hasher = PasswordHasher(cost: config.bcryptCost, maxPending: config.login.maxPendingHashes)
    // The decoy hash is made now, so the first login for an unknown email is not slower than others.
    _ = try? await hasher.decoyHash()
    let router = buildRouter(config: config, runner: runner, tokens: tokens, metrics: metrics, hasher: hasher)
    let wsRouter = Router(context: BasicWebSocketRequestContext.self)
    ProgressController(runner: runner, ownership: Ownership(store: config.store))
        .addWebSocketRoutes(to: wsRouter, tokens: tokens, accounts: config.store)
    let wsResponder = wsRouter.buildResponder()
    let ws = WebSocketServerConfiguration(maxFrameSize: 1 << 16, autoPing: .enabled(timePeriod: config.webSocketPing))
    let limits = config.connections
    let server = HTTPServerBuilder { responder in
        GuardedChannel(inner: HTTP1WebSocketUpgradeChannel(responder: responder, webSocketResponder: wsResponder,
                                                           configuration: .init(ws: ws)),
                       limits: limits, metrics: metrics)
    }
    let app = Application(
        router: router,
        server: server,
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "assay",
                             availableConnectionsDelegate: MaximumAvailableConnections(limits.maxConnections)),
        services: [JobRunnerService(runner: runner, grace: config.shutdownGrace, store: config.store)],
        logger: logger)
    return (app, ServerParts(runner: runner, metrics: metrics, tokens: TokenServiceHandle(service: tokens), hasher: hasher))
}

/// Every HTTP route. Operations routes are open; every data route sits behind `AuthMiddleware`.
func buildRouter(config: ServerConfig, runner: JobRunner, tokens: TokenService, metrics: ServerMetrics,
                 hasher: PasswordHasher? = nil) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.addMiddleware {
        RequestIDMiddleware()
        AccessLogMiddleware()
        MetricsMiddleware(metrics: metrics)
        ProblemMiddleware()
    }
    let store = config.store
    let ownership = Ownership(store: store)
    let workspace = Workspace(store: store)

    HealthController(store: store, providerCheck: config.providerCheck).addRoutes(to: router)
    router.get("/metrics") { _, _ in
        Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: metrics.render())))
    }
    router.get("/openapi.json") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.bytes)))
    }

    let accounts = AccountController(
        accounts: store, tokens: tokens,
        hasher: hasher ?? PasswordHasher(cost: config.bcryptCost, maxPending: config.login.maxPendingHashes),
        throttle: LoginThrottle(limits: config.login), metrics: metrics, patternAccess: config.patternAccess, maxBodyBytes: config.maxBodyBytes)
    accounts.addPublicRoutes(to: router.group())

    let api = router.group().add(middleware: AuthMiddleware(tokens: tokens, accounts: store))
    accounts.addRoutes(to: api)
    ProjectController(store: store, ownership: ownership, maxBodyBytes: config.maxBodyBytes).addRoutes(to: api)
    DocumentController(workspace: workspace, store: store, ownership: ownership, maxUploadBytes: config.maxUploadBytes,
                       maxFileBytes: config.maxFileBytes).addRoutes(to: api)
    CodebookController(workspace: workspace, store: store, ownership: ownership, maxBodyBytes: config.maxBodyBytes).addRoutes(to: api)
    JobController(runner: runner, store: store, ownership: ownership, maxBodyBytes: config.maxBodyBytes,
                  onStart: { metrics.jobStarted(kind: $0.kind.rawValue) }).addRoutes(to: api)
    ProgressController(runner: runner, ownership: ownership).addRoutes(to: api)
    ExtractionController(store: store, ownership: ownership, maxBodyBytes: config.maxBodyBytes).addRoutes(to: api)
    ExportController(store: store, ownership: ownership).addRoutes(to: api)
    PatternController(runner: TraceRunner(store: store), provider: config.provider, access: config.patternAccess,
                      options: config.traceOptions).addRoutes(to: api)
    return router
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
