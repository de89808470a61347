import AssayCore
import AssayStore
import Foundation
import HummingbirdBcrypt
import JWTKit

/// Issues and checks credentials: bcrypt password hashes, signed access tokens (JWT, HS256),
/// refresh tokens and API keys (random, stored as SHA-256 hashes).
struct TokenService: Sendable {
    let keys: JWTKeyCollection
    let accessLifetime: Duration
    let refreshLifetime: Duration
    let bcryptCost: UInt8

    static func make(config: ServerConfig) async -> TokenService {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: config.jwtSecret), digestAlgorithm: .sha256)
        return TokenService(keys: keys, accessLifetime: config.accessTokenLifetime,
                            refreshLifetime: config.refreshTokenLifetime, bcryptCost: config.bcryptCost)
    }

    /// What an access token says: whose it is and until when.
    struct AccessClaims: JWTPayload {
        var sub: SubjectClaim
        var exp: ExpirationClaim
        var iat: IssuedAtClaim
        var typ: String

        func verify(using algorithm: some JWTAlgorithm) async throws {
            try exp.verifyNotExpired()
            guard typ == "access" else { throw JWTError.claimVerificationFailure(failedClaim: nil, reason: "not an access token") }
        }
    }

    func hashPassword(_ password: String) async -> String {
        let cost = bcryptCost
        // bcrypt is deliberately slow: keep it off the event loops' cooperative threads' hot path.
        return await Task.detached { Bcrypt.hash(password, cost: cost) }.value
    }

    func verifyPassword(_ password: String, hash: String) async -> Bool {
        await Task.detached { Bcrypt.verify(password, hash: hash) }.value
    }

    func accessToken(for user: UserAccount) async throws -> String {
        let now = Date()
        let claims = AccessClaims(sub: .init(value: String(user.id)),
                                  exp: .init(value: now.addingTimeInterval(accessLifetime.seconds)),
                                  iat: .init(value: now), typ: "access")
        return try await keys.sign(claims)
    }

    /// The user id an access token names, or nil when it is invalid or expired.
    func userID(fromAccessToken token: String) async -> Int64? {
        guard let claims = try? await keys.verify(token, as: AccessClaims.self) else { return nil }
        return Int64(claims.sub.value)
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
