import AssayCore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Stores the codes in one transaction; a coder's new code for a document and variable
    /// replaces the earlier one.
    public func saveHumanCodes(_ codes: [HumanCode]) async throws {
        try await write { db in
            for code in codes {
                try await db.execute(
                    """
                    INSERT INTO human_codes (document_id, variable, coder, value, created_at)
                    VALUES (\(code.documentID), \(code.variable), \(code.coder), \(code.value), \(code.createdAt))
                    ON CONFLICT (document_id, variable, coder) DO UPDATE SET value = excluded.value, created_at = excluded.created_at
                    """)
            }
        }
    }

    /// The project's people's codes, by document, variable and coder (bytewise, as SQLite orders text).
    public func humanCodes(projectID: Int64) async throws -> [HumanCode] {
        try await read { db in
            try await db.rows(
                """
                SELECT h.* FROM human_codes h JOIN documents d ON d.id = h.document_id
                WHERE d.project_id = \(projectID) ORDER BY h.document_id, h.variable, h.coder
                """
            ).map { row in
                HumanCode(
                    documentID: try row.field("document_id"), variable: try row.field("variable"), coder: try row.field("coder"),
                    value: try row.field("value"), createdAt: try row.field("created_at"))
            }
        }
    }
}
