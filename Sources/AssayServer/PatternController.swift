import AssayCore
import AssayEngine
import AssayProviders
import AssayService
import AssayTraces
import Foundation
import Hummingbird

/// Failure patterns from traces, for the role the configuration grants (ML engineering,
/// on-call): a manual run (a background job), run summaries, and patterns with filters.
/// Everyone else gets 403.
struct PatternController {
    let patterns: Patterns
    let runner: JobRunner
    let provider: any LLMProvider
    let options: TraceRunner.Options
    var onStart: @Sendable (Job) -> Void = { _ in }

    /// The answer to `run-once`: the trace run's job (202), or why there is none (200).
    struct RunOnceDTO: Codable, Sendable {
        var job: JobDTO?
        var detail: String
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("/extraction/run-once") { _, context in
            let requester = try context.requireRequester()
            guard let job = try await patterns.startBatch(provider: provider, options: options, runner: runner, for: requester) else {
                return JSONResponse(RunOnceDTO(job: nil, detail: "no unprocessed traces"))
            }
            onStart(job)
            return JSONResponse(
                RunOnceDTO(job: JobDTO(job), detail: "\(job.total) traces are being processed: follow GET /jobs/\(job.id)"),
                status: .accepted)
        }
        group.get("/failure-patterns/runs") { _, context in
            JSONResponse(ListDTO(items: try await patterns.summaries(for: try context.requireRequester()).map(TraceRunDTO.init)))
        }
        group.get("/failure-patterns") { request, context in
            var filter = PatternFilter()
            filter.failureType = request.uri.queryParameters.get("failure_type")
            filter.triggerCondition = request.uri.queryParameters.get("trigger_condition")
            filter.minConfidence = try request.queryDouble("min_confidence")
            filter.jobID = try request.queryInt64("job")
            return JSONResponse(ListDTO(items: try await patterns.list(filter, for: try context.requireRequester()).map(\.json)))
        }
    }
}
