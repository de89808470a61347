import AssayCore
import AssayEngine
import AssayStore

/// A job run start to end in the caller's own task (`assay run`): the same selection rules and
/// ownership check as `Jobs.start`, progress reported to the caller, and stopped by cancelling
/// the caller's task (what was stored stays; the next run does the rest).
package struct Runs: Sendable {
    let access: Access
    let engine: ExtractionEngine
    /// Options every run starts from (concurrency, budgets, chunking); the request picks the documents.
    let baseOptions: ExtractionEngine.Options

    package init(store: any Store & ReviewStore, engine: ExtractionEngine, baseOptions: ExtractionEngine.Options) {
        self.access = Access(store: store)
        self.engine = engine
        self.baseOptions = baseOptions
    }

    package func run(
        _ request: Jobs.Request, projectID: Int64, for requester: Requester,
        progress: @escaping @Sendable (RunProgress) -> Void = { _ in }
    ) async throws -> RunSummary {
        let project = try await access.project(projectID, for: requester)
        var options = baseOptions
        options.kind = request.kind
        options.selection = try request.selection()
        return try await engine.run(projectID: project.id, options: options, progress: progress)
    }
}
