import AssayCore
import AssayEngine
import AssayProviders
import AssayStore
import AssayTraces
import Foundation
import Hummingbird

/// Failure patterns from traces, for the role the configuration grants (ML engineering,
/// on-call): a manual run, run summaries, and patterns with filters. Everyone else gets 403.
struct PatternController {
    let runner: TraceRunner
    let provider: any LLMProvider
    let access: PatternAccess
    let options: TraceRunner.Options

    struct RunOnceDTO: Codable, Sendable {
        var summary: TraceRunSummary?
        var detail: String
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("/extraction/run-once") { _, context in
            try allowed(context)
            guard let summary = try await runner.run(provider: provider, options: options) else {
                return JSONResponse(RunOnceDTO(summary: nil, detail: "no unprocessed traces"))
            }
            return JSONResponse(RunOnceDTO(summary: summary, detail: "\(summary.patternsStored) patterns stored"), status: .created)
        }
        group.get("/failure-patterns/runs") { _, context in
            try allowed(context)
            return JSONResponse(ListDTO(items: try await runner.summaries()))
        }
        group.get("/failure-patterns") { request, context in
            try allowed(context)
            var filter = PatternFilter()
            filter.failureType = request.uri.queryParameters.get("failure_type")
            filter.triggerCondition = request.uri.queryParameters.get("trigger_condition")
            if let min = try request.queryDouble("min_confidence") {
                guard (0...1).contains(min) else { throw APIProblem.invalid("min_confidence", "must be between 0 and 1") }
                filter.minConfidence = min
            }
            filter.jobID = try request.queryInt64("job")
            return JSONResponse(ListDTO(items: try await runner.patterns(filter).map(\.json)))
        }
    }

    private func allowed(_ context: AppRequestContext) throws {
        let identity = try context.requireIdentity()
        guard access.allows(identity) else {
            throw APIProblem(.forbidden, "failure patterns are visible to accounts with the role '\(access.role)' only")
        }
    }
}
