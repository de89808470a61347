import AssayCore
import AssayService
import Foundation
import Hummingbird

/// `/projects`: create, list, get, update, delete — each user sees their own and those shared with them.
struct ProjectController {
    let projects: Projects
    let maxBodyBytes: Int

    struct CreateRequest: Decodable {
        var name: String
        var description: String?
        var unit: UnitOfObservation?
        var entityInstruction: String?
        enum CodingKeys: String, CodingKey {
            case name, description, unit
            case entityInstruction = "entity_instruction"
        }
    }

    struct UpdateRequest: Decodable {
        var name: String?
        var description: String?
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("/projects") { request, context in
            let body = try await request.decodeJSON(CreateRequest.self, limit: maxBodyBytes)
            let project = try await projects.create(
                name: body.name, description: body.description, unit: body.unit ?? .document, entityInstruction: body.entityInstruction,
                for: try context.requireRequester())
            return JSONResponse(ProjectDTO(project), status: .created)
        }
        group.get("/projects") { _, context in
            JSONResponse(ListDTO(items: try await projects.listWithRoles(for: try context.requireRequester()).map(ProjectDTO.init)))
        }
        group.get("/projects/:id") { _, context in
            JSONResponse(
                ProjectDTO(
                    try await projects.getWithRole(try context.parameters.id(what: "project"), for: try context.requireRequester())))
        }
        group.get("/projects/:id/spending") { _, context in
            JSONResponse(
                SpendingDTO(
                    try await projects.spending(projectID: try context.parameters.id(what: "project"), for: try context.requireRequester()))
            )
        }
        group.patch("/projects/:id") { request, context in
            let id = try context.parameters.id(what: "project")
            let requester = try context.requireRequester()
            let body = try await request.decodeJSON(UpdateRequest.self, limit: maxBodyBytes)
            return JSONResponse(ProjectDTO(try await projects.update(id, name: body.name, description: body.description, for: requester)))
        }
        group.put("/projects/:id/budget") { request, context in
            let id = try context.parameters.id(what: "project")
            let requester = try context.requireRequester()
            let body = try await request.decodeJSON(BudgetDTO.self, limit: maxBodyBytes)
            return JSONResponse(ProjectDTO(try await projects.setBudget(id, body.budget, for: requester)))
        }
        group.delete("/projects/:id") { _, context in
            try await projects.delete(try context.parameters.id(what: "project"), for: try context.requireRequester())
            return Response(status: .noContent)
        }
    }
}
