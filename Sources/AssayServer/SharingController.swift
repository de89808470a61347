import AssayCore
import AssayService
import Foundation
import Hummingbird

/// Sharing a project and blind coding: `/projects/{id}/members` (owners list, add by email and
/// remove accounts), `/projects/{id}/assignments` (owners give coders documents; each coder sees
/// their own) and `/projects/{id}/documents/{document}/codes` (a coder's codes for a document
/// assigned to them). A member whose role does not allow a request gets 403; anyone else 404.
struct SharingController {
    let sharing: Sharing
    let assignments: Assignments
    let projects: Projects
    let maxBodyBytes: Int

    struct MemberRequest: Decodable {
        var email: String
        var role: ProjectRole
    }

    struct MemberDTO: Codable, Sendable {
        var userID: String
        var email: String?
        var role: ProjectRole
        var creator: Bool
        enum CodingKeys: String, CodingKey {
            case email, role, creator
            case userID = "user_id"
        }

        init(_ m: Sharing.Member) {
            userID = m.userID
            email = m.email
            role = m.role
            creator = m.isCreator
        }
    }

    struct AssignRequest: Decodable {
        var email: String
        var documentIDs: [Int64]?
        var count: Int?
        var blind: Bool?
        var seed: UInt64?
        enum CodingKeys: String, CodingKey {
            case email, count, blind, seed
            case documentIDs = "document_ids"
        }
    }

    struct WorkDTO: Codable, Sendable {
        struct Item: Codable, Sendable {
            var documentID: Int64
            var externalID: String
            var blind: Bool
            var coded: Bool
            enum CodingKeys: String, CodingKey {
                case blind, coded
                case documentID = "document_id"
                case externalID = "external_id"
            }
        }
        var userID: String
        var email: String?
        var assigned: Int
        var coded: Int
        var items: [Item]
        enum CodingKeys: String, CodingKey {
            case email, assigned, coded, items
            case userID = "user_id"
        }

        init(_ w: Assignments.Work) {
            userID = w.userID
            email = w.email
            assigned = w.assigned
            coded = w.coded
            items = w.items.map { Item(documentID: $0.documentID, externalID: $0.externalID, blind: $0.blind, coded: $0.coded) }
        }
    }

    struct CodesRequest: Decodable {
        var values: [String: JSONValue]
    }

    struct CodesDTO: Codable, Sendable {
        var documentID: Int64
        var values: [String: String]
        enum CodingKeys: String, CodingKey {
            case values
            case documentID = "document_id"
        }
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/projects/:id/members") { _, context in
            let (id, requester) = try asked(context)
            return JSONResponse(ListDTO(items: try await sharing.members(projectID: id, for: requester).map(MemberDTO.init)))
        }
        group.put("/projects/:id/members") { request, context in
            let (id, requester) = try asked(context)
            try await projects.check(id, for: requester)
            let body = try await request.decodeJSON(MemberRequest.self, limit: maxBodyBytes)
            return JSONResponse(MemberDTO(try await sharing.share(projectID: id, email: body.email, role: body.role, for: requester)))
        }
        group.delete("/projects/:id/members/:user_id") { _, context in
            let (id, requester) = try asked(context)
            let user = try context.parameters.id("user_id", what: "member")
            try await sharing.remove(projectID: id, userID: String(user), for: requester)
            return Response(status: .noContent)
        }
        group.post("/projects/:id/assignments") { request, context in
            let (id, requester) = try asked(context)
            try await projects.check(id, for: requester)
            let body = try await request.decodeJSON(AssignRequest.self, limit: maxBodyBytes)
            let choice: Assignments.Choice
            switch (body.documentIDs, body.count) {
            case (let ids?, nil): choice = .documents(ids)
            case (nil, let count?): choice = .random(count, seed: body.seed)
            default: throw APIProblem.invalid("document_ids", "give either document_ids or count")
            }
            let work = try await assignments.assign(choice, to: body.email, blind: body.blind ?? true, projectID: id, for: requester)
            return JSONResponse(WorkDTO(work), status: .created)
        }
        group.get("/projects/:id/assignments") { _, context in
            let (id, requester) = try asked(context)
            return JSONResponse(ListDTO(items: try await assignments.list(projectID: id, for: requester).map(WorkDTO.init)))
        }
        group.get("/projects/:id/documents/:document/codes") { _, context in
            let (id, requester) = try asked(context)
            let document = try context.parameters.id("document", what: "document")
            let values = try await assignments.codes(documentID: document, projectID: id, for: requester)
            return JSONResponse(CodesDTO(documentID: document, values: values))
        }
        group.put("/projects/:id/documents/:document/codes") { request, context in
            let (id, requester) = try asked(context)
            let document = try context.parameters.id("document", what: "document")
            // Not theirs to code (or no member): refused before the body is read.
            _ = try await assignments.codes(documentID: document, projectID: id, for: requester)
            let body = try await request.decodeJSON(CodesRequest.self, limit: maxBodyBytes)
            let values = try await assignments.code(body.values, documentID: document, projectID: id, for: requester)
            return JSONResponse(CodesDTO(documentID: document, values: values))
        }
    }

    private func asked(_ context: AppRequestContext) throws -> (Int64, Requester) {
        (try context.parameters.id(what: "project"), try context.requireRequester())
    }
}
