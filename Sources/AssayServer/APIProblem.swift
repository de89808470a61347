import AssayCore
import AssayEngine
import AssayExport
import AssayIngest
import AssayService
import AssayStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// An RFC 7807 problem document: every error the service returns is one of these.
public struct APIProblem: Error, HTTPResponseError, Sendable, Codable, Equatable {
    public var type: String
    public var title: String
    public var status: HTTPResponse.Status { .init(code: code) }
    public var code: Int
    public var detail: String
    /// The request field a validation error is about (`password`, `variables[2].type`).
    public var field: String?
    /// Every field problem when there are several.
    public var errors: [FieldProblem]?
    /// Seconds to wait, sent as `Retry-After` (429, 503).
    public var retryAfter: Int?
    /// Close the connection after answering: the client is still sending a body we will not read.
    public var closeConnection = false

    public struct FieldProblem: Sendable, Codable, Equatable {
        public var field: String
        public var detail: String
    }

    enum CodingKeys: String, CodingKey {
        case type, title, detail, field, errors
        case code = "status"
    }

    public init(_ status: HTTPResponse.Status, _ detail: String, field: String? = nil, errors: [FieldProblem]? = nil) {
        self.code = status.code
        self.title = status.reasonPhrase
        self.type = "about:blank"
        self.detail = detail
        self.field = field
        self.errors = errors
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try APIJSON.encoder().encode(self)
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        if closeConnection { headers[.connection] = "close" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func notFound(_ what: String) -> APIProblem { APIProblem(.notFound, "\(what) not found") }
    static func unauthorized(_ detail: String) -> APIProblem { APIProblem(.unauthorized, detail) }
    static func invalid(_ field: String, _ detail: String) -> APIProblem {
        APIProblem(.unprocessableContent, "\(field): \(detail)", field: field, errors: [FieldProblem(field: field, detail: detail)])
    }
    static func conflict(_ detail: String) -> APIProblem { APIProblem(.conflict, detail) }

    /// The problem an error thrown below the handlers stands for.
    static func from(_ error: any Error) -> APIProblem? {
        switch error {
        case let problem as APIProblem: return problem
        case let error as ServiceError: return service(error)
        case let error as StoreError:
            switch error {
            case .duplicateProject(let name): return APIProblem(.conflict, "you already have a project named '\(name)'", field: "name")
            case .notFound(let what): return .notFound(what)
            case .unavailable: return APIProblem(.serviceUnavailable, "the store is unavailable; try again later")
            case .nulCharacter(let field): return .invalid(field, "contains a NUL character (\\u0000), which cannot be stored; remove it")
            case .claimLost: return APIProblem(.conflict, error.description)
            }
        case let error as AccountStoreError: return APIProblem(.conflict, error.description, field: "email")
        case is PasswordHasher.Busy:
            var problem = APIProblem(.serviceUnavailable, "the service is busy checking passwords; try again in a moment")
            problem.retryAfter = 1
            return problem
        case let error as CodebookError: return codebook(error.problems)
        case let error as CodebookLoadError:
            if error.problems.isEmpty { return APIProblem(.unprocessableContent, error.description, field: "codebook") }
            return codebook(error.problems)
        case let error as EngineError:
            switch error {
            case .noCodebook: return APIProblem(.conflict, error.description + "; put one with PUT /projects/{id}/codebook")
            case .nothingToRun, .otherModel: return APIProblem(.conflict, error.description)
            case .unknownDocuments: return APIProblem(.unprocessableContent, error.description, field: "document_ids")
            case .invalidRuns, .runsWithEntities: return APIProblem(.unprocessableContent, error.description, field: "runs")
            case .modelsUnavailable, .noPrice, .batchUnavailable: return APIProblem(.conflict, error.description)
            case .unknownVariable: return .notFound(error.description.replacingOccurrences(of: "the codebook has no ", with: ""))
            case .noProject, .ambiguousProject: return APIProblem(.notFound, error.description)
            }
        case let error as JobRunnerError:
            switch error {
            case .shuttingDown: return APIProblem(.serviceUnavailable, error.description)
            case .busy(_, let seconds):
                var problem = APIProblem(.tooManyRequests, error.description)
                problem.retryAfter = seconds
                return problem
            default: return APIProblem(.conflict, error.description)
            }
        case let error as ExportError:
            switch error {
            case .noCodebook: return APIProblem(.conflict, error.description + "; put one with PUT /projects/{id}/codebook")
            case .cannotWrite, .binaryFormat: return APIProblem(.conflict, error.description)
            case .tooManyRows: return APIProblem(.unprocessableContent, error.description)
            }
        case let error as CodingsCSV.Problem: return APIProblem(.unprocessableContent, error.description, field: "body")
        case let error as Agreement.AlphaError: return APIProblem(.unprocessableContent, error.description, field: "level")
        case let error as DecodingError: return decoding(error)
        case is NIOTooManyBytesError:
            var problem = APIProblem(.contentTooLarge, "the request body is over the limit")
            problem.closeConnection = true
            return problem
        case let error as HTTPError:
            return APIProblem(error.status, error.body ?? (error.status == .notFound ? "no such route" : error.status.reasonPhrase))
        default: return nil
        }
    }

    static func codebook(_ problems: [CodebookProblem]) -> APIProblem {
        let fields = problems.map { FieldProblem(field: $0.field, detail: $0.reason) }
        let detail = problems.map { "\($0.field): \($0.reason)" }.joined(separator: "; ")
        return APIProblem(.unprocessableContent, detail, field: problems.first?.field, errors: fields)
    }

    static func decoding(_ error: DecodingError) -> APIProblem {
        func path(_ context: DecodingError.Context, _ key: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (key.map { [$0] } ?? [])
            var text = ""
            for k in keys {
                if let i = k.intValue { text += "[\(i)]" } else { text += (text.isEmpty ? "" : ".") + k.stringValue }
            }
            return text.isEmpty ? "body" : text
        }
        switch error {
        case .keyNotFound(let key, let context): return .invalid(path(context, key), "is required")
        case .valueNotFound(_, let context): return .invalid(path(context), "must not be null")
        case .typeMismatch(let type, let context): return .invalid(path(context), "has the wrong type (expected \(type))")
        case .dataCorrupted(let context):
            let field = path(context)
            return field == "body"
                ? APIProblem(.badRequest, "the body is not valid JSON", field: "body")
                : .invalid(field, context.debugDescription)
        @unknown default: return APIProblem(.badRequest, "the body could not be read")
        }
    }
}

/// Turns every error into a problem document and logs the unexpected ones (without bodies).
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            if let problem = APIProblem.from(error) {
                return try problem.response(from: request, context: context)
            }
            context.logger.error("unexpected error", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            return try APIProblem(.internalServerError, "something went wrong on our side; the request id is \(context.id)")
                .response(from: request, context: context)
        }
    }
}
