import AssayCore
import Foundation
import GRDB

extension SQLiteStore {
    /// Stores `codebook` as the next version unless it and its prompt hash equal the latest version's;
    /// returns the version in force and whether it is new.
    public func saveCodebook(
        _ codebook: Codebook, promptHash: String, projectID: Int64
    ) async throws
        -> (version: CodebookVersion, isNew: Bool)
    {
        let json = try StoredJSON.encode(codebook)
        let hash = codebook.contentHash
        // Read-compare-insert in one write transaction: two savers cannot both take version n+1.
        return try await writer.write { db in
            try Self.requireProject(db, id: projectID)
            let latest = try Self.latestCodebook(db, projectID: projectID)
            if let latest, latest.codebookHash == hash, latest.promptHash == promptHash {
                return (latest, false)
            }
            let version = (latest?.version ?? 0) + 1
            try db.execute(
                sql: """
                    INSERT INTO codebook_versions (project_id, version, codebook_json, codebook_hash, prompt_hash, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: try .checked([projectID, version, json, hash, promptHash, Date().storedSeconds]))
            return (try Self.latestCodebook(db, projectID: projectID)!, true)
        }
    }

    /// The highest version of the project's codebook, or nil before the first save.
    public func latestCodebook(projectID: Int64) async throws -> CodebookVersion? {
        try await writer.read { db in try Self.latestCodebook(db, projectID: projectID) }
    }

    /// Every version of the project's codebook, oldest first.
    public func codebookVersions(projectID: Int64) async throws -> [CodebookVersion] {
        try await writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM codebook_versions WHERE project_id = ? ORDER BY version",
                arguments: try .checked([projectID])
            )
            .map(CodebookVersion.init(row:))
        }
    }

    static func latestCodebook(_ db: Database, projectID: Int64) throws -> CodebookVersion? {
        try Row.fetchOne(
            db, sql: "SELECT * FROM codebook_versions WHERE project_id = ? ORDER BY version DESC LIMIT 1",
            arguments: try .checked([projectID])
        ).map(CodebookVersion.init(row:))
    }
}
