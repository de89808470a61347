import AssayCore
import AssayService
import Foundation
import Hummingbird

/// Refinement over HTTP: the model's proposals for a variable's instructions from its feedback,
/// adopting one (a new codebook version), and how the values match the reviewers' answers.
struct RefinementController {
    let refinements: Refinements
    /// Checks the project before a body is read: another's project costs no upload.
    let projects: Projects
    /// Each proposal is a paid model request: at most so many per account.
    let throttle: AssistantThrottle
    let maxBodyBytes: Int

    struct ProposalDTO: Codable, Sendable {
        var instructions: String
        var reasoning: String
        var diff: [DiffPartDTO]
    }

    struct DiffPartDTO: Codable, Sendable {
        var kind: String
        var text: String

        init(_ part: WordDiff.Part) {
            switch part {
            case .same(let text): (kind, self.text) = ("same", text)
            case .added(let text): (kind, self.text) = ("added", text)
            case .removed(let text): (kind, self.text) = ("removed", text)
            }
        }
    }

    struct ProposalsDTO: Codable, Sendable {
        var variable: String
        var codebookVersion: Int
        var current: String
        var model: String
        var promptVersion: String
        var examples: Int
        var proposals: [ProposalDTO]
        enum CodingKeys: String, CodingKey {
            case variable, current, model, examples, proposals
            case codebookVersion = "codebook_version"
            case promptVersion = "prompt_version"
        }

        init(_ p: Refinements.Proposals) {
            (variable, codebookVersion, current, model, promptVersion, examples) = (
                p.variable, p.codebookVersion, p.current, p.model, p.promptVersion, p.examples
            )
            proposals = p.proposals.indices.map { i in
                ProposalDTO(
                    instructions: p.proposals[i].instructions, reasoning: p.proposals[i].reasoning, diff: p.diff(i).map(DiffPartDTO.init))
            }
        }
    }

    struct AdoptRequest: Decodable {
        var instructions: String
    }

    struct ScoreDTO: Codable, Sendable {
        var variable: String
        var reviewed: Int
        var before: Int
        var now: Int
        var recoded: Int
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("/projects/:id/codebook/variables/:name/refine") { _, context in
            let (id, requester) = (try context.parameters.id(what: "project"), try context.requireRequester())
            _ = try await projects.get(id, for: requester)  // another's project costs no model request
            try throttle.admit(requester)
            let proposals = try await refinements.propose(variable: try context.parameters.require("name"), projectID: id, for: requester)
            return JSONResponse(ProposalsDTO(proposals))
        }
        group.post("/projects/:id/codebook/variables/:name/adopt") { request, context in
            let (id, requester) = (try context.parameters.id(what: "project"), try context.requireRequester())
            try await projects.check(id, for: requester)
            let body = try await request.decodeJSON(AdoptRequest.self, limit: maxBodyBytes)
            let version = try await refinements.adopt(
                instructions: body.instructions, variable: try context.parameters.require("name"), projectID: id, for: requester)
            return JSONResponse(CodebookVersionDTO(version, full: false), status: .created)
        }
        group.get("/projects/:id/feedback/score") { request, context in
            let (id, requester) = (try context.parameters.id(what: "project"), try context.requireRequester())
            let scores = try await refinements.score(projectID: id, variable: request.uri.queryParameters.get("variable"), for: requester)
            return JSONResponse(
                ListDTO(
                    items: scores.map {
                        ScoreDTO(variable: $0.variable, reviewed: $0.reviewed, before: $0.before, now: $0.now, recoded: $0.recoded)
                    }))
        }
    }
}
