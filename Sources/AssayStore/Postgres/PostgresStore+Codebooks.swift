import AssayCore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Stores `codebook` as the next version unless it and its prompt hash equal the latest version's;
    /// returns the version in force and whether it is new.
    public func saveCodebook(
        _ codebook: Codebook, promptHash: String, projectID: Int64
    ) async throws
        -> (version: CodebookVersion, isNew: Bool)
    {
        let json = try StoredJSON.encode(codebook)
        let hash = codebook.contentHash
        return try await write { db in
            // The project's row, locked until commit: two savers cannot both take version n+1
            // (SQLite's single writer gives the same for free). NO KEY: documents and jobs being
            // added to the project meanwhile (their foreign keys share the row) need not wait.
            guard try await db.row("SELECT id FROM projects WHERE id = \(projectID) FOR NO KEY UPDATE") != nil else {
                throw StoreError.notFound("project #\(projectID)")
            }
            let latest = try await Self.latestCodebook(db, projectID: projectID)
            if let latest, latest.codebookHash == hash, latest.promptHash == promptHash {
                return (latest, false)
            }
            let row = try await db.row(
                """
                INSERT INTO codebook_versions (project_id, version, codebook_json, codebook_hash, prompt_hash, created_at)
                VALUES (\(projectID), \((latest?.version ?? 0) + 1), \(json), \(hash), \(promptHash), \(Date()))
                RETURNING *
                """)
            return (try CodebookVersion(row: row!), true)
        }
    }

    /// The highest version of the project's codebook, or nil before the first save.
    public func latestCodebook(projectID: Int64) async throws -> CodebookVersion? {
        try await read { db in try await Self.latestCodebook(db, projectID: projectID) }
    }

    /// Every version of the project's codebook, oldest first.
    public func codebookVersions(projectID: Int64) async throws -> [CodebookVersion] {
        try await read { db in
            try await db.rows("SELECT * FROM codebook_versions WHERE project_id = \(projectID) ORDER BY version")
                .map(CodebookVersion.init(row:))
        }
    }

    static func latestCodebook(_ db: PostgresSession, projectID: Int64) async throws -> CodebookVersion? {
        try await db.row("SELECT * FROM codebook_versions WHERE project_id = \(projectID) ORDER BY version DESC LIMIT 1")
            .map(CodebookVersion.init(row:))
    }
}
