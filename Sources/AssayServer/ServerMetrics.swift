import AssayCore
import AssayEngine
import Foundation
import Hummingbird
import Prometheus

/// The service's Prometheus metrics: requests and latencies by route, jobs, documents, tokens and
/// provider errors. Its own registry (no global bootstrap), so every app — and every test — has one.
public final class ServerMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()

    public init() {}

    private static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "assay", metricName: metric, unitName: unit, helpText: help)
    }

    func request(method: String, route: String, status: Int, duration: Duration) {
        registry.makeCounter(descriptor: Self.name("http_requests", "total", "HTTP requests by method, route and status"),
                             labels: [("method", method), ("route", route), ("status", String(status))]).increment()
        registry.makeDurationHistogram(
            descriptor: Self.name("http_request_duration", "seconds", "HTTP request latency by route"),
            labels: [("method", method), ("route", route)],
            buckets: [.milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250), .milliseconds(1000),
                      .seconds(5), .seconds(30)]).record(duration)
    }

    func jobStarted(kind: String) {
        registry.makeCounter(descriptor: Self.name("jobs_started", "total", "Jobs started by kind"), labels: [("kind", kind)])
            .increment()
    }

    /// Counts what a job's live updates say: documents by outcome, provider errors, finished jobs and tokens.
    func observe(_ update: JobUpdate) {
        switch update.type {
        case .documentCompleted, .documentFailed:
            let outcome = update.type == .documentFailed ? "failed" : "completed"
            registry.makeCounter(descriptor: Self.name("documents_processed", "total", "Documents processed by outcome"),
                                 labels: [("outcome", outcome)]).increment()
            if let reason = update.reason, let kind = reason.split(separator: ":").first,
               ["provider_error", "timeout"].contains(String(kind)) {
                registry.makeCounter(descriptor: Self.name("provider_errors", "total", "Documents failed by the provider"),
                                     labels: [("kind", String(kind))]).increment()
            }
        case .jobCompleted, .jobFailed, .jobCancelled:
            registry.makeCounter(descriptor: Self.name("jobs_finished", "total", "Jobs finished by status"),
                                 labels: [("status", update.status.rawValue)]).increment()
            registry.makeCounter(descriptor: Self.name("tokens", "total", "Tokens used by jobs"), labels: [("direction", "in")])
                .increment(by: Int64(update.tokensIn))
            registry.makeCounter(descriptor: Self.name("tokens", "total", "Tokens used by jobs"), labels: [("direction", "out")])
                .increment(by: Int64(update.tokensOut))
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
