import AssayCore
import AssayEngine
import AssayStore
import Foundation
import Hummingbird

/// Jobs: start a sample (N or chosen documents) or a full run, read progress, pause, resume,
/// cancel, and the stored events.
struct JobController {
    let runner: JobRunner
    let store: any Store & ReviewStore
    let ownership: Ownership
    let maxBodyBytes: Int
    var onStart: @Sendable (Job) -> Void = { _ in }

    struct StartRequest: Decodable {
        var kind: JobKind
        var sampleSize: Int?
        var documentIDs: [Int64]?
        var seed: UInt64?
        enum CodingKeys: String, CodingKey { case kind, seed, sampleSize = "sample_size", documentIDs = "document_ids" }
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("/projects/:id/jobs") { request, context in
            let project = try await ownership.project(try context.parameters.id(what: "project"), for: try context.requireIdentity())
            let body = try await request.decodeJSON(StartRequest.self, limit: maxBodyBytes)
            let selection = try Self.selection(body)
            let job = try await runner.start(projectID: project.id, kind: body.kind, selection: selection)
            onStart(job)
            return JSONResponse(JobDTO(job), status: .accepted)
        }
        group.get("/projects/:id/jobs") { _, context in
            let project = try await ownership.project(try context.parameters.id(what: "project"), for: try context.requireIdentity())
            return JSONResponse(ListDTO(items: try await store.jobs(projectID: project.id).map(JobDTO.init)))
        }
        group.get("/jobs/:id") { _, context in
            JSONResponse(JobDTO(try await owned(context)))
        }
        group.get("/jobs/:id/events") { _, context in
            let job = try await owned(context)
            return JSONResponse(ListDTO(items: try await store.events(jobID: job.id).map(JobEventDTO.init)))
        }
        group.post("/jobs/:id/pause") { _, context in
            JSONResponse(JobDTO(try await runner.pause(jobID: try await owned(context).id)))
        }
        group.post("/jobs/:id/resume") { _, context in
            let job = try await owned(context)
            let resumed = try await runner.resume(jobID: job.id)
            return JSONResponse(JobDTO(resumed), status: resumed.id == job.id ? .ok : .accepted)
        }
        group.post("/jobs/:id/cancel") { _, context in
            JSONResponse(JobDTO(try await runner.cancel(jobID: try await owned(context).id)))
        }
    }

    private func owned(_ context: AppRequestContext) async throws -> Job {
        try await ownership.job(try context.parameters.id(what: "job"), for: try context.requireIdentity())
    }

    static func selection(_ body: StartRequest) throws -> JobSelection {
        if let ids = body.documentIDs {
            guard !ids.isEmpty else { throw APIProblem.invalid("document_ids", "must name at least one document") }
            guard ids.count <= 10_000 else { throw APIProblem.invalid("document_ids", "must name at most 10000 documents") }
            return JobSelection(documentIDs: ids)
        }
        switch body.kind {
        case .sample:
            guard let size = body.sampleSize else {
                throw APIProblem.invalid("sample_size", "a sample needs sample_size (or document_ids)")
            }
            guard size >= 1 else { throw APIProblem.invalid("sample_size", "must be at least 1") }
            return JobSelection(sampleSize: size, seed: body.seed ?? 42)
        case .full:
            guard body.sampleSize == nil else { throw APIProblem.invalid("sample_size", "a full run takes every document; leave it out") }
            return .all
        }
    }
}
