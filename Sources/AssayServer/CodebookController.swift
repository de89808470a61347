import AssayCore
import AssayEngine
import AssayIngest
import AssayStore
import Foundation
import Hummingbird
import NIOCore

/// The codebook: variables CRUD (every field of the codebook format), versions, the prompt it
/// makes, and YAML import/export. Every change is a new version with a new prompt.
struct CodebookController {
    let workspace: Workspace
    let store: any Store & ReviewStore
    let ownership: Ownership
    let maxBodyBytes: Int

    struct PromptDTO: Codable, Sendable {
        var version: Int
        var promptHash: String
        var messages: [ChatMessage]
        var schema: JSONValue
        enum CodingKeys: String, CodingKey { case version, messages, schema, promptHash = "prompt_hash" }
    }

    struct ChangeDTO: Codable, Sendable {
        var version: CodebookVersionDTO
        var variable: Variable?
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/projects/:id/codebook") { _, context in
            let project = try await owned(context)
            return JSONResponse(CodebookVersionDTO(try await latest(project), full: true))
        }
        group.put("/projects/:id/codebook") { request, context in
            let project = try await owned(context)
            let text = String(decoding: try await request.bodyData(limit: maxBodyBytes), as: UTF8.self)
            let type = request.headers[.contentType]?.lowercased() ?? ""
            let format: CodebookFormat? = type.contains("json") ? .json : type.contains("yaml") ? .yaml : nil
            let (version, isNew) = try await workspace.importCodebook(text: text, format: format, projectID: project.id)
            return JSONResponse(CodebookVersionDTO(version, full: true), status: isNew ? .created : .ok)
        }
        group.get("/projects/:id/codebook/export") { _, context in
            let project = try await owned(context)
            let yaml = try CodebookLoader.yaml(try await latest(project).codebook)
            return Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8",
                                                   .contentDisposition: "attachment; filename=\"codebook.yaml\""],
                            body: .init(byteBuffer: ByteBuffer(string: yaml)))
        }
        group.get("/projects/:id/codebook/versions") { _, context in
            let project = try await owned(context)
            let versions = try await store.codebookVersions(projectID: project.id)
            return JSONResponse(ListDTO(items: versions.map { CodebookVersionDTO($0, full: false) }))
        }
        group.get("/projects/:id/codebook/prompt") { _, context in
            let version = try await latest(try await owned(context))
            let prompt = ExtractionPrompt(codebook: version.codebook)
            return JSONResponse(PromptDTO(version: version.version, promptHash: prompt.hash,
                                          messages: prompt.messages(for: "{document text}"), schema: prompt.schema))
        }
        group.get("/projects/:id/codebook/variables") { _, context in
            let project = try await owned(context)
            return JSONResponse(ListDTO(items: try await workspace.currentCodebook(projectID: project.id).variables))
        }
        group.post("/projects/:id/codebook/variables") { request, context in
            let project = try await owned(context)
            let variable = try await request.decodeJSON(Variable.self, limit: maxBodyBytes)
            let version = try await workspace.addVariable(variable, projectID: project.id)
            return JSONResponse(ChangeDTO(version: CodebookVersionDTO(version, full: false), variable: variable), status: .created)
        }
        group.get("/projects/:id/codebook/variables/:name") { _, context in
            let project = try await owned(context)
            let name = try context.parameters.require("name")
            guard let variable = try await workspace.currentCodebook(projectID: project.id).variable(named: name) else {
                throw APIProblem.notFound("variable '\(name)'")
            }
            return JSONResponse(variable)
        }
        group.put("/projects/:id/codebook/variables/:name") { request, context in
            let project = try await owned(context)
            let name = try context.parameters.require("name")
            let variable = try await request.decodeJSON(Variable.self, limit: maxBodyBytes)
            let version = try await workspace.replaceVariable(named: name, with: variable, projectID: project.id)
            return JSONResponse(ChangeDTO(version: CodebookVersionDTO(version, full: false), variable: variable))
        }
        group.delete("/projects/:id/codebook/variables/:name") { _, context in
            let project = try await owned(context)
            let version = try await workspace.removeVariable(named: try context.parameters.require("name"), projectID: project.id)
            return JSONResponse(ChangeDTO(version: CodebookVersionDTO(version, full: false), variable: nil))
        }
    }

    private func owned(_ context: AppRequestContext) async throws -> Project {
        try await ownership.project(try context.parameters.id(what: "project"), for: try context.requireIdentity())
    }

    private func latest(_ project: Project) async throws -> CodebookVersion {
        guard let version = try await store.latestCodebook(projectID: project.id) else {
            throw APIProblem.notFound("codebook of project \(project.id) (import one with PUT /projects/\(project.id)/codebook)")
        }
        return version
    }
}
