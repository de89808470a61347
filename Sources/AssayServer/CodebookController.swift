import AssayCore
import AssayIngest
import AssayService
import Foundation
import Hummingbird
import NIOCore

/// The codebook: variables CRUD (every field of the codebook format), versions, the prompt it
/// makes, and YAML import/export. Every change is a new version with a new prompt.
struct CodebookController {
    let codebooks: Codebooks
    /// Checks the project before a body is read: another's project costs no upload.
    let projects: Projects
    let maxBodyBytes: Int

    struct PromptDTO: Codable, Sendable {
        var version: Int
        var promptHash: String
        var messages: [ChatMessage]
        var schema: JSONValue
        enum CodingKeys: String, CodingKey {
            case version, messages, schema
            case promptHash = "prompt_hash"
        }
    }

    struct ChangeDTO: Codable, Sendable {
        var version: CodebookVersionDTO
        var variable: Variable?
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/projects/:id/codebook") { _, context in
            let (id, requester) = try asked(context)
            return JSONResponse(CodebookVersionDTO(try await codebooks.version(projectID: id, for: requester), full: true))
        }
        group.put("/projects/:id/codebook") { request, context in
            let (id, requester) = try asked(context)
            try await projects.check(id, for: requester)
            let text = String(decoding: try await request.bodyData(limit: maxBodyBytes), as: UTF8.self)
            let type = request.headers[.contentType]?.lowercased() ?? ""
            let format: CodebookFormat? =
                type.contains("json")
                ? .json : type.contains("yaml") ? .yaml : type.contains("csv") ? .csv : type.contains("xml") ? .qdc : nil
            let (version, isNew) = try await codebooks.importCodebook(text: text, format: format, projectID: id, for: requester)
            return JSONResponse(CodebookVersionDTO(version, full: true), status: isNew ? .created : .ok)
        }
        group.get("/projects/:id/codebook/export") { request, context in
            let (id, requester) = try asked(context)
            let format = try request.queryEnum("format", as: CodebookFormat.self) ?? .yaml
            let text = try CodebookLoader.text(try await codebooks.version(projectID: id, for: requester).codebook, format: format)
            let type =
                switch format {
                case .yaml: "application/yaml; charset=utf-8"
                case .json: "application/json"
                case .csv: "text/csv; charset=utf-8"
                case .qdc: "application/xml"
                }
            return Response(
                status: .ok,
                headers: [.contentType: type, .contentDisposition: "attachment; filename=\"codebook.\(format.rawValue)\""],
                body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        group.get("/projects/:id/codebook/versions") { _, context in
            let (id, requester) = try asked(context)
            let versions = try await codebooks.versions(projectID: id, for: requester)
            return JSONResponse(ListDTO(items: versions.map { CodebookVersionDTO($0, full: false) }))
        }
        group.get("/projects/:id/codebook/prompt") { _, context in
            let (id, requester) = try asked(context)
            let (version, prompt) = try await codebooks.prompt(projectID: id, for: requester)
            return JSONResponse(
                PromptDTO(
                    version: version.version, promptHash: prompt.hash,
                    messages: prompt.messages(for: "{document text}"), schema: prompt.schema))
        }
        group.get("/projects/:id/codebook/variables") { _, context in
            let (id, requester) = try asked(context)
            return JSONResponse(ListDTO(items: try await codebooks.variables(projectID: id, for: requester)))
        }
        group.post("/projects/:id/codebook/variables") { request, context in
            let (id, requester) = try asked(context)
            try await projects.check(id, for: requester)
            let variable = try await request.decodeJSON(Variable.self, limit: maxBodyBytes)
            let version = try await codebooks.addVariable(variable, projectID: id, for: requester)
            return JSONResponse(ChangeDTO(version: CodebookVersionDTO(version, full: false), variable: variable), status: .created)
        }
        group.get("/projects/:id/codebook/variables/:name") { _, context in
            let (id, requester) = try asked(context)
            return JSONResponse(try await codebooks.variable(named: try context.parameters.require("name"), projectID: id, for: requester))
        }
        group.put("/projects/:id/codebook/variables/:name") { request, context in
            let (id, requester) = try asked(context)
            try await projects.check(id, for: requester)
            let name = try context.parameters.require("name")
            let variable = try await request.decodeJSON(Variable.self, limit: maxBodyBytes)
            let version = try await codebooks.replaceVariable(named: name, with: variable, projectID: id, for: requester)
            return JSONResponse(ChangeDTO(version: CodebookVersionDTO(version, full: false), variable: variable))
        }
        group.delete("/projects/:id/codebook/variables/:name") { _, context in
            let (id, requester) = try asked(context)
            let version = try await codebooks.removeVariable(named: try context.parameters.require("name"), projectID: id, for: requester)
            return JSONResponse(ChangeDTO(version: CodebookVersionDTO(version, full: false), variable: nil))
        }
    }

    /// The project the path names and who asks.
    private func asked(_ context: AppRequestContext) throws -> (Int64, Requester) {
        (try context.parameters.id(what: "project"), try context.requireRequester())
    }
}
