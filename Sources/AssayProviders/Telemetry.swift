import AssayCore
import NIOHTTP1
import Tracing

/// Spans (swift-distributed-tracing) as Assay records them: around a job, a request to the model
/// and its HTTP call. With no tracer bootstrapped (`InstrumentationSystem`'s no-op tracer) a span
/// costs a few allocations; `assay` built with `--traits OTel` exports them over OTLP.
///
/// Spans carry counts, ids, names and outcomes, never a document's text, a prompt, a reply or a
/// key: traces leave the machine, and what they carry is chosen here, attribute by attribute.
package enum Telemetry {
    /// The tracer to use: the one given (tests pass their own), else the process's, read now so a
    /// tracer bootstrapped after a provider or engine was made still counts.
    package static func tracer(_ given: (any Tracer)?) -> any Tracer { given ?? InstrumentationSystem.tracer }

    /// Runs `operation` in a span named `name`. On failure the span gets an error status and
    /// `error.type` from `errorType`, not the error's description: a provider's error message
    /// can quote what was sent, which must not leave in a trace.
    package static func span<T>(
        _ tracer: some Tracer, _ name: String, ofKind kind: SpanKind = .internal,
        errorType: @Sendable (any Error) -> String = Telemetry.errorType,
        _ operation: (any Span) async throws -> T
    ) async throws -> T {
        // A Result rather than a throw out of `withSpan`, which would record the error's text.
        let result: Result<T, any Error> = await tracer.withSpan(name, ofKind: kind) { span in
            do {
                return .success(try await operation(span))
            } catch {
                span.attributes["error.type"] = errorType(error)
                span.setStatus(SpanStatus(code: .error))
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// An error as a short, fixed word (`http_429`, `timeout`, …), or the error's type name.
    @Sendable package static func errorType(_ error: any Error) -> String {
        switch error {
        case let error as ProviderError:
            switch error {
            case .http(let status, _, _): "http_\(status)"
            case .timeout: "timeout"
            case .unreachable: "unreachable"
            case .invalidResponse: "invalid_response"
            case .refused: "refused"
            case .misconfigured: "misconfigured"
            case .circuitOpen: "circuit_open"
            case .batchItemFailed: "batch_item_failed"
            }
        case is CancellationError: "cancelled"
        default: String(describing: type(of: error))
        }
    }
}

/// Writes the current trace context into outgoing HTTP headers (`traceparent` with W3C
/// propagation), so a provider or a proxy in between can join the job's trace.
struct HTTPHeadersInjector: Injector {
    func inject(_ value: String, forKey key: String, into headers: inout HTTPHeaders) {
        headers.replaceOrAdd(name: key, value: value)
    }
}
