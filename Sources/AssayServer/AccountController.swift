import AssayStore
import Foundation
import Hummingbird

/// `/auth`: register, login, refresh, logout, who am I, and API keys for services.
struct AccountController {
    let accounts: any AccountStore
    let tokens: TokenService
    let patternAccess: PatternAccess
    let maxBodyBytes: Int

    struct Credentials: Decodable {
        var email: String
        var password: String
    }

    struct RefreshRequest: Decodable {
        var refreshToken: String
        enum CodingKeys: String, CodingKey { case refreshToken = "refresh_token" }
    }

    struct LogoutRequest: Decodable {
        var refreshToken: String?
        enum CodingKeys: String, CodingKey { case refreshToken = "refresh_token" }
    }

    struct APIKeyRequest: Decodable {
        var name: String
    }

    /// Routes open to anyone (register, login, refresh).
    func addPublicRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("/auth/register") { request, _ in try await register(request) }
        group.post("/auth/login") { request, _ in try await login(request) }
        group.post("/auth/refresh") { request, _ in try await refresh(request) }
    }

    /// Routes that need a signed-in user.
    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("/auth/logout") { request, context in try await logout(request, context) }
        group.get("/auth/me") { _, context in
            let identity = try context.requireIdentity()
            return JSONResponse(UserDTO(identity: identity, canSeePatterns: patternAccess.allows(identity)))
        }
        group.get("/auth/api-keys") { _, context in
            let identity = try context.requireIdentity()
            return JSONResponse(ListDTO(items: try await accounts.apiKeys(userID: identity.userID).map(APIKeyDTO.init)))
        }
        group.post("/auth/api-keys") { request, context in try await createKey(request, context) }
        group.delete("/auth/api-keys/:id") { _, context in
            let identity = try context.requireIdentity()
            let id = try context.parameters.id(what: "API key")
            guard try await accounts.deleteAPIKey(id: id, userID: identity.userID) else { throw APIProblem.notFound("API key \(id)") }
            return Response(status: .noContent)
        }
    }

    func register(_ request: Request) async throws -> JSONResponse<TokenDTO> {
        let body = try await request.decodeJSON(Credentials.self, limit: maxBodyBytes)
        let email = body.email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard Self.looksLikeEmail(email) else { throw APIProblem.invalid("email", "must be an email address such as ada@example.org") }
        guard body.password.count >= 8 else { throw APIProblem.invalid("password", "must have at least 8 characters") }
        guard body.password.utf8.count <= 72 else { throw APIProblem.invalid("password", "must have at most 72 bytes (bcrypt's limit)") }
        let hash = await tokens.hashPassword(body.password)
        let user = try await accounts.createUser(email: email, passwordHash: hash, role: "user")
        return JSONResponse(try await issue(for: user), status: .created)
    }

    func login(_ request: Request) async throws -> JSONResponse<TokenDTO> {
        let body = try await request.decodeJSON(Credentials.self, limit: maxBodyBytes)
        let email = body.email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        // One answer for an unknown email and a wrong password: no probing for accounts.
        guard let user = try await accounts.user(email: email),
              await tokens.verifyPassword(body.password, hash: user.passwordHash) else {
            throw APIProblem.unauthorized("wrong email or password")
        }
        return JSONResponse(try await issue(for: user))
    }

    /// Exchanges a refresh token for a new pair; the old refresh token stops working (rotation).
    func refresh(_ request: Request) async throws -> JSONResponse<TokenDTO> {
        let body = try await request.decodeJSON(RefreshRequest.self, limit: maxBodyBytes)
        let hash = TokenService.hash(body.refreshToken)
        guard let userID = try await accounts.refreshTokenOwner(hash: hash, now: Date()),
              try await accounts.deleteRefreshToken(hash: hash),
              let user = try await accounts.user(id: userID) else {
            throw APIProblem.unauthorized("the refresh token is invalid, used or expired; sign in again")
        }
        return JSONResponse(try await issue(for: user))
    }

    /// Ends a session: the given refresh token, or every one of the user's when none is given.
    func logout(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let data = try await request.bodyData(limit: maxBodyBytes)
        let body = data.isEmpty ? LogoutRequest(refreshToken: nil) : try APIJSON.decoder().decode(LogoutRequest.self, from: data)
        if let token = body.refreshToken {
            let hash = TokenService.hash(token)
            if try await accounts.refreshTokenOwner(hash: hash, now: .distantPast) == identity.userID {
                _ = try await accounts.deleteRefreshToken(hash: hash)
            }
        } else {
            try await accounts.deleteRefreshTokens(userID: identity.userID)
        }
        return Response(status: .noContent)
    }

    func createKey(_ request: Request, _ context: AppRequestContext) async throws -> JSONResponse<NewAPIKeyDTO> {
        let identity = try context.requireIdentity()
        let body = try await request.decodeJSON(APIKeyRequest.self, limit: maxBodyBytes)
        let name = body.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 100 else { throw APIProblem.invalid("name", "must be 1 to 100 characters") }
        let secret = TokenService.randomSecret(prefix: "ak_")
        let record = try await accounts.createAPIKey(userID: identity.userID, name: name, prefix: String(secret.prefix(10)),
                                                     hash: TokenService.hash(secret))
        return JSONResponse(NewAPIKeyDTO(key: APIKeyDTO(record), secret: secret), status: .created)
    }

    private func issue(for user: UserAccount) async throws -> TokenDTO {
        let access = try await tokens.accessToken(for: user)
        let refresh = TokenService.randomSecret(prefix: "rt_")
        try await accounts.saveRefreshToken(hash: TokenService.hash(refresh), userID: user.id,
                                            expiresAt: Date().addingTimeInterval(tokens.refreshLifetime.seconds))
        let identity = Identity(userID: user.id, email: user.email, role: user.role, viaAPIKey: false)
        return TokenDTO(accessToken: access, refreshToken: refresh, expiresIn: Int(tokens.accessLifetime.seconds),
                        user: UserDTO(identity: identity, canSeePatterns: patternAccess.allows(identity)))
    }

    static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ") && text.count <= 254
    }
}
