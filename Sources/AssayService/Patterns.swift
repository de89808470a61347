import AssayCore
import AssayEngine
import AssayProviders
import AssayStore
import AssayTraces

/// Failure patterns from traces, for requesters who see patterns (the pattern role; the local
/// user always): add traces, run batches, read run summaries and patterns.
package struct Patterns: Sendable {
    let traces: TraceRunner
    /// The role named in refusals.
    let role: String

    package init(store: any Store & PatternStore, role: String = "ml_engineer") {
        self.traces = TraceRunner(store: store)
        self.role = role
    }

    /// Stores each readable trace as a document of the failure-patterns project.
    package func add(_ results: [TraceReadResult], for requester: Requester) async throws -> TraceRunner.AddReport {
        try allowed(requester)
        return try await traces.add(results)
    }

    /// One batch now, in the caller's task (the CLI shows its progress); nil when nothing is left.
    package func runBatch(
        provider: any LLMProvider, options: TraceRunner.Options, excluding: Set<Int64> = [],
        for requester: Requester, progress: @escaping @Sendable (RunProgress) -> Void = { _ in }
    )
        async throws -> TraceRunSummary?
    {
        try allowed(requester)
        return try await traces.run(provider: provider, options: options, excluding: excluding, progress: progress)
    }

    /// One batch as a background job of `runner`: the job (running) at once, its progress as for any
    /// job, its summary stored when it ends; nil when there are no unprocessed traces.
    package func startBatch(
        provider: any LLMProvider, options: TraceRunner.Options, runner: JobRunner,
        for requester: Requester
    ) async throws -> Job? {
        try allowed(requester)
        let traces = self.traces
        return try await runner.start { gate in
            guard let batch = try await traces.prepareBatch(provider: provider, options: options, gate: gate) else { return nil }
            return JobRunner.Work(job: batch.job) { observer in try await batch.run(progress: observer).run }
        }
    }

    package func summaries(for requester: Requester) async throws -> [TraceRunSummary] {
        try allowed(requester)
        return try await traces.summaries()
    }

    package func list(_ filter: PatternFilter = PatternFilter(), for requester: Requester) async throws -> [FailurePattern] {
        try allowed(requester)
        if let min = filter.minConfidence, !(0...1).contains(min) {
            throw ServiceError.invalid(field: "min_confidence", reason: "must be between 0 and 1")
        }
        return try await traces.patterns(filter)
    }

    private func allowed(_ requester: Requester) throws {
        guard requester.seesPatterns else { throw ServiceError.patternsNotAllowed(role: role) }
    }
}
