import AssayCore
import Foundation
import GRDB

extension SQLiteStore {
    /// Migration "v16: suggestion sets": what the co-pilot and refinement suggested, with the model
    /// and prompt version, so a suggestion can be traced to what made it (and adopted later).
    static func registerSuggestions(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v16: suggestion sets") { db in
            try db.execute(
                sql: """
                    CREATE TABLE suggestion_sets (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                        kind TEXT NOT NULL,
                        variable TEXT,
                        codebook_version INTEGER,
                        model TEXT NOT NULL,
                        prompt_version TEXT NOT NULL,
                        reply_json TEXT NOT NULL,
                        created_at REAL NOT NULL
                    );
                    CREATE INDEX suggestion_sets_project ON suggestion_sets(project_id, kind, id);
                    """)
        }
    }

    public func addSuggestionSet(_ set: SuggestionSet) async throws -> SuggestionSet {
        try await writer.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM projects WHERE id = ?", arguments: [set.projectID]) != nil else {
                throw StoreError.notFound("project #\(set.projectID)")
            }
            try db.execute(
                sql: """
                    INSERT INTO suggestion_sets (project_id, kind, variable, codebook_version, model, prompt_version, reply_json, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: try .checked([
                    set.projectID, set.kind.rawValue, set.variable, set.codebookVersion, set.model, set.promptVersion,
                    set.reply.serialized(), set.createdAt.storedSeconds,
                ]))
            let row = try Row.fetchOne(db, sql: "SELECT * FROM suggestion_sets WHERE id = ?", arguments: [db.lastInsertedRowID])
            return try SuggestionSet(row: row!)
        }
    }

    public func suggestionSets(projectID: Int64, kind: SuggestionKind, variable: String?) async throws -> [SuggestionSet] {
        try await writer.read { db in
            var sql = "SELECT * FROM suggestion_sets WHERE project_id = ? AND kind = ?"
            var arguments: StatementArguments = [projectID, kind.rawValue]
            if let variable {
                sql += " AND variable = ?"
                arguments += try .checked([variable])
            }
            return try Row.fetchAll(db, sql: sql + " ORDER BY id DESC", arguments: arguments).map(SuggestionSet.init(row:))
        }
    }
}

extension SuggestionSet {
    init(row: Row) throws {
        let reply: String = try row.field("reply_json")
        let version: Int64? = try row.field("codebook_version")
        self.init(
            id: try row.field("id"), projectID: try row.field("project_id"), kind: try row.enumField("kind"),
            variable: try row.field("variable"), codebookVersion: version.map { Int($0) }, model: try row.field("model"),
            promptVersion: try row.field("prompt_version"), reply: try JSONValue.parse(reply),
            createdAt: try row.dateField("created_at"))
    }
}
