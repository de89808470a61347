import AssayCore
import AssayEngine
import AssayStore
import Foundation
import Hummingbird

/// Values: paged and filtered lists per project, one value with its evidence offsets, and
/// reviewers' feedback on it.
struct ExtractionController {
    let store: any Store & ReviewStore
    let ownership: Ownership
    let maxBodyBytes: Int

    static let defaultLimit = 50
    static let maxLimit = 500

    struct FeedbackRequest: Decodable {
        var verdict: FeedbackVerdict
        var correctedValue: JSONValue?
        var note: String?
        enum CodingKeys: String, CodingKey { case verdict, note, correctedValue = "corrected_value" }
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/projects/:id/extractions") { request, context in
            let project = try await ownership.project(try context.parameters.id(what: "project"), for: try context.requireIdentity())
            let limit = try request.queryInt("limit", default: Self.defaultLimit, range: 1...Self.maxLimit)
            let offset = try request.queryInt("offset", default: 0, range: 0...Int(Int32.max))
            var filter = ExtractionFilter()
            filter.variable = request.uri.queryParameters.get("variable")
            filter.status = try request.queryEnum("status", as: ExtractionStatus.self)
            filter.documentID = try request.queryInt64("document")
            filter.jobID = try request.queryInt64("job")
            if let below = try request.queryDouble("confidence_below") {
                guard (0...1).contains(below) else { throw APIProblem.invalid("confidence_below", "must be between 0 and 1") }
                filter.confidenceBelow = below
            }
            let page = try await store.extractions(projectID: project.id, filter: filter, limit: limit, offset: offset)
            return JSONResponse(PageDTO(items: page.items.map(ExtractionDTO.init), total: page.total, limit: limit, offset: offset))
        }
        group.get("/extractions/:id") { _, context in
            let (extraction, _) = try await ownership.extraction(try context.parameters.id(what: "extraction"), for: try context.requireIdentity())
            return JSONResponse(ExtractionDTO(extraction))
        }
        group.post("/extractions/:id/feedback") { request, context in
            let identity = try context.requireIdentity()
            let (extraction, _) = try await ownership.extraction(try context.parameters.id(what: "extraction"), for: identity)
            let body = try await request.decodeJSON(FeedbackRequest.self, limit: maxBodyBytes)
            if body.verdict != .correct, body.correctedValue == nil, (body.note ?? "").isEmpty {
                throw APIProblem.invalid("corrected_value", "say what the value should be (or add a note) when it is not correct")
            }
            if let note = body.note, note.count > 5_000 { throw APIProblem.invalid("note", "must be at most 5000 characters") }
            let saved = try await store.addFeedback(Feedback(
                extractionID: extraction.id, verdict: body.verdict, correctedValue: body.correctedValue, note: body.note,
                author: identity.email))
            return JSONResponse(FeedbackDTO(saved), status: .created)
        }
        group.get("/projects/:id/feedback") { request, context in
            let project = try await ownership.project(try context.parameters.id(what: "project"), for: try context.requireIdentity())
            let items = try await store.feedback(projectID: project.id, variable: request.uri.queryParameters.get("variable"))
            return JSONResponse(ListDTO(items: items.map(FeedbackDTO.init)))
        }
    }
}
