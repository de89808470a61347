import AssayService
import AssayStore
import Foundation
import Hummingbird

/// `/auth`: register, login, refresh, logout, password change, who am I, and API keys for
/// services. The flow itself — what is checked, what is stored, what is the same answer for a
/// taken email — is the `Sessions` and `Accounts` use cases'; this translates and counts logins.
struct AccountController {
    let sessions: Sessions
    let accounts: Accounts
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
        group.post("/auth/register") { request, context in
            let body = try await request.decodeJSON(Credentials.self, limit: maxBodyBytes)
            let email = try await sessions.register(email: body.email, password: body.password, client: context.clientAddress)
            return JSONResponse(RegistrationDTO(email: email, detail: "registered: sign in with POST /auth/login"), status: .accepted)
        }
        group.post("/auth/login") { request, context in try await login(request, context) }
        group.post("/auth/refresh") { request, _ in
            let body = try await request.decodeJSON(RefreshRequest.self, limit: maxBodyBytes)
            return JSONResponse(dto(try await sessions.refresh(body.refreshToken)))
        }
    }

    /// Routes that need a signed-in user.
    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("/auth/logout") { request, context in
            let identity = try context.requireIdentity()
            let data = try await request.bodyData(limit: maxBodyBytes)
            let body = data.isEmpty ? LogoutRequest(refreshToken: nil) : try APIJSON.decoder().decode(LogoutRequest.self, from: data)
            try await sessions.logout(
                userID: identity.userID, tokenID: identity.tokenID, tokenExpires: identity.tokenExpires,
                refreshToken: body.refreshToken)
            return Response(status: .noContent)
        }
        group.post("/auth/password") { request, context in
            let identity = try context.requireIdentity()
            let body = try await request.decodeJSON(PasswordChange.self, limit: maxBodyBytes)
            return JSONResponse(
                dto(
                    try await sessions.changePassword(
                        current: body.currentPassword, new: body.newPassword, userID: identity.userID, email: identity.email,
                        client: context.clientAddress)))
        }
        group.get("/auth/me") { _, context in
            let identity = try context.requireIdentity()
            return JSONResponse(UserDTO(identity: identity, canSeePatterns: patternAccess.allows(identity)))
        }
        group.get("/auth/api-keys") { _, context in
            let identity = try context.requireIdentity()
            return JSONResponse(ListDTO(items: try await accounts.apiKeys(userID: identity.userID).map(APIKeyDTO.init)))
        }
        group.post("/auth/api-keys") { request, context in
            let identity = try context.requireIdentity()
            let body = try await request.decodeJSON(APIKeyRequest.self, limit: maxBodyBytes)
            let (key, secret) = try await accounts.createAPIKey(named: body.name, userID: identity.userID)
            return JSONResponse(NewAPIKeyDTO(key: APIKeyDTO(key), secret: secret), status: .created)
        }
        group.delete("/auth/api-keys/:id") { _, context in
            let identity = try context.requireIdentity()
            try await accounts.deleteAPIKey(try context.parameters.id(what: "API key"), userID: identity.userID)
            return Response(status: .noContent)
        }
    }

    /// Signs in and counts the outcome for `/metrics`.
    func login(_ request: Request, _ context: AppRequestContext) async throws -> JSONResponse<TokenDTO> {
        let body = try await request.decodeJSON(Credentials.self, limit: maxBodyBytes)
        do {
            let tokens = try await sessions.login(email: body.email, password: body.password, client: context.clientAddress)
            metrics.login(.success)
            return JSONResponse(dto(tokens))
        } catch let error as ServiceError {
            if case .tooManyAttempts = error { metrics.login(.limited) } else { metrics.login(.failure) }
            throw error
        } catch let busy as PasswordHasher.Busy {
            metrics.login(.busy)
            throw busy
        }
    }

    private func dto(_ tokens: Sessions.Tokens) -> TokenDTO {
        let user = tokens.user
        let identity = Identity(userID: user.id, email: user.email, role: user.role, viaAPIKey: false)
        return TokenDTO(
            accessToken: tokens.access, refreshToken: tokens.refresh, expiresIn: tokens.expiresIn,
            user: UserDTO(identity: identity, canSeePatterns: patternAccess.allows(identity)))
    }
}
