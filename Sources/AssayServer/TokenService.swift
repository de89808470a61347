import AssayCore
import AssayService
import AssayStore
import Foundation
import JWTKit

/// Issues and checks credentials: signed access tokens (JWT, HS256),
/// refresh tokens and API keys (random, stored as SHA-256 hashes).
struct TokenService: Sendable {
    let keys: JWTKeyCollection
    let accessLifetime: Duration
    let refreshLifetime: Duration

    static func make(config: ServerConfig) async -> TokenService {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: config.jwtSecret), digestAlgorithm: .sha256)
        return TokenService(
            keys: keys, accessLifetime: config.accessTokenLifetime,
            refreshLifetime: config.refreshTokenLifetime)
    }

    /// What an access token says: whose it is, until when, its own id (so logout can revoke it)
    /// and the account's token generation when it was issued (ending every session moves it on).
    /// Tokens issued before revocation existed have neither and live out their 15 minutes.
    struct AccessClaims: JWTPayload {
        var sub: SubjectClaim
        var exp: ExpirationClaim
        var iat: IssuedAtClaim
        var typ: String
        var jti: IDClaim?
        var gen: Int64?

        func verify(using algorithm: some JWTAlgorithm) async throws {
            try exp.verifyNotExpired()
            guard typ == "access" else { throw JWTError.claimVerificationFailure(failedClaim: nil, reason: "not an access token") }
        }
    }

    func accessToken(for user: UserAccount) async throws -> String {
        let now = Date()
        let claims = AccessClaims(
            sub: .init(value: String(user.id)),
            exp: .init(value: now.addingTimeInterval(accessLifetime.seconds)),
            iat: .init(value: now), typ: "access", jti: .init(value: UUID().uuidString),
            gen: user.tokenGeneration)
        return try await keys.sign(claims)
    }

    /// The claims of a valid, unexpired access token; nil otherwise.
    func claims(ofAccessToken token: String) async -> AccessClaims? {
        try? await keys.verify(token, as: AccessClaims.self)
    }
}

/// The use cases' view of access tokens: JWTs signed here, because signing is the HTTP
/// service's business (the CLI never signs anyone in).
extension TokenService: AccessTokens {
    func issue(for user: UserAccount) async throws -> String { try await accessToken(for: user) }

    func claims(of token: String) async -> AccessTokenClaims? {
        guard let claims = await claims(ofAccessToken: token), let id = Int64(claims.sub.value) else { return nil }
        return AccessTokenClaims(userID: id, tokenID: claims.jti?.value, expires: claims.exp.value, generation: claims.gen)
    }
}
