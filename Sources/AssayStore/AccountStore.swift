import Foundation

/// Accounts of the HTTP service: users, their refresh tokens and API keys. Secrets are stored only
/// as hashes (bcrypt for passwords, SHA-256 for random tokens), never in the clear.
public protocol AccountStore: Sendable {
    /// Creates a user; throws `AccountStoreError.duplicateEmail` when the email is taken.
    func createUser(email: String, passwordHash: String, role: String) async throws -> UserAccount
    func user(id: Int64) async throws -> UserAccount?
    func user(email: String) async throws -> UserAccount?
    /// Every account, oldest first.
    func users() async throws -> [UserAccount]
    func setUserRole(_ role: String, userID: Int64) async throws

    func saveRefreshToken(hash: String, userID: Int64, expiresAt: Date) async throws
    /// The user the refresh token belongs to while it has not expired; nil otherwise.
    func refreshTokenOwner(hash: String, now: Date) async throws -> Int64?
    /// Removes the token; true when it existed (a token is used once).
    func deleteRefreshToken(hash: String) async throws -> Bool
    func deleteRefreshTokens(userID: Int64) async throws

    /// Replaces the password and ends every session: refresh tokens are deleted and the token
    /// generation moves on, so access tokens issued before stop working too.
    func setPassword(userID: Int64, passwordHash: String) async throws
    /// Ends every session of the user (refresh tokens deleted, access tokens of older generations refused).
    func endSessions(userID: Int64) async throws
    /// Refuses one access token (by its `jti`) until it would have expired anyway. Kept in the
    /// database, so a restart does not bring it back.
    func revokeAccessToken(id: String, expiresAt: Date) async throws
    func isAccessTokenRevoked(id: String) async throws -> Bool

    func createAPIKey(userID: Int64, name: String, prefix: String, hash: String) async throws -> APIKeyRecord
    func apiKey(hash: String) async throws -> APIKeyRecord?
    func apiKeys(userID: Int64) async throws -> [APIKeyRecord]
    /// Deletes the user's key; false when the user has no such key.
    func deleteAPIKey(id: Int64, userID: Int64) async throws -> Bool
}

/// Someone who signs in to the service.
public struct UserAccount: Sendable, Hashable {
    public var id: Int64
    public var email: String
    public var passwordHash: String
    /// `user` unless an administrator (or the service's configuration) grants another role.
    public var role: String
    public var createdAt: Date
    /// Access tokens carry the generation they were issued in; ending every session moves it on.
    public var tokenGeneration: Int64

    public init(id: Int64, email: String, passwordHash: String, role: String, createdAt: Date, tokenGeneration: Int64 = 0) {
        self.id = id
        self.email = email
        self.passwordHash = passwordHash
        self.role = role
        self.createdAt = createdAt
        self.tokenGeneration = tokenGeneration
    }
}

/// A long-lived key for a service (a scheduler); only its hash and a short prefix are kept.
public struct APIKeyRecord: Sendable, Hashable {
    public var id: Int64
    public var userID: Int64
    public var name: String
    /// The first characters of the key, so a user can tell keys apart.
    public var prefix: String
    public var createdAt: Date

    public init(id: Int64, userID: Int64, name: String, prefix: String, createdAt: Date) {
        self.id = id
        self.userID = userID
        self.name = name
        self.prefix = prefix
        self.createdAt = createdAt
    }
}

public enum AccountStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case duplicateEmail(String)

    public var description: String {
        switch self {
        case .duplicateEmail(let email): "an account with the email '\(email)' already exists"
        }
    }
}
