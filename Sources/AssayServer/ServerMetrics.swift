import AssayCore
import AssayEngine
import Foundation
import Hummingbird
import Prometheus

/// The service's Prometheus metrics: requests and latencies by route, jobs, documents, tokens,
/// provider errors, sign-ins and refused connections. Its own registry (no global bootstrap), so
/// every app — and every test — has one. Every family is there from the first scrape, at zero
/// (Prometheus convention: a query over a family that appears later sees a gap, not a zero).
public final class ServerMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()

    /// Each family's name and help, in one place: the registry refuses a second help text.
    enum Family: String, CaseIterable {
        case httpRequests = "http_requests"
        case httpDuration = "http_request_duration"
        case jobsStarted = "jobs_started"
        case jobsFinished = "jobs_finished"
        case documents = "documents_processed"
        case providerErrors = "provider_errors"
        case tokens
        case cost
        case logins = "login_attempts"
        case refusedConnections = "connections_refused"

        var descriptor: MetricNameDescriptor {
            let (unit, help): (String, String) =
                switch self {
                case .httpRequests: ("total", "HTTP requests by method, route and status")
                case .httpDuration: ("seconds", "HTTP request latency by route")
                case .jobsStarted: ("total", "Jobs started by kind")
                case .jobsFinished: ("total", "Jobs finished by status")
                case .documents: ("total", "Documents processed by outcome")
                case .providerErrors: ("total", "Documents failed by the provider")
                case .tokens: ("total", "Tokens used by jobs (cached: of the input tokens, those from the provider's prompt cache)")
                case .cost: ("dollars_total", "What finished jobs cost in US dollars at the models' prices")
                case .logins: ("total", "Sign-in attempts by outcome: success, failure, limited (429), busy (503)")
                case .refusedConnections: ("total", "Connections closed for a malformed, too large or too slow request")
                }
            return MetricNameDescriptor(namespace: "assay", metricName: rawValue, unitName: unit, helpText: help)
        }

        /// The name as exported, `assay_jobs_started_total`.
        var name: String { descriptor.name }
    }

    static let durationBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250),
        .milliseconds(1000), .seconds(5), .seconds(30),
    ]

    public init() {
        // Every label value a family has from the start; request series start with the liveness probe.
        _ = counter(.httpRequests, [("method", "GET"), ("route", "/health/live"), ("status", "200")])
        _ = histogram(method: "GET", route: "/health/live")
        for kind in JobKind.allCases { _ = counter(.jobsStarted, [("kind", kind.rawValue)]) }
        for status in ["completed", "failed", "cancelled"] { _ = counter(.jobsFinished, [("status", status)]) }
        for outcome in ["completed", "failed"] { _ = counter(.documents, [("outcome", outcome)]) }
        for kind in ["provider_error", "timeout"] { _ = counter(.providerErrors, [("kind", kind)]) }
        for direction in ["in", "out", "cached"] { _ = counter(.tokens, [("direction", direction)]) }
        _ = counter(.cost, [])
        for outcome in LoginOutcome.allCases { _ = counter(.logins, [("outcome", outcome.rawValue)]) }
        for reason in RefusalReason.allCases { _ = counter(.refusedConnections, [("reason", reason.rawValue)]) }
    }

    enum LoginOutcome: String, CaseIterable { case success, failure, limited, busy }
    enum RefusalReason: String, CaseIterable {
        case malformed
        case tooLarge = "too_large"
        case headerTimeout = "header_timeout"
        case bodyTimeout = "body_timeout"
    }

    private func counter(_ family: Family, _ labels: [(String, String)]) -> Counter {
        registry.makeCounter(descriptor: family.descriptor, labels: labels)
    }

    private func histogram(method: String, route: String) -> DurationHistogram {
        registry.makeDurationHistogram(
            descriptor: Family.httpDuration.descriptor, labels: [("method", method), ("route", route)],
            buckets: Self.durationBuckets)
    }

    func request(method: String, route: String, status: Int, duration: Duration) {
        counter(.httpRequests, [("method", method), ("route", route), ("status", String(status))]).increment()
        histogram(method: method, route: route).record(duration)
    }

    func jobStarted(kind: String) {
        counter(.jobsStarted, [("kind", kind)]).increment()
    }

    func login(_ outcome: LoginOutcome) {
        counter(.logins, [("outcome", outcome.rawValue)]).increment()
    }

    /// A connection the service closed on a client: malformed, too large, or too slow.
    func connectionRefused(_ reason: RefusalReason) {
        counter(.refusedConnections, [("reason", reason.rawValue)]).increment()
    }

    /// Counts what a job's live updates say: documents by outcome, provider errors, finished jobs and tokens.
    func observe(_ update: JobUpdate) {
        switch update.type {
        case .documentCompleted, .documentFailed:
            counter(.documents, [("outcome", update.type == .documentFailed ? "failed" : "completed")]).increment()
            if let reason = update.reason, let kind = reason.split(separator: ":").first,
                ["provider_error", "timeout"].contains(String(kind))
            {
                counter(.providerErrors, [("kind", String(kind))]).increment()
            }
        case .jobCompleted, .jobFailed, .jobCancelled:
            counter(.jobsFinished, [("status", update.status.rawValue)]).increment()
            counter(.tokens, [("direction", "in")]).increment(by: Int64(update.tokensIn))
            counter(.tokens, [("direction", "out")]).increment(by: Int64(update.tokensOut))
            counter(.tokens, [("direction", "cached")]).increment(by: Int64(update.tokensCached))
            if let cost = update.cost { counter(.cost, []).increment(by: cost) }
        default: break
        }
    }

    /// The exposition text of every metric.
    public func render() -> String { registry.emitToString() }
}

/// Times every request and counts it by its route template (bounded label values).
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let route = context.endpointPath ?? "unmatched"
        metrics.request(method: request.method.rawValue, route: route, status: response.status.code, duration: .now - start)
        return response
    }
}
