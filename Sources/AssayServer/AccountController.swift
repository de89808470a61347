import AssayStore
import Foundation
import Hummingbird

/// `/auth`: register, login, refresh, logout, password change, who am I, and API keys for services.
///
/// Nothing here tells whether an email has an account: registering a taken email answers exactly
/// like a new one (202, then sign in), and a login for an unknown email checks the password
/// against a decoy hash, so it takes as long as a wrong password for a real account.
struct AccountController {
    let accounts: any AccountStore
    let tokens: TokenService
    let hasher: PasswordHasher
    let throttle: LoginThrottle
    let metrics: ServerMetrics
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

    struct PasswordChange: Decodable {
        var currentPassword: String
        var newPassword: String
        enum CodingKeys: String, CodingKey {
            case currentPassword = "current_password"
            case newPassword = "new_password"
        }
    }

    struct APIKeyRequest: Decodable {
        var name: String
    }

    /// The answer to every well-formed registration, new email or taken.
    struct RegistrationDTO: Codable, Sendable {
        var email: String
        var detail: String
    }

    /// Routes open to anyone (register, login, refresh).
    func addPublicRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("/auth/register") { request, context in try await register(request, context) }
        group.post("/auth/login") { request, context in try await login(request, context) }
        group.post("/auth/refresh") { request, _ in try await refresh(request) }
    }

    /// Routes that need a signed-in user.
    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("/auth/logout") { request, context in try await logout(request, context) }
        group.post("/auth/password") { request, context in try await changePassword(request, context) }
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

    /// Creates the account when the email is free. A taken email gets the same answer (and the
    /// same hashing work) and keeps its password: its owner signs in as before.
    func register(_ request: Request, _ context: AppRequestContext) async throws -> JSONResponse<RegistrationDTO> {
        let body = try await request.decodeJSON(Credentials.self, limit: maxBodyBytes)
        let email = body.email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard Self.looksLikeEmail(email) else { throw APIProblem.invalid("email", "must be an email address such as ada@example.org") }
        if let problem = PasswordPolicy.problem(password: body.password, email: email) { throw APIProblem.invalid("password", problem) }
        try await throttle.admit(email: nil, client: context.clientAddress)
        let hash = try await hasher.hash(body.password)
        do {
            _ = try await accounts.createUser(email: email, passwordHash: hash, role: "user")
        } catch is AccountStoreError {
            // Taken: answered below exactly like a new account.
        }
        return JSONResponse(RegistrationDTO(email: email, detail: "registered: sign in with POST /auth/login"), status: .accepted)
    }

    func login(_ request: Request, _ context: AppRequestContext) async throws -> JSONResponse<TokenDTO> {
        let body = try await request.decodeJSON(Credentials.self, limit: maxBodyBytes)
        let email = body.email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        do {
            let tokens = try await checkLogin(email: email, password: body.password, client: context.clientAddress)
            metrics.login(.success)
            return tokens
        } catch let problem as APIProblem {
            metrics.login(problem.code == 429 ? .limited : .failure)
            throw problem
        } catch let busy as PasswordHasher.Busy {
            metrics.login(.busy)
            throw busy
        }
    }

    private func checkLogin(email: String, password: String, client: String) async throws -> JSONResponse<TokenDTO> {
        try await throttle.admit(email: email, client: client)
        // One answer, and the same work, for an unknown email and a wrong password.
        let user = try await accounts.user(email: email)
        let matches: Bool
        if let user { matches = try await hasher.verify(password, hash: user.passwordHash) }
        else { matches = try await hasher.verifyDecoy(password) }
        guard let user, matches else { throw APIProblem.unauthorized("wrong email or password") }
        throttle.succeeded(email: email)
        return JSONResponse(try await issue(for: user))
    }

    /// Sets a new password and ends every session (access tokens too); answers a fresh pair so
    /// the caller stays signed in. Wrong current passwords count like wrong logins.
    func changePassword(_ request: Request, _ context: AppRequestContext) async throws -> JSONResponse<TokenDTO> {
        let identity = try context.requireIdentity()
        let body = try await request.decodeJSON(PasswordChange.self, limit: maxBodyBytes)
        if let problem = PasswordPolicy.problem(password: body.newPassword, email: identity.email) {
            throw APIProblem.invalid("new_password", problem)
        }
        try await throttle.admit(email: identity.email, client: context.clientAddress)
        guard let user = try await accounts.user(id: identity.userID),
              try await hasher.verify(body.currentPassword, hash: user.passwordHash) else {
            throw APIProblem.invalid("current_password", "is not your current password")
        }
        throttle.succeeded(email: identity.email)
        try await accounts.setPassword(userID: user.id, passwordHash: try await hasher.hash(body.newPassword))
        guard let changed = try await accounts.user(id: user.id) else { throw APIProblem.notFound("user") }
        return JSONResponse(try await issue(for: changed))
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

    /// Ends a session: with a refresh token, that session (the token and the access token the
    /// request carries); without one, every session of the user. Either way the access token
    /// used here stops working at once.
    func logout(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let data = try await request.bodyData(limit: maxBodyBytes)
        let body = data.isEmpty ? LogoutRequest(refreshToken: nil) : try APIJSON.decoder().decode(LogoutRequest.self, from: data)
        if let token = body.refreshToken {
            let hash = TokenService.hash(token)
            if try await accounts.refreshTokenOwner(hash: hash, now: .distantPast) == identity.userID {
                _ = try await accounts.deleteRefreshToken(hash: hash)
            }
            if let id = identity.tokenID {
                try await accounts.revokeAccessToken(id: id, expiresAt: identity.tokenExpires ?? Date().addingTimeInterval(tokens.accessLifetime.seconds))
            }
        } else {
            try await accounts.endSessions(userID: identity.userID)
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
