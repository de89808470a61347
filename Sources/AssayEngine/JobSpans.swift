import AssayCore
import AssayProviders
import Synchronization
import Tracing

/// A job's trace: an `assay.job` span around its execution and, inside it, an `assay.request`
/// span for every request to the model (its HTTP call, from the provider, inside that). The
/// attributes are counts, ids and names only (see `Telemetry`): never a document's text, a
/// prompt or a reply.
enum JobSpans {
    static let job = "assay.job"
    static let request = "assay.request"

    /// Runs the prepared job's execution in its span; the span ends with the job's status and counts.
    static func job(
        _ tracer: any Tracer, _ prepared: ExtractionEngine.PreparedJob, model: String,
        _ execute: () async throws -> RunSummary
    ) async throws -> RunSummary {
        try await Telemetry.span(tracer, job) { span in
            span.attributes["assay.job.id"] = prepared.job.id
            span.attributes["assay.project.id"] = prepared.job.projectID
            span.attributes["assay.job.kind"] = prepared.job.kind.rawValue
            span.attributes["assay.model"] = model
            span.attributes["assay.documents"] = prepared.documents.count
            let summary = try await execute()
            // A worker that left the job to others finds it still running.
            span.attributes["assay.job.status"] = summary.job.status.rawValue
            span.attributes["assay.job.succeeded"] = summary.succeeded
            span.attributes["assay.job.flagged"] = summary.flagged
            span.attributes["assay.job.failed"] = summary.failed
            return summary
        }
    }

    /// Runs one request to the model in its span: which documents it is about, whether it is the
    /// first ask or the re-ask after an unusable reply, the provider's retries and waits (as
    /// events), the tokens and how it ended.
    static func request(
        _ tracer: any Tracer, provider: any LLMProvider, documents: [Int64], attempt: Int,
        _ call: () async throws -> LLMResponse
    ) async throws -> LLMResponse {
        try await Telemetry.span(tracer, request) { span in
            span.attributes["assay.documents"] = documents.count
            span.attributes["assay.document.ids"] = documents
            span.attributes["assay.attempt"] = attempt
            span.attributes["assay.provider"] = provider.kind
            span.attributes["assay.model"] = provider.model
            let retries = Retries()
            do {
                let response: LLMResponse
                if span.isRecording {
                    response = try await ProviderEvents.alsoObserving({ event in
                        if case .retried = event { retries.count.withLock { $0 += 1 } }
                        span.addEvent(SpanEvent(name: event.name))
                    }) { try await call() }
                } else {
                    response = try await call()
                }
                span.attributes["assay.retries"] = retries.count.withLock { $0 }
                span.attributes["assay.tokens.in"] = response.usage.promptTokens
                span.attributes["assay.tokens.out"] = response.usage.completionTokens
                span.attributes["assay.tokens.cached"] = response.usage.cachedPromptTokens
                span.attributes["assay.outcome"] = "replied"
                return response
            } catch {
                span.attributes["assay.retries"] = retries.count.withLock { $0 }
                span.attributes["assay.outcome"] = Telemetry.errorType(error)
                throw error
            }
        }
    }
}

/// The provider's retries of one request, counted as they happen (in the provider's task).
private final class Retries: Sendable {
    let count = Mutex(0)
}

extension ProviderEvent {
    /// The event's name in a request's span.
    var name: String {
        switch self {
        case .retried: "retry"
        case .throttled: "rate limit wait"
        case .circuitOpened: "circuit opened"
        }
    }
}
