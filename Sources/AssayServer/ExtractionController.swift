import AssayCore
import AssayService
import AssayStore
import Foundation
import Hummingbird

/// Values: paged and filtered lists per project, one value with its evidence offsets, and
/// reviewers' feedback on it.
struct ExtractionController {
    let values: Values
    let reviews: Reviews
    let maxBodyBytes: Int

    static let defaultLimit = 50

    struct FeedbackRequest: Decodable {
        var verdict: FeedbackVerdict
        var correctedValue: JSONValue?
        var note: String?
        enum CodingKeys: String, CodingKey {
            case verdict, note
            case correctedValue = "corrected_value"
        }
    }

    struct AcceptRequest: Decodable {
        var extractionIDs: [Int64]
        var note: String?
        enum CodingKeys: String, CodingKey {
            case note
            case extractionIDs = "extraction_ids"
        }
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/projects/:id/extractions") { request, context in
            let limit = try request.queryInt("limit", default: Self.defaultLimit, range: 1...Values.maxPage)
            let offset = try request.queryInt("offset", default: 0, range: 0...Int(Int32.max))
            var filter = ExtractionFilter()
            filter.variable = request.uri.queryParameters.get("variable")
            filter.status = try request.queryEnum("status", as: ExtractionStatus.self)
            filter.documentID = try request.queryInt64("document")
            filter.jobID = try request.queryInt64("job")
            filter.confidenceBelow = try request.queryDouble("confidence_below")
            filter.runsDisagree = try request.queryBool("runs_disagree") ?? false
            filter.order = try request.queryEnum("order", as: ExtractionOrder.self) ?? .id
            let page = try await values.list(
                projectID: try context.parameters.id(what: "project"), filter: filter, limit: limit,
                offset: offset, for: try context.requireRequester())
            let pages = try await values.pageStarts(of: page.items)
            return JSONResponse(
                PageDTO(
                    items: page.items.map { ExtractionDTO($0, pages: pages[$0.documentID]) }, total: page.total, limit: limit,
                    offset: offset))
        }
        group.get("/extractions/:id") { _, context in
            let value = try await values.get(try context.parameters.id(what: "extraction"), for: try context.requireRequester())
            return JSONResponse(ExtractionDTO(value, pages: try await values.pageStarts(of: [value])[value.documentID]))
        }
        group.post("/extractions/:id/feedback") { request, context in
            let id = try context.parameters.id(what: "extraction")
            let requester = try context.requireRequester()
            _ = try await values.get(id, for: requester)  // another's value costs no body read
            let body = try await request.decodeJSON(FeedbackRequest.self, limit: maxBodyBytes)
            let saved = try await reviews.give(
                body.verdict, correctedValue: body.correctedValue, note: body.note,
                extractionID: id, for: requester)
            return JSONResponse(FeedbackDTO(saved), status: .created)
        }
        group.get("/projects/:id/feedback") { request, context in
            let items = try await reviews.list(
                projectID: try context.parameters.id(what: "project"),
                variable: request.uri.queryParameters.get("variable"), extractionID: try request.queryInt64("extraction"),
                for: try context.requireRequester())
            return JSONResponse(ListDTO(items: items.map(FeedbackDTO.init)))
        }
        // Bulk accept from the review queue: each value marked correct, the reason kept as its note.
        group.post("/projects/:id/feedback/accept") { request, context in
            let id = try context.parameters.id(what: "project")
            let requester = try context.requireRequester()
            try await reviews.checkProject(id, for: requester)  // another's project costs no body read
            let body = try await request.decodeJSON(AcceptRequest.self, limit: maxBodyBytes)
            let saved = try await reviews.acceptAll(extractionIDs: body.extractionIDs, note: body.note, projectID: id, for: requester)
            return JSONResponse(ListDTO(items: saved.map(FeedbackDTO.init)), status: .created)
        }
    }
}
