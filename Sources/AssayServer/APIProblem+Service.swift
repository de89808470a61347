import AssayService
import HTTPTypes

extension APIProblem {
    /// The problem document for a use case's error: the layer says what is wrong, the service
    /// adds the status and, where it helps, the request that gets the client further.
    static func service(_ error: ServiceError) -> APIProblem {
        switch error {
        case .notFound(.codebook(let id, nil)):
            return .notFound("codebook of project \(id) (import one with PUT /projects/\(id)/codebook)")
        case .notFound(let thing): return .notFound(thing.description)
        case .invalid(let field, let reason): return .invalid(field, reason)
        case .patternsNotAllowed: return APIProblem(.forbidden, error.description)
        case .wrongCredentials: return .unauthorized(error.description)
        case .refreshTokenRejected: return .unauthorized(error.description + "; sign in again")
        case .credentialRejected(.apiKey): return .unauthorized(error.description)
        case .credentialRejected(.accessToken): return .unauthorized(error.description + "; get a new one with POST /auth/refresh")
        case .notReady(.noDocuments):
            return APIProblem(.conflict, error.description + "; upload some with POST /projects/{id}/documents")
        case .notReady(.sampleFirst):
            return APIProblem(
                .conflict,
                error.description + "; start a sample ({\"kind\": \"sample\", \"sample_size\": 20}), "
                    + "or send \"skip_sample\": true to code every document without one")
        case .tooManyAttempts(_, let seconds):
            var problem = APIProblem(.tooManyRequests, error.description)
            problem.retryAfter = seconds
            return problem
        }
    }
}
