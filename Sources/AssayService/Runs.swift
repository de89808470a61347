import AssayCore
import AssayEngine
import AssayStore

/// A job run start to end in the caller's own task (`assay run`): the same selection rules and
/// ownership check as `Jobs.start`, progress reported to the caller, and stopped by cancelling
/// the caller's task (what was stored stays; the next run does the rest).
package struct Runs: Sendable {
    let store: any Store & ReviewStore
    let access: Access
    let engine: ExtractionEngine
    /// Options every run starts from (concurrency, budgets, chunking); the request picks the documents.
    let baseOptions: ExtractionEngine.Options

    package init(store: any Store & ReviewStore, engine: ExtractionEngine, baseOptions: ExtractionEngine.Options) {
        self.store = store
        self.access = Access(store: store)
        self.engine = engine
        self.baseOptions = baseOptions
    }

    package func run(
        _ request: Jobs.Request, projectID: Int64, for requester: Requester,
        progress: @escaping @Sendable (RunProgress) -> Void = { _ in }
    ) async throws -> RunSummary {
        let project = try await access.project(projectID, for: requester)
        let options = try options(request)
        try await Workflow.check(request, project: project, store: store)
        return try await engine.run(projectID: project.id, options: options, progress: progress)
    }

    /// Stores the job in the queue for `assay worker`s and returns it; nothing is coded here.
    package func enqueue(_ request: Jobs.Request, projectID: Int64, for requester: Requester) async throws -> Job {
        let project = try await access.project(projectID, for: requester)
        let options = try options(request)
        try await Workflow.check(request, project: project, store: store)
        return try await engine.enqueue(projectID: project.id, options: options)
    }

    /// What the run would code and cost, with nothing sent or stored (`assay run --dry-run`).
    package func plan(_ request: Jobs.Request, projectID: Int64, for requester: Requester) async throws -> ExtractionEngine.JobPlan {
        let project = try await access.project(projectID, for: requester)
        return try await engine.plan(projectID: project.id, options: try options(request))
    }

    private func options(_ request: Jobs.Request) throws -> ExtractionEngine.Options {
        var options = baseOptions
        options.kind = request.kind
        options.selection = try request.selection()
        return options
    }
}
