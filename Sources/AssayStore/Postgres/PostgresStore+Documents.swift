import AssayCore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Adds a document keyed by (project, external id), updates it when its content or status changed,
    /// and leaves it alone otherwise. Returns the stored document and what happened.
    public func upsertDocument(
        _ input: DocumentInput, projectID: Int64, fingerprint: Fingerprint?
    ) async throws
        -> (document: Document, outcome: UpsertOutcome)
    {
        // Hashing and counting walk the whole text; do it once, before the transaction.
        let hash = input.contentHash
        let words = input.wordCount
        let tokens = input.tokenCount
        let metadata = input.metadata.serialized()
        return try await write { db in
            let now = Date()
            // Locked until commit, so a concurrent add of the same external id waits for this one.
            var existing = try await db.row(
                "SELECT * FROM documents WHERE project_id = \(projectID) AND external_id = \(input.externalID) FOR UPDATE"
            ).map(Document.init(row:))
            if existing == nil {
                try await Self.requireProject(db, id: projectID)
                let inserted = try await db.row(
                    """
                    INSERT INTO documents (project_id, external_id, title, media_type, text, content_hash,
                        word_count, token_count, status, error, metadata_json, created_at, updated_at)
                    VALUES (\(projectID), \(input.externalID), \(input.title), \(input.mediaType), \(input.text), \(hash),
                        \(words), \(tokens), \(input.status.rawValue), \(input.error), \(metadata), \(now), \(now))
                    ON CONFLICT (project_id, external_id) DO NOTHING
                    RETURNING *
                    """
                ).map(Document.init(row:))
                if let inserted {
                    try await Self.writeFingerprint(db, fingerprint, documentID: inserted.id, projectID: projectID)
                    return (inserted, .inserted)
                }
                // Another process added it since the SELECT: treat it as the existing document.
                existing = try await db.row(
                    "SELECT * FROM documents WHERE project_id = \(projectID) AND external_id = \(input.externalID) FOR UPDATE"
                ).map(Document.init(row:))
            }
            guard let existing else { throw StoreError.notFound("document \(input.externalID)") }
            // Same text in the same state: re-ingesting a folder must not touch what is already there.
            if existing.contentHash == hash, existing.status == input.status {
                return (existing, .unchanged)
            }
            let updated = try await db.row(
                """
                UPDATE documents SET title = \(input.title), media_type = \(input.mediaType), text = \(input.text),
                    content_hash = \(hash), word_count = \(words), token_count = \(tokens), status = \(input.status.rawValue),
                    error = \(input.error), metadata_json = \(metadata), updated_at = \(now)
                WHERE id = \(existing.id)
                RETURNING *
                """)
            try await Self.writeFingerprint(db, fingerprint, documentID: existing.id, projectID: projectID)
            return (try Document(row: updated!), .updated)
        }
    }

    /// The document with this id, or nil.
    public func document(id: Int64) async throws -> Document? {
        try await read { db in try await db.row("SELECT * FROM documents WHERE id = \(id)").map(Document.init(row:)) }
    }

    /// The project's document with this external id, or nil.
    public func document(externalID: String, projectID: Int64) async throws -> Document? {
        try await read { db in
            try await db.row("SELECT * FROM documents WHERE project_id = \(projectID) AND external_id = \(externalID)")
                .map(Document.init(row:))
        }
    }

    /// The project's documents in id order, all of them or only those in `status`.
    public func documents(projectID: Int64, status: DocumentStatus?) async throws -> [Document] {
        var sql: SQL = "SELECT * FROM documents WHERE project_id = \(projectID)"
        if let status { sql.append(" AND status = \(status.rawValue)") }
        sql.append(" ORDER BY id")
        let query = sql
        return try await read { db in try await db.rows(query).map(Document.init(row:)) }
    }

    /// Ready documents, in id order, that have no `succeeded`/`flagged` outcome for this codebook version
    /// computed from their current content. Failed outcomes do not count as done: they are retried.
    public func documentsNeedingWork(projectID: Int64, codebookVersion: Int) async throws -> [Document] {
        try await read { db in
            try await db.rows(Self.needingWork(columns: "d.*", projectID, codebookVersion)).map(Document.init(row:))
        }
    }

    public func pendingWork(projectID: Int64, codebookVersion: Int) async throws -> [WorkItem] {
        try await read { db in
            // Row by row: a million rows fetched whole first would hold them all twice.
            try await db.map(
                Self.needingWork(columns: "d.id, length(d.text) AS characters", projectID, codebookVersion),
                WorkItem.init(row:))
        }
    }

    public func documentNames(ids: [Int64]) async throws -> [Int64: String] {
        try await read { db in
            var names: [Int64: String] = [:]
            for row in try await db.rows("SELECT id, external_id FROM documents WHERE id = ANY(\(ids))") {
                names[try row.field("id", as: Int64.self)] = try row.field("external_id", as: String.self)
            }
            return names
        }
    }

    public func workItems(documentIDs: [Int64], projectID: Int64) async throws -> [WorkItem] {
        let found = try await read { db in
            try await db.rows(
                """
                SELECT id, length(text) AS characters FROM documents
                WHERE project_id = \(projectID) AND status = \(DocumentStatus.ready.rawValue) AND id = ANY(\(documentIDs))
                """
            ).map(WorkItem.init(row:))
        }
        let byID = Dictionary(found.map { ($0.documentID, $0) }, uniquingKeysWith: { first, _ in first })
        return documentIDs.compactMap { byID[$0] }
    }

    public func documents(ids: [Int64]) async throws -> [Document] {
        let found = try await read { db in
            try await db.rows("SELECT * FROM documents WHERE id = ANY(\(ids))").map(Document.init(row:))
        }
        let byID = Dictionary(found.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return ids.compactMap { byID[$0] }
    }

    public func documentCount(projectID: Int64, status: DocumentStatus?) async throws -> Int {
        var sql: SQL = "SELECT COUNT(*) AS n FROM documents WHERE project_id = \(projectID)"
        if let status { sql.append(" AND status = \(status.rawValue)") }
        let query = sql
        return try await read { db in try await db.row(query)?.field("n", as: Int.self) ?? 0 }
    }

    /// Ready documents without a `succeeded`/`flagged` outcome for this version and content; `columns` picks what to read.
    static func needingWork(columns: String, _ projectID: Int64, _ codebookVersion: Int) -> SQL {
        """
        SELECT \(unescaped: columns) FROM documents d
        WHERE d.project_id = \(projectID) AND d.status = \(DocumentStatus.ready.rawValue)
          AND NOT EXISTS (
            SELECT 1 FROM document_outcomes o
            WHERE o.document_id = d.id
              AND o.codebook_version = \(codebookVersion)
              AND o.content_hash = d.content_hash
              AND o.outcome IN (\(DocumentOutcomeKind.succeeded.rawValue), \(DocumentOutcomeKind.flagged.rawValue)))
        ORDER BY d.id
        """
    }
}

extension WorkItem {
    init(row: PostgresRandomAccessRow) throws {
        self.init(documentID: try row.field("id"), characters: try row.field("characters"))
    }
}
