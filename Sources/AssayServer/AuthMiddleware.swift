import AssayStore
import Foundation
import HTTPTypes
import Hummingbird
import JWTKit

/// Authenticates a request by `Authorization: Bearer <access token or API key>` or `X-API-Key`;
/// streams (SSE) may pass the token as `?token=` because browsers' EventSource cannot set headers.
/// Anything else answers 401 with a problem document.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let tokens: TokenService
    let accounts: any AccountStore
    /// Paths ending so may carry the token in the query.
    var queryTokenSuffix = "/stream"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.identity = try await identify(request)
        return try await next(request, context)
    }

    func identify(_ request: Request) async throws -> Identity {
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
        return try await Self.resolve(credential, tokens: tokens, accounts: accounts)
    }

    /// The identity behind an access token or API key; 401 when neither is valid.
    static func resolve(_ credential: String, tokens: TokenService, accounts: any AccountStore) async throws -> Identity {
        if credential.hasPrefix("ak_") {
            guard let key = try await accounts.apiKey(hash: TokenService.hash(credential)),
                  let user = try await accounts.user(id: key.userID) else {
                throw APIProblem.unauthorized("the API key is not valid (it may have been deleted)")
            }
            return Identity(userID: user.id, email: user.email, role: user.role, viaAPIKey: true)
        }
        let refused = APIProblem.unauthorized("the access token is invalid, expired or signed out; get a new one with POST /auth/refresh")
        guard let claims = await tokens.claims(ofAccessToken: credential), let id = Int64(claims.sub.value),
              let user = try await accounts.user(id: id) else { throw refused }
        // Logout everywhere and password changes move the generation on; logout revokes one token.
        guard (claims.gen ?? 0) == user.tokenGeneration else { throw refused }
        if let tokenID = claims.jti?.value, try await accounts.isAccessTokenRevoked(id: tokenID) { throw refused }
        return Identity(userID: user.id, email: user.email, role: user.role, viaAPIKey: false,
                        tokenID: claims.jti?.value, tokenExpires: claims.exp.value)
    }
}
