import AssayCore
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
        return TokenService(keys: keys, accessLifetime: config.accessTokenLifetime,
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
        let claims = AccessClaims(sub: .init(value: String(user.id)),
                                  exp: .init(value: now.addingTimeInterval(accessLifetime.seconds)),
                                  iat: .init(value: now), typ: "access", jti: .init(value: UUID().uuidString),
                                  gen: user.tokenGeneration)
        return try await keys.sign(claims)
    }

    /// The claims of a valid, unexpired access token; nil otherwise.
    func claims(ofAccessToken token: String) async -> AccessClaims? {
        try? await keys.verify(token, as: AccessClaims.self)
    }

    /// A new random secret with a recognisable prefix (`rt_`, `ak_`).
    static func randomSecret(prefix: String) -> String {
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max) }
        let text = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return prefix + text
    }

    static func hash(_ secret: String) -> String { Hashing.sha256(secret) }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
