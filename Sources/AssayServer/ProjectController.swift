import AssayCore
import AssayEngine
import AssayStore
import Foundation
import Hummingbird

/// `/projects`: create, list, get, update, delete — each user sees only their own.
struct ProjectController {
    let store: any Store & ReviewStore
    let ownership: Ownership
    let maxBodyBytes: Int

    struct CreateRequest: Decodable {
        var name: String
        var description: String?
    }

    struct UpdateRequest: Decodable {
        var name: String?
        var description: String?
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("/projects") { request, context in
            let identity = try context.requireIdentity()
            let body = try await request.decodeJSON(CreateRequest.self, limit: maxBodyBytes)
            let name = try Self.checkedName(body.name)
            let project = try await store.createProject(name: name, description: body.description, owner: identity.owner)
            return JSONResponse(ProjectDTO(project), status: .created)
        }
        group.get("/projects") { _, context in
            let identity = try context.requireIdentity()
            return JSONResponse(ListDTO(items: try await store.projects(owner: identity.owner).map(ProjectDTO.init)))
        }
        group.get("/projects/:id") { _, context in
            let project = try await ownership.project(try context.parameters.id(what: "project"), for: try context.requireIdentity())
            return JSONResponse(ProjectDTO(project))
        }
        group.patch("/projects/:id") { request, context in
            let project = try await ownership.project(try context.parameters.id(what: "project"), for: try context.requireIdentity())
            let body = try await request.decodeJSON(UpdateRequest.self, limit: maxBodyBytes)
            let name = try body.name.map(Self.checkedName)
            return JSONResponse(ProjectDTO(try await store.updateProject(id: project.id, name: name, description: body.description)))
        }
        group.delete("/projects/:id") { _, context in
            let project = try await ownership.project(try context.parameters.id(what: "project"), for: try context.requireIdentity())
            try await store.deleteProject(id: project.id)
            return Response(status: .noContent)
        }
    }

    static func checkedName(_ name: String) throws -> String {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 200 else { throw APIProblem.invalid("name", "must be 1 to 200 characters") }
        return trimmed
    }
}
