import Foundation
import GRDB

extension SQLiteStore {
    /// Migration "v4: accounts": the service's users, refresh tokens and API keys, and project
    /// names unique per owner instead of per database (two users may both have a "Pilot").
    static func registerAccounts(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4: accounts") { db in
            try db.execute(
                sql: """
                    CREATE TABLE users (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
                        password_hash TEXT NOT NULL,
                        role TEXT NOT NULL DEFAULT 'user',
                        created_at REAL NOT NULL
                    );

                    -- Only the SHA-256 of a token is kept; the token itself is shown once.
                    CREATE TABLE refresh_tokens (
                        token_hash TEXT PRIMARY KEY,
                        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                        expires_at REAL NOT NULL,
                        created_at REAL NOT NULL
                    );
                    CREATE INDEX refresh_tokens_user ON refresh_tokens(user_id);

                    CREATE TABLE api_keys (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                        name TEXT NOT NULL,
                        prefix TEXT NOT NULL,
                        key_hash TEXT NOT NULL UNIQUE,
                        created_at REAL NOT NULL
                    );
                    CREATE INDEX api_keys_user ON api_keys(user_id);
                    """)
            // Rebuild projects without the database-wide UNIQUE(name) (SQLite cannot drop a
            // constraint). Foreign keys are off during migrations, so dropping the old table
            // cascades nothing, and the other tables' references resolve to the new one.
            let sequence = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'projects'") ?? 0
            try db.execute(
                sql: """
                    CREATE TABLE projects_v4 (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        name TEXT NOT NULL,
                        description TEXT,
                        owner TEXT,
                        unit TEXT NOT NULL DEFAULT 'document',
                        entity_instruction TEXT,
                        status TEXT NOT NULL,
                        token_budget INTEGER NOT NULL DEFAULT 8192,
                        created_at REAL NOT NULL
                    );
                    INSERT INTO projects_v4 SELECT id, name, description, owner, unit, entity_instruction, status,
                        token_budget, created_at FROM projects;
                    DROP TABLE projects;
                    ALTER TABLE projects_v4 RENAME TO projects;
                    -- Projects without an owner (the CLI's) share one namespace, as before.
                    CREATE UNIQUE INDEX projects_owner_name ON projects(IFNULL(owner, ''), name);
                    """)
            // Keep AUTOINCREMENT's promise across the rebuild: a deleted project's id is never reused.
            try db.execute(sql: "UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = 'projects'", arguments: [sequence])
        }
    }

    /// Migration "v5: session revocation": a token generation per user (ending every session or
    /// changing the password moves it on) and the ids of single access tokens revoked at logout,
    /// kept until they would have expired.
    static func registerSessionRevocation(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5: session revocation") { db in
            try db.execute(
                sql: """
                    ALTER TABLE users ADD COLUMN token_generation INTEGER NOT NULL DEFAULT 0;
                    CREATE TABLE revoked_access_tokens (
                        token_id TEXT PRIMARY KEY,
                        expires_at REAL NOT NULL
                    );
                    """)
        }
    }
}
