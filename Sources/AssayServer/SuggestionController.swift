import AssayCore
import AssayIngest
import AssayService
import Foundation
import Hummingbird

/// The co-pilot over HTTP: the model's suggestions for a project's codebook from a research
/// question and sample documents (stored with the model and prompt version, the codebook left as
/// it is), and the check the workbench's codebook form calls as the person types.
struct SuggestionController {
    let suggestions: Suggestions
    let codebooks: Codebooks
    /// Checks the project before a body is read: another's project costs no upload.
    let projects: Projects
    /// Each suggestion set is a paid model request: at most so many per account (shared with refinements).
    let throttle: AssistantThrottle
    let maxBodyBytes: Int

    /// A question and a handful of document ids need no more than this.
    static let maxSuggestBody = 16 * 1024

    struct SuggestRequest: Decodable {
        var question: String
        var documents: [Int64]?
        var sample: Int?
    }

    struct ClarificationDTO: Codable, Sendable {
        var variable: String
        var instructions: String
        var reasoning: String
    }

    struct SuggestionsDTO: Codable, Sendable {
        var id: Int64
        var model: String
        var promptVersion: String
        var codebookVersion: Int?
        var documents: [String]
        var variables: [Variable]
        var instructions: [ClarificationDTO]
        var createdAt: Date
        enum CodingKeys: String, CodingKey {
            case id, model, documents, variables, instructions
            case promptVersion = "prompt_version"
            case codebookVersion = "codebook_version"
            case createdAt = "created_at"
        }

        init(_ s: Suggestions.Suggested) {
            (id, model, promptVersion, codebookVersion, documents, createdAt) = (
                s.set.id, s.set.model, s.set.promptVersion, s.set.codebookVersion, s.documents, s.set.createdAt
            )
            variables = s.reply.variables
            instructions = s.reply.clarifications.map {
                ClarificationDTO(variable: $0.variable, instructions: $0.instructions, reasoning: $0.reasoning)
            }
        }
    }

    struct CheckDTO: Codable, Sendable {
        var valid: Bool
        var problems: [ProblemDTO]
    }

    struct ProblemDTO: Codable, Sendable {
        var field: String
        var reason: String
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("/projects/:id/codebook/suggest") { request, context in
            let (id, requester) = (try context.parameters.id(what: "project"), try context.requireRequester())
            _ = try await projects.get(id, for: requester)
            let body = try await request.decodeJSON(SuggestRequest.self, limit: Self.maxSuggestBody)
            try throttle.admit(requester)
            let suggested = try await suggestions.suggest(
                question: body.question, documents: body.documents ?? [], sample: body.sample, projectID: id, for: requester)
            return JSONResponse(SuggestionsDTO(suggested), status: .created)
        }
        group.post("/projects/:id/codebook/check") { request, context in
            let (id, requester) = (try context.parameters.id(what: "project"), try context.requireRequester())
            _ = try await projects.get(id, for: requester)
            let data = try await request.bodyData(limit: maxBodyBytes)
            guard !data.isEmpty else { throw APIProblem(.badRequest, "a codebook is required", field: "body") }
            let text = String(decoding: data, as: UTF8.self)
            let type = request.headers[.contentType]?.lowercased() ?? ""
            let format: CodebookFormat = type.contains("json") ? .json : type.contains("yaml") ? .yaml : .sniff(text)
            // What the form sends is JSON: a body that is not is the client's mistake, not a codebook problem.
            if format == .json, (try? JSONValue.parse(text)) == nil {
                throw APIProblem(.badRequest, "the body is not valid JSON", field: "body")
            }
            let problems = try await codebooks.problems(text: text, format: format, projectID: id, for: requester)
            return JSONResponse(
                CheckDTO(valid: problems.isEmpty, problems: problems.map { ProblemDTO(field: $0.field, reason: $0.reason) }))
        }
    }
}
