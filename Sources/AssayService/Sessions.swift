import AssayCore
import AssayStore
import Foundation

/// Signing in and staying signed in: registration, login, refresh-token rotation, logout, password
/// change, and who a credential belongs to.
///
/// Nothing here tells whether an email has an account: registering a taken email answers exactly
/// like a new one, and a login for an unknown email checks the password against a decoy hash, so
/// it takes as long as a wrong password for a real account.
///
/// How tokens are signed (JWT), how passwords are hashed (bcrypt on a thread pool of its own) and
/// how attempts are counted are the service's: they come in as `AccessTokens`, `PasswordHashing`
/// and `SignInLimiter`. The password rule is `PasswordPolicy` unless a caller passes another.
package struct Sessions: Sendable {
    let store: any AccountStore
    let tokens: any AccessTokens
    let hasher: any PasswordHashing
    let limiter: any SignInLimiter
    /// Why a new password is refused (for its account's email), or nil.
    let passwordProblem: @Sendable (_ password: String, _ email: String) -> String?

    package init(
        store: any AccountStore, tokens: any AccessTokens, hasher: any PasswordHashing, limiter: any SignInLimiter,
        passwordProblem: @escaping @Sendable (String, String) -> String? = PasswordPolicy.problem(password:email:)
    ) {
        self.store = store
        self.tokens = tokens
        self.hasher = hasher
        self.limiter = limiter
        self.passwordProblem = passwordProblem
    }

    /// A session's tokens: a short-lived access token and a refresh token used once.
    package struct Tokens: Sendable {
        package var access: String
        package var refresh: String
        package var expiresIn: Int
        package var user: UserAccount
    }

    /// Creates the account when the email is free; a taken email gets the same answer (and the
    /// same hashing work) and keeps its password. Returns the email as stored.
    package func register(email: String, password: String, client: String) async throws -> String {
        let email = Self.normalized(email)
        guard Self.looksLikeEmail(email) else {
            throw ServiceError.invalid(field: "email", reason: "must be an email address such as ada@example.org")
        }
        if let problem = passwordProblem(password, email) { throw ServiceError.invalid(field: "password", reason: problem) }
        try await limiter.admit(email: nil, client: client)
        let hash = try await hasher.hash(password)
        do {
            _ = try await store.createUser(email: email, passwordHash: hash, role: "user")
        } catch is AccountStoreError {
            // Taken: answered exactly like a new account.
        }
        return email
    }

    package func login(email: String, password: String, client: String) async throws -> Tokens {
        let email = Self.normalized(email)
        try await limiter.admit(email: email, client: client)
        // One answer, and the same work, for an unknown email and a wrong password.
        let user = try await store.user(email: email)
        let matches: Bool
        if let user {
            matches = try await hasher.verify(password, hash: user.passwordHash)
        } else {
            matches = try await hasher.verifyDecoy(password)
        }
        guard let user, matches else { throw ServiceError.wrongCredentials }
        limiter.succeeded(email: email)
        return try await issue(for: user)
    }

    /// Sets a new password and ends every session (access tokens too); answers a fresh pair so
    /// the caller stays signed in. Wrong current passwords count like wrong logins.
    package func changePassword(current: String, new: String, userID: Int64, email: String, client: String) async throws -> Tokens {
        if let problem = passwordProblem(new, email) { throw ServiceError.invalid(field: "new_password", reason: problem) }
        try await limiter.admit(email: email, client: client)
        guard let user = try await store.user(id: userID), try await hasher.verify(current, hash: user.passwordHash) else {
            throw ServiceError.invalid(field: "current_password", reason: "is not your current password")
        }
        limiter.succeeded(email: email)
        try await store.setPassword(userID: user.id, passwordHash: try await hasher.hash(new))
        guard let changed = try await store.user(id: user.id) else { throw ServiceError.notFound(.account(email: email)) }
        return try await issue(for: changed)
    }

    /// Exchanges a refresh token for a new pair; the old refresh token stops working (rotation).
    package func refresh(_ refreshToken: String) async throws -> Tokens {
        let hash = Secret.hash(refreshToken)
        guard let userID = try await store.refreshTokenOwner(hash: hash, now: Date()),
            try await store.deleteRefreshToken(hash: hash),
            let user = try await store.user(id: userID)
        else {
            throw ServiceError.refreshTokenRejected
        }
        return try await issue(for: user)
    }

    /// Ends a session: with a refresh token, that session (the token, and the access token the
    /// caller signed in with, `tokenID`); without one, every session of the account.
    package func logout(userID: Int64, tokenID: String?, tokenExpires: Date?, refreshToken: String?) async throws {
        guard let refreshToken else { return try await store.endSessions(userID: userID) }
        let hash = Secret.hash(refreshToken)
        if try await store.refreshTokenOwner(hash: hash, now: .distantPast) == userID {
            _ = try await store.deleteRefreshToken(hash: hash)
        }
        if let tokenID {
            try await store.revokeAccessToken(
                id: tokenID, expiresAt: tokenExpires ?? Date().addingTimeInterval(tokens.accessLifetime.seconds))
        }
    }

    /// Who a credential — an API key or an access token — belongs to.
    package struct SignedIn: Sendable {
        package var user: UserAccount
        package var viaAPIKey: Bool
        /// The access token's id and expiry, so logout can revoke exactly it.
        package var tokenID: String?
        package var tokenExpires: Date?

        package init(user: UserAccount, viaAPIKey: Bool, tokenID: String? = nil, tokenExpires: Date? = nil) {
            self.user = user
            self.viaAPIKey = viaAPIKey
            self.tokenID = tokenID
            self.tokenExpires = tokenExpires
        }
    }

    package func identify(_ credential: String) async throws -> SignedIn {
        if credential.hasPrefix(Secret.apiKeyPrefix) {
            guard let key = try await store.apiKey(hash: Secret.hash(credential)), let user = try await store.user(id: key.userID) else {
                throw ServiceError.credentialRejected(.apiKey)
            }
            return SignedIn(user: user, viaAPIKey: true)
        }
        guard let claims = await tokens.claims(of: credential), let user = try await store.user(id: claims.userID),
            // Logout everywhere and password changes move the generation on; logout revokes one token.
            (claims.generation ?? 0) == user.tokenGeneration
        else {
            throw ServiceError.credentialRejected(.accessToken)
        }
        if let id = claims.tokenID, try await store.isAccessTokenRevoked(id: id) { throw ServiceError.credentialRejected(.accessToken) }
        return SignedIn(user: user, viaAPIKey: false, tokenID: claims.tokenID, tokenExpires: claims.expires)
    }

    private func issue(for user: UserAccount) async throws -> Tokens {
        let access = try await tokens.issue(for: user)
        let refresh = Secret.random(prefix: Secret.refreshTokenPrefix)
        try await store.saveRefreshToken(
            hash: Secret.hash(refresh), userID: user.id,
            expiresAt: Date().addingTimeInterval(tokens.refreshLifetime.seconds))
        return Tokens(access: access, refresh: refresh, expiresIn: Int(tokens.accessLifetime.seconds), user: user)
    }

    static func normalized(_ email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ") && text.count <= 254
    }
}

/// Signed access tokens: issued for an account, read back into their claims.
package protocol AccessTokens: Sendable {
    var accessLifetime: Duration { get }
    var refreshLifetime: Duration { get }
    func issue(for user: UserAccount) async throws -> String
    /// The claims of a valid, unexpired access token; nil otherwise.
    func claims(of token: String) async -> AccessTokenClaims?
}

/// What an access token says.
package struct AccessTokenClaims: Sendable {
    package var userID: Int64
    package var tokenID: String?
    package var expires: Date
    /// The account's token generation when it was issued; nil for tokens from before revocation.
    package var generation: Int64?

    package init(userID: Int64, tokenID: String?, expires: Date, generation: Int64?) {
        self.userID = userID
        self.tokenID = tokenID
        self.expires = expires
        self.generation = generation
    }
}

/// Password hashes, and the same work for an account that does not exist.
package protocol PasswordHashing: Sendable {
    func hash(_ password: String) async throws -> String
    func verify(_ password: String, hash: String) async throws -> Bool
    /// Does the work of `verify` for an unknown account, and answers false.
    func verifyDecoy(_ password: String) async throws -> Bool
}

/// How often passwords may be tried: `admit` counts an attempt (throwing
/// `ServiceError.tooManyAttempts` past the limits), `succeeded` clears an account's failures.
package protocol SignInLimiter: Sendable {
    func admit(email: String?, client: String) async throws
    func succeeded(email: String)
}
