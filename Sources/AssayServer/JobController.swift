import AssayCore
import AssayEngine
import AssayService
import Foundation
import Hummingbird

/// Jobs: start a sample (N or chosen documents) or a full run, read progress, pause, resume,
/// cancel, and the stored events.
struct JobController {
    let jobs: Jobs
    /// Checks the project before a body is read: another's project costs no upload.
    let projects: Projects
    let maxBodyBytes: Int
    var onStart: @Sendable (Job) -> Void = { _ in }

    struct StartRequest: Decodable {
        var kind: JobKind
        var sampleSize: Int?
        var documentIDs: [Int64]?
        var seed: UInt64?
        var runs: Int?
        var maxTokens: Int?
        var maxCost: Double?
        var batch: Bool?
        var skipSample: Bool?
        enum CodingKeys: String, CodingKey {
            case kind, seed, runs, batch
            case skipSample = "skip_sample"
            case maxTokens = "max_tokens"
            case maxCost = "max_cost"
            case sampleSize = "sample_size"
            case documentIDs = "document_ids"
        }
    }

    struct ResumeRequest: Decodable {
        var maxTokens: Int?
        var maxCost: Double?
        enum CodingKeys: String, CodingKey {
            case maxTokens = "max_tokens"
            case maxCost = "max_cost"
        }
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("/projects/:id/jobs") { request, context in
            let id = try context.parameters.id(what: "project")
            let requester = try context.requireRequester()
            _ = try await projects.get(id, for: requester)
            let body = try await request.decodeJSON(StartRequest.self, limit: maxBodyBytes)
            let job = try await jobs.start(
                Jobs.Request(
                    kind: body.kind, sampleSize: body.sampleSize, documentIDs: body.documentIDs,
                    seed: body.seed, runs: body.runs, maxTokens: body.maxTokens, maxCost: body.maxCost,
                    batch: body.batch ?? false, skipSample: body.skipSample ?? false), projectID: id, for: requester)
            onStart(job)
            return JSONResponse(JobDTO(job), status: .accepted)
        }
        group.get("/projects/:id/jobs") { _, context in
            let listed = try await jobs.list(projectID: try context.parameters.id(what: "project"), for: try context.requireRequester())
            return JSONResponse(ListDTO(items: listed.map(JobDTO.init)))
        }
        group.get("/jobs/:id") { _, context in
            JSONResponse(JobDTO(try await jobs.get(try context.parameters.id(what: "job"), for: try context.requireRequester())))
        }
        group.get("/jobs/:id/events") { _, context in
            let events = try await jobs.events(try context.parameters.id(what: "job"), for: try context.requireRequester())
            return JSONResponse(ListDTO(items: events.map(JobEventDTO.init)))
        }
        group.post("/jobs/:id/pause") { _, context in
            JSONResponse(JobDTO(try await jobs.pause(try context.parameters.id(what: "job"), for: try context.requireRequester())))
        }
        group.post("/jobs/:id/resume") { request, context in
            let id = try context.parameters.id(what: "job")
            // An optional body raises the budgets of a job paused at them.
            let body = try await request.decodeOptionalJSON(ResumeRequest.self, limit: maxBodyBytes)
            let budget = body.map { JobRunner.Budget(maxTokens: $0.maxTokens, maxCost: $0.maxCost) }
            let resumed = try await jobs.resume(id, budget: budget, for: try context.requireRequester())
            return JSONResponse(JobDTO(resumed), status: resumed.id == id ? .ok : .accepted)
        }
        group.post("/jobs/:id/cancel") { _, context in
            JSONResponse(JobDTO(try await jobs.cancel(try context.parameters.id(what: "job"), for: try context.requireRequester())))
        }
    }
}
