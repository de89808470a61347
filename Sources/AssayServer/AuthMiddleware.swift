import AssayService
import AssayStore
import Foundation
import HTTPTypes
import Hummingbird

/// Authenticates a request by `Authorization: Bearer <access token or API key>` or `X-API-Key`;
/// streams (SSE) may pass the token as `?token=` because browsers' EventSource cannot set headers.
/// Anything else answers 401 with a problem document. In local mode (`assay ui`) the launch's key
/// acts as the local user: the requester is `.local` and there is no account (no identity).
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let sessions: Sessions
    let patternAccess: PatternAccess
    var local: LocalAccess? = nil
    /// Paths ending so may carry the token in the query.
    var queryTokenSuffix = "/stream"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let credential = try credential(of: request)
        if let local, local.accepts(credential) {
            context.requester = .local
            return try await next(request, context)
        }
        let identity = try await Self.resolve(credential, sessions: sessions)
        context.identity = identity
        context.requester = identity.requester(patternAccess)
        return try await next(request, context)
    }

    /// The bearer token, API key or stream's query token; 401 when there is none.
    func credential(of request: Request) throws -> String {
        var credential: String?
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else {
                throw APIProblem.unauthorized("the Authorization header must be 'Bearer TOKEN'")
            }
            credential = String(parts[1]).trimmingCharacters(in: .whitespaces)
        } else if let key = request.headers[HTTPField.Name("X-API-Key")!] {
            credential = key
        } else if request.uri.path.hasSuffix(queryTokenSuffix), let token = request.uri.queryParameters.get("token") {
            credential = token
        }
        guard let credential, !credential.isEmpty else {
            throw APIProblem.unauthorized("sign in first: send Authorization: Bearer TOKEN (POST /auth/login) or an API key")
        }
        return credential
    }

    /// The identity behind an access token or API key; 401 when neither is valid.
    static func resolve(_ credential: String, sessions: Sessions) async throws -> Identity {
        let signedIn = try await sessions.identify(credential)
        let user = signedIn.user
        return Identity(
            userID: user.id, email: user.email, role: user.role, viaAPIKey: signedIn.viaAPIKey,
            tokenID: signedIn.tokenID, tokenExpires: signedIn.tokenExpires)
    }
}
