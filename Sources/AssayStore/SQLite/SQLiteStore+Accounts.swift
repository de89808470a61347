import AssayCore
import Foundation
import GRDB

extension SQLiteStore: AccountStore {
    public func createUser(email: String, passwordHash: String, role: String) async throws -> UserAccount {
        try StatementArguments.refuseNUL(email, field: "email")
        do {
            return try await writer.write { db in
                try db.execute(
                    sql: "INSERT INTO users (email, password_hash, role, created_at) VALUES (?, ?, ?, ?)",
                    arguments: try .checked([email, passwordHash, role, Date().storedSeconds]))
                return try Self.user(db, id: db.lastInsertedRowID)!
            }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw AccountStoreError.duplicateEmail(email)
        }
    }

    public func user(id: Int64) async throws -> UserAccount? {
        try await writer.read { db in try Self.user(db, id: id) }
    }

    public func user(email: String) async throws -> UserAccount? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM users WHERE email = ?", arguments: try .checked([email])).map(UserAccount.init(row:))
        }
    }

    public func users() async throws -> [UserAccount] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM users ORDER BY id").map(UserAccount.init(row:))
        }
    }

    public func setUserRole(_ role: String, userID: Int64) async throws {
        try await writer.write { db in
            try db.execute(sql: "UPDATE users SET role = ? WHERE id = ?", arguments: try .checked([role, userID]))
            if db.changesCount == 0 { throw StoreError.notFound("user #\(userID)") }
        }
    }

    public func saveRefreshToken(hash: String, userID: Int64, expiresAt: Date) async throws {
        try await writer.write { db in
            try db.execute(
                sql: "INSERT INTO refresh_tokens (token_hash, user_id, expires_at, created_at) VALUES (?, ?, ?, ?)",
                arguments: try .checked([hash, userID, expiresAt.storedSeconds, Date().storedSeconds]))
        }
    }

    public func refreshTokenOwner(hash: String, now: Date) async throws -> Int64? {
        try await writer.read { db in
            try Int64.fetchOne(
                db, sql: "SELECT user_id FROM refresh_tokens WHERE token_hash = ? AND expires_at > ?",
                arguments: try .checked([hash, now.storedSeconds]))
        }
    }

    public func deleteRefreshToken(hash: String) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM refresh_tokens WHERE token_hash = ?", arguments: try .checked([hash]))
            return db.changesCount > 0
        }
    }

    public func deleteRefreshTokens(userID: Int64) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM refresh_tokens WHERE user_id = ?", arguments: try .checked([userID]))
        }
    }

    public func setPassword(userID: Int64, passwordHash: String) async throws {
        try await writer.write { db in
            try db.execute(
                sql: "UPDATE users SET password_hash = ?, token_generation = token_generation + 1 WHERE id = ?",
                arguments: [passwordHash, userID])
            if db.changesCount == 0 { throw StoreError.notFound("user #\(userID)") }
            try db.execute(sql: "DELETE FROM refresh_tokens WHERE user_id = ?", arguments: [userID])
        }
    }

    public func endSessions(userID: Int64) async throws {
        try await writer.write { db in
            try db.execute(sql: "UPDATE users SET token_generation = token_generation + 1 WHERE id = ?", arguments: [userID])
            try db.execute(sql: "DELETE FROM refresh_tokens WHERE user_id = ?", arguments: [userID])
        }
    }

    public func revokeAccessToken(id: String, expiresAt: Date) async throws {
        try await writer.write { db in
            // Expired entries refuse nothing any more (the token's own expiry does): drop them here.
            try db.execute(sql: "DELETE FROM revoked_access_tokens WHERE expires_at < ?", arguments: [Date().storedSeconds])
            try db.execute(
                sql: "INSERT OR REPLACE INTO revoked_access_tokens (token_id, expires_at) VALUES (?, ?)",
                arguments: [id, expiresAt.storedSeconds])
        }
    }

    public func isAccessTokenRevoked(id: String) async throws -> Bool {
        try await writer.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM revoked_access_tokens WHERE token_id = ?", arguments: [id]) ?? false
        }
    }

    public func createAPIKey(userID: Int64, name: String, prefix: String, hash: String) async throws -> APIKeyRecord {
        try StatementArguments.refuseNUL(name, field: "name")
        return try await writer.write { db in
            try db.execute(
                sql: "INSERT INTO api_keys (user_id, name, prefix, key_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: try .checked([userID, name, prefix, hash, Date().storedSeconds]))
            return try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE id = ?", arguments: try .checked([db.lastInsertedRowID]))
                .map(APIKeyRecord.init(row:))!
        }
    }

    public func apiKey(hash: String) async throws -> APIKeyRecord? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE key_hash = ?", arguments: try .checked([hash])).map(
                APIKeyRecord.init(row:))
        }
    }

    public func apiKeys(userID: Int64) async throws -> [APIKeyRecord] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM api_keys WHERE user_id = ? ORDER BY id", arguments: try .checked([userID]))
                .map(APIKeyRecord.init(row:))
        }
    }

    public func deleteAPIKey(id: Int64, userID: Int64) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM api_keys WHERE id = ? AND user_id = ?", arguments: try .checked([id, userID]))
            return db.changesCount > 0
        }
    }

    static func user(_ db: Database, id: Int64) throws -> UserAccount? {
        try Row.fetchOne(db, sql: "SELECT * FROM users WHERE id = ?", arguments: try .checked([id])).map(UserAccount.init(row:))
    }
}

extension UserAccount {
    init(row: Row) throws {
        self.init(
            id: try row.field("id"), email: try row.field("email"), passwordHash: try row.field("password_hash"),
            role: try row.field("role"), createdAt: try row.dateField("created_at"),
            tokenGeneration: try row.field("token_generation"))
    }
}

extension APIKeyRecord {
    init(row: Row) throws {
        self.init(
            id: try row.field("id"), userID: try row.field("user_id"), name: try row.field("name"),
            prefix: try row.field("prefix"), createdAt: try row.dateField("created_at"))
    }
}
