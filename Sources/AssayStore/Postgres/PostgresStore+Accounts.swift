import AssayCore
import Foundation
import PostgresNIO

extension PostgresStore: AccountStore {
    public func createUser(email: String, passwordHash: String, role: String) async throws -> UserAccount {
        try SQL.refuseNUL(email, field: "email")
        do {
            return try await write { db in
                let row = try await db.row(
                    """
                    INSERT INTO users (email, password_hash, role, created_at) VALUES (\(email), \(passwordHash), \(role), \(Date()))
                    RETURNING *
                    """)
                return try UserAccount(row: row!)
            }
        } catch let error as PostgresError where error.isUniqueViolation {
            throw AccountStoreError.duplicateEmail(email)
        }
    }

    public func user(id: Int64) async throws -> UserAccount? {
        try await read { db in try await db.row("SELECT * FROM users WHERE id = \(id)").map(UserAccount.init(row:)) }
    }

    /// Found in any case, as the unique index compares (SQLite's `COLLATE NOCASE`).
    public func user(email: String) async throws -> UserAccount? {
        try await read { db in
            try await db.row("SELECT * FROM users WHERE lower(email) = lower(\(email))").map(UserAccount.init(row:))
        }
    }

    public func users() async throws -> [UserAccount] {
        try await read { db in try await db.rows("SELECT * FROM users ORDER BY id").map(UserAccount.init(row:)) }
    }

    public func setUserRole(_ role: String, userID: Int64) async throws {
        try await write { db in
            if try await db.execute("UPDATE users SET role = \(role) WHERE id = \(userID) RETURNING 1") == 0 {
                throw StoreError.notFound("user #\(userID)")
            }
        }
    }

    public func saveRefreshToken(hash: String, userID: Int64, expiresAt: Date) async throws {
        try await write { db in
            try await db.execute(
                """
                INSERT INTO refresh_tokens (token_hash, user_id, expires_at, created_at)
                VALUES (\(hash), \(userID), \(expiresAt), \(Date()))
                """)
        }
    }

    public func refreshTokenOwner(hash: String, now: Date) async throws -> Int64? {
        try await read { db in
            try await db.row("SELECT user_id FROM refresh_tokens WHERE token_hash = \(hash) AND expires_at > \(now)")?
                .field("user_id", as: Int64.self)
        }
    }

    public func deleteRefreshToken(hash: String) async throws -> Bool {
        try await write { db in
            try await db.execute("DELETE FROM refresh_tokens WHERE token_hash = \(hash) RETURNING 1") > 0
        }
    }

    public func deleteRefreshTokens(userID: Int64) async throws {
        try await write { db in try await db.execute("DELETE FROM refresh_tokens WHERE user_id = \(userID)") }
    }

    public func setPassword(userID: Int64, passwordHash: String) async throws {
        try await write { db in
            let changed = try await db.execute(
                """
                UPDATE users SET password_hash = \(passwordHash), token_generation = token_generation + 1
                WHERE id = \(userID) RETURNING 1
                """)
            if changed == 0 { throw StoreError.notFound("user #\(userID)") }
            try await db.execute("DELETE FROM refresh_tokens WHERE user_id = \(userID)")
        }
    }

    public func endSessions(userID: Int64) async throws {
        try await write { db in
            try await db.execute("UPDATE users SET token_generation = token_generation + 1 WHERE id = \(userID)")
            try await db.execute("DELETE FROM refresh_tokens WHERE user_id = \(userID)")
        }
    }

    public func revokeAccessToken(id: String, expiresAt: Date) async throws {
        try await write { db in
            // Expired entries refuse nothing any more (the token's own expiry does): drop them here.
            try await db.execute("DELETE FROM revoked_access_tokens WHERE expires_at < \(Date())")
            try await db.execute(
                """
                INSERT INTO revoked_access_tokens (token_id, expires_at) VALUES (\(id), \(expiresAt))
                ON CONFLICT (token_id) DO UPDATE SET expires_at = excluded.expires_at
                """)
        }
    }

    public func isAccessTokenRevoked(id: String) async throws -> Bool {
        try await read { db in try await db.row("SELECT 1 FROM revoked_access_tokens WHERE token_id = \(id)") != nil }
    }

    public func createAPIKey(userID: Int64, name: String, prefix: String, hash: String) async throws -> APIKeyRecord {
        try SQL.refuseNUL(name, field: "name")
        return try await write { db in
            let row = try await db.row(
                """
                INSERT INTO api_keys (user_id, name, prefix, key_hash, created_at)
                VALUES (\(userID), \(name), \(prefix), \(hash), \(Date()))
                RETURNING *
                """)
            return try APIKeyRecord(row: row!)
        }
    }

    public func apiKey(hash: String) async throws -> APIKeyRecord? {
        try await read { db in try await db.row("SELECT * FROM api_keys WHERE key_hash = \(hash)").map(APIKeyRecord.init(row:)) }
    }

    public func apiKeys(userID: Int64) async throws -> [APIKeyRecord] {
        try await read { db in
            try await db.rows("SELECT * FROM api_keys WHERE user_id = \(userID) ORDER BY id").map(APIKeyRecord.init(row:))
        }
    }

    public func deleteAPIKey(id: Int64, userID: Int64) async throws -> Bool {
        try await write { db in
            try await db.execute("DELETE FROM api_keys WHERE id = \(id) AND user_id = \(userID) RETURNING 1") > 0
        }
    }
}
