import AssayCore
import AssayEngine
import AssayProviders
import AssayService
import AssayTraces
import Foundation
import Hummingbird

/// Failure patterns from traces, for the role the configuration grants (ML engineering,
/// on-call): a manual run, run summaries, and patterns with filters. Everyone else gets 403.
struct PatternController {
    let patterns: Patterns
    let provider: any LLMProvider
    let options: TraceRunner.Options

    struct RunOnceDTO: Codable, Sendable {
        var summary: TraceRunSummary?
        var detail: String
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("/extraction/run-once") { _, context in
            guard let summary = try await patterns.runBatch(provider: provider, options: options, for: try context.requireRequester()) else {
                return JSONResponse(RunOnceDTO(summary: nil, detail: "no unprocessed traces"))
            }
            return JSONResponse(RunOnceDTO(summary: summary, detail: "\(summary.patternsStored) patterns stored"), status: .created)
        }
        group.get("/failure-patterns/runs") { _, context in
            JSONResponse(ListDTO(items: try await patterns.summaries(for: try context.requireRequester())))
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
