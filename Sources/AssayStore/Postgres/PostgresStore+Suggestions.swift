import AssayCore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// What the co-pilot and refinement suggested, with the model and prompt version (the SQLite
    /// store's v16).
    static let suggestionSets = [
        """
        CREATE TABLE suggestion_sets (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
            kind TEXT COLLATE "C" NOT NULL,
            variable TEXT COLLATE "C",
            codebook_version BIGINT,
            model TEXT NOT NULL,
            prompt_version TEXT NOT NULL,
            reply_json TEXT NOT NULL,
            created_at TIMESTAMPTZ NOT NULL
        )
        """,
        "CREATE INDEX suggestion_sets_project ON suggestion_sets(project_id, kind, id)",
    ]

    public func addSuggestionSet(_ set: SuggestionSet) async throws -> SuggestionSet {
        try await write { db in
            guard try await db.row("SELECT 1 FROM projects WHERE id = \(set.projectID)") != nil else {
                throw StoreError.notFound("project #\(set.projectID)")
            }
            let version = set.codebookVersion.map { Int64($0) }
            let row = try await db.row(
                """
                INSERT INTO suggestion_sets (project_id, kind, variable, codebook_version, model, prompt_version, reply_json, created_at)
                VALUES (\(set.projectID), \(set.kind.rawValue), \(set.variable), \(version), \(set.model), \(set.promptVersion),
                    \(set.reply.serialized()), \(set.createdAt))
                RETURNING *
                """)
            return try SuggestionSet(row: row!)
        }
    }

    public func suggestionSets(projectID: Int64, kind: SuggestionKind, variable: String?) async throws -> [SuggestionSet] {
        var sql: SQL = "SELECT * FROM suggestion_sets WHERE project_id = \(projectID) AND kind = \(kind.rawValue)"
        if let variable { sql.append(" AND variable = \(variable)") }
        sql.append(" ORDER BY id DESC")
        let query = sql
        return try await read { db in try await db.rows(query).map(SuggestionSet.init(row:)) }
    }
}
