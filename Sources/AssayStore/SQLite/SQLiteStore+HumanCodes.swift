import AssayCore
import Foundation
import GRDB

extension SQLiteStore {
    /// Migration "v7: human codes": people's codes per document, variable and coder.
    static func registerHumanCodes(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v7: human codes") { db in
            try db.execute(
                sql: """
                    CREATE TABLE human_codes (
                        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                        variable TEXT NOT NULL,
                        coder TEXT NOT NULL,
                        value TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        PRIMARY KEY (document_id, variable, coder)
                    ) WITHOUT ROWID;
                    """)
        }
    }

    /// Stores the codes in one transaction; a coder's new code for a document and variable
    /// replaces the earlier one.
    public func saveHumanCodes(_ codes: [HumanCode]) async throws {
        try await writer.write { db in
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO human_codes (document_id, variable, coder, value, created_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (document_id, variable, coder) DO UPDATE SET value = excluded.value, created_at = excluded.created_at
                    """)
            for code in codes {
                try insert.execute(
                    arguments: try .checked([code.documentID, code.variable, code.coder, code.value, code.createdAt.storedSeconds]))
            }
        }
    }

    /// The project's people's codes, by document, variable and coder.
    public func humanCodes(projectID: Int64) async throws -> [HumanCode] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT h.* FROM human_codes h JOIN documents d ON d.id = h.document_id
                    WHERE d.project_id = ? ORDER BY h.document_id, h.variable, h.coder
                    """,
                arguments: [projectID]
            ).map { row in
                HumanCode(
                    documentID: row["document_id"], variable: row["variable"], coder: row["coder"], value: row["value"],
                    createdAt: Date(timeIntervalSince1970: row["created_at"]))
            }
        }
    }
}
