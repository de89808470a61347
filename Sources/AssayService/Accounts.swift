import AssayCore
import AssayStore
import Foundation

/// Accounts of the service, as their owners and administrators use them: API keys for scripts,
/// the list of accounts and their roles (`assay users`).
package struct Accounts: Sendable {
    let store: any AccountStore

    package init(store: any AccountStore) {
        self.store = store
    }

    // MARK: Administration (the local user)

    package func list() async throws -> [UserAccount] {
        try await store.users()
    }

    /// Gives the account a role; returns the account.
    package func setRole(_ role: String, email: String) async throws -> UserAccount {
        guard let user = try await store.user(email: email.lowercased()) else {
            throw ServiceError.notFound(.account(email: email))
        }
        try await store.setUserRole(role, userID: user.id)
        return user
    }

    // MARK: API keys (the signed-in account)

    package func apiKeys(userID: Int64) async throws -> [APIKeyRecord] {
        try await store.apiKeys(userID: userID)
    }

    /// A new key; its secret is answered once and stored only as a hash.
    package func createAPIKey(named name: String, userID: Int64) async throws -> (key: APIKeyRecord, secret: String) {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 100 else { throw ServiceError.invalid(field: "name", reason: "must be 1 to 100 characters") }
        let secret = Secret.random(prefix: Secret.apiKeyPrefix)
        let record = try await store.createAPIKey(
            userID: userID, name: name, prefix: String(secret.prefix(10)),
            hash: Secret.hash(secret))
        return (record, secret)
    }

    package func deleteAPIKey(_ id: Int64, userID: Int64) async throws {
        guard try await store.deleteAPIKey(id: id, userID: userID) else { throw ServiceError.notFound(.apiKey(id)) }
    }
}

/// Random credentials (refresh tokens, API keys) and how they are kept: only their SHA-256.
package enum Secret {
    package static let apiKeyPrefix = "ak_"
    package static let refreshTokenPrefix = "rt_"

    /// 32 random bytes, URL-safe base64, behind a recognisable prefix.
    package static func random(prefix: String) -> String {
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max) }
        let text = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return prefix + text
    }

    package static func hash(_ secret: String) -> String { Hashing.sha256(secret) }
}
