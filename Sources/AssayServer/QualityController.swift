import AssayCore
import AssayIngest
import AssayService
import Foundation
import Hummingbird

/// How good the coding is: people's coding sheets, agreement among them and with the model, and
/// the values against a gold set. The same use cases as `assay coders`, `assay agreement` and
/// `assay eval`; the CSV files come as the request body.
struct QualityController {
    let coders: Coders
    let evaluations: Evaluations
    /// Checks the project before a body is read: another's project costs no upload.
    let projects: Projects
    let maxBodyBytes: Int

    struct ImportDTO: Codable, Sendable {
        var stored: Int
        var coders: [String]
        var unknownDocuments: [String]
        var unknownVariables: [String]
        enum CodingKeys: String, CodingKey {
            case stored, coders
            case unknownDocuments = "unknown_documents"
            case unknownVariables = "unknown_variables"
        }
    }

    struct CoderDTO: Codable, Sendable {
        var coder: String
        var codes: Int
        var documents: Int
    }

    struct AgreementListDTO: Encodable, Sendable {
        var items: [Coders.VariableAgreement]
    }

    struct EvalDTO: Codable, Sendable {
        struct Item: Codable, Sendable {
            var variable: String
            var report: GoldReport
        }
        var items: [Item]
        var unknownDocuments: [String]
        var unknownVariables: [String]
        enum CodingKeys: String, CodingKey {
            case items
            case unknownDocuments = "unknown_documents"
            case unknownVariables = "unknown_variables"
        }
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("/projects/:id/coders") { request, context in
            let (id, requester) = try asked(context)
            _ = try await projects.get(id, for: requester)
            let codes = try CodingsCSV.coded(try await text(of: request))
            let report = try await coders.importCodes(codes, projectID: id, for: requester)
            return JSONResponse(
                ImportDTO(
                    stored: report.stored, coders: report.coders, unknownDocuments: report.unknownDocuments,
                    unknownVariables: report.unknownVariables))
        }
        group.get("/projects/:id/coders") { _, context in
            let (id, requester) = try asked(context)
            let listed = try await coders.list(projectID: id, for: requester)
            return JSONResponse(ListDTO(items: listed.map { CoderDTO(coder: $0.coder, codes: $0.codes, documents: $0.documents) }))
        }
        group.get("/projects/:id/agreement") { request, context in
            let (id, requester) = try asked(context)
            let found = try await coders.agreement(
                projectID: id, level: try request.queryEnum("level", as: MeasurementLevel.self),
                resamples: try request.queryInt("resamples", default: 1000, range: 100...10_000),
                seed: UInt64(try request.queryInt("seed", default: 2026, range: 0...Int(Int32.max))), for: requester)
            return JSONResponse(AgreementListDTO(items: found))
        }
        group.post("/projects/:id/eval") { request, context in
            let (id, requester) = try asked(context)
            _ = try await projects.get(id, for: requester)
            let gold = try CodingsCSV.gold(try await text(of: request))
            let evaluation = try await evaluations.evaluate(gold, projectID: id, for: requester)
            return JSONResponse(
                EvalDTO(
                    items: evaluation.variables.map { EvalDTO.Item(variable: $0.variable.name, report: $0.report) },
                    unknownDocuments: evaluation.unknownDocuments, unknownVariables: evaluation.unknownVariables))
        }
        // Calibration against the reviewers' verdicts, as `assay eval --feedback`.
        group.get("/projects/:id/calibration") { _, context in
            let (id, requester) = try asked(context)
            let reports = try await evaluations.calibrationFromFeedback(projectID: id, for: requester)
            return JSONResponse(ListDTO(items: reports.map { EvalDTO.Item(variable: $0.variable.name, report: $0.report) }))
        }
    }

    private func asked(_ context: AppRequestContext) throws -> (Int64, Requester) {
        (try context.parameters.id(what: "project"), try context.requireRequester())
    }

    /// The CSV body as text: UTF-8, at most `maxBodyBytes`.
    private func text(of request: Request) async throws -> String {
        let data = try await request.bodyData(limit: maxBodyBytes)
        guard let text = String(data: data, encoding: .utf8) else {
            throw APIProblem(.unprocessableContent, "the body is not UTF-8 text", field: "body")
        }
        return text
    }
}
