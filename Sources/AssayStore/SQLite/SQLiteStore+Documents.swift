import AssayCore
import Foundation
import GRDB

extension SQLiteStore {
    /// Adds a document keyed by (project, external id), updates it when its content or status changed,
    /// and leaves it alone otherwise. Returns the stored document and what happened.
    public func upsertDocument(
        _ input: DocumentInput, projectID: Int64, fingerprint: Fingerprint?
    ) async throws
        -> (document: Document, outcome: UpsertOutcome)
    {
        // Hashing and counting walk the whole text; do it once, outside the write lock.
        let hash = input.contentHash
        let words = input.wordCount
        let tokens = input.tokenCount
        let metadata = input.metadata.serialized()
        return try await writer.write { db in
            let now = Date().storedSeconds
            guard let existing = try Self.document(db, externalID: input.externalID, projectID: projectID) else {
                try Self.requireProject(db, id: projectID)
                try db.execute(
                    sql: """
                        INSERT INTO documents (project_id, external_id, title, media_type, text, content_hash,
                            word_count, token_count, status, error, metadata_json, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: try .checked([
                        projectID, input.externalID, input.title, input.mediaType, input.text, hash,
                        words, tokens, input.status.rawValue, input.error, metadata, now, now,
                    ]))
                let id = db.lastInsertedRowID
                try Self.writeFingerprint(db, fingerprint, documentID: id, projectID: projectID)
                return (try Self.document(db, id: id)!, .inserted)
            }
            // Same text in the same state: re-ingesting a folder must not touch what is already there.
            if existing.contentHash == hash, existing.status == input.status {
                return (existing, .unchanged)
            }
            try db.execute(
                sql: """
                    UPDATE documents SET title = ?, media_type = ?, text = ?, content_hash = ?, word_count = ?,
                        token_count = ?, status = ?, error = ?, metadata_json = ?, updated_at = ?
                    WHERE id = ?
                    """,
                arguments: try .checked([
                    input.title, input.mediaType, input.text, hash, words, tokens, input.status.rawValue,
                    input.error, metadata, now, existing.id,
                ]))
            try Self.writeFingerprint(db, fingerprint, documentID: existing.id, projectID: projectID)
            return (try Self.document(db, id: existing.id)!, .updated)
        }
    }

    /// The document with this id, or nil.
    public func document(id: Int64) async throws -> Document? {
        try await writer.read { db in try Self.document(db, id: id) }
    }

    /// The project's document with this external id, or nil.
    public func document(externalID: String, projectID: Int64) async throws -> Document? {
        try await writer.read { db in try Self.document(db, externalID: externalID, projectID: projectID) }
    }

    /// The project's documents in id order, all of them or only those in `status`.
    public func documents(projectID: Int64, status: DocumentStatus?) async throws -> [Document] {
        try await writer.read { db in
            let rows: [Row]
            if let status {
                rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM documents WHERE project_id = ? AND status = ? ORDER BY id",
                    arguments: try .checked([projectID, status.rawValue]))
            } else {
                rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM documents WHERE project_id = ? ORDER BY id",
                    arguments: try .checked([projectID]))
            }
            return try rows.map(Document.init(row:))
        }
    }

    /// Ready documents, in id order, that have no `succeeded`/`flagged` outcome for this codebook version
    /// computed from their current content. Failed outcomes do not count as done: they are retried.
    public func documentsNeedingWork(projectID: Int64, codebookVersion: Int) async throws -> [Document] {
        try await writer.read { db in
            try Row.fetchAll(
                db, sql: Self.needingWork(columns: "d.*"),
                arguments: Self.needingWorkArguments(projectID, codebookVersion)
            )
            .map(Document.init(row:))
        }
    }

    public func pendingWork(projectID: Int64, codebookVersion: Int) async throws -> [WorkItem] {
        try await writer.read { db in
            // Row by row: a million rows fetched whole first would hold them all twice.
            try Array(
                Row.fetchCursor(
                    db, sql: Self.needingWork(columns: "d.id, length(d.text) AS characters"),
                    arguments: Self.needingWorkArguments(projectID, codebookVersion)
                )
                .map { WorkItem(documentID: $0["id"], characters: $0["characters"]) })
        }
    }

    public func workItems(documentIDs: [Int64], projectID: Int64) async throws -> [WorkItem] {
        let found = try await writer.read { db in
            var found: [Int64: WorkItem] = [:]
            for page in documentIDs.chunked(500) {
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT id, length(text) AS characters FROM documents
                        WHERE project_id = ? AND status = ? AND id IN (\(page.map { _ in "?" }.joined(separator: ",")))
                        """,
                    arguments: StatementArguments([projectID, DocumentStatus.ready.rawValue] as [any DatabaseValueConvertible])
                        + StatementArguments(page))
                for row in rows {
                    let item = WorkItem(documentID: row["id"], characters: row["characters"])
                    found[item.documentID] = item
                }
            }
            return found
        }
        return documentIDs.compactMap { found[$0] }
    }

    public func documentNames(ids: [Int64]) async throws -> [Int64: String] {
        try await writer.read { db in
            var names: [Int64: String] = [:]
            for page in ids.chunked(500) {
                let rows = try Row.fetchAll(
                    db, sql: "SELECT id, external_id FROM documents WHERE id IN (\(page.map { _ in "?" }.joined(separator: ",")))",
                    arguments: StatementArguments(page))
                for row in rows { names[row["id"]] = row["external_id"] }
            }
            return names
        }
    }

    public func documents(ids: [Int64]) async throws -> [Document] {
        let found = try await writer.read { db in
            var found: [Int64: Document] = [:]
            for page in ids.chunked(500) {
                // Cached per page size: a job asks for the same few sizes (1, or a packed request's) again and again.
                let statement = try db.cachedStatement(
                    sql: "SELECT * FROM documents WHERE id IN (\(page.map { _ in "?" }.joined(separator: ",")))")
                let rows = try Row.fetchAll(statement, arguments: StatementArguments(page))
                for document in try rows.map(Document.init(row:)) { found[document.id] = document }
            }
            return found
        }
        return ids.compactMap { found[$0] }
    }

    public func documentCount(projectID: Int64, status: DocumentStatus?) async throws -> Int {
        try await writer.read { db in
            if let status {
                return try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM documents WHERE project_id = ? AND status = ?",
                    arguments: try .checked([projectID, status.rawValue])) ?? 0
            }
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM documents WHERE project_id = ?", arguments: try .checked([projectID]))
                ?? 0
        }
    }

    /// Ready documents without a `succeeded`/`flagged` outcome for this version and content; `columns` picks what to read.
    static func needingWork(columns: String) -> String {
        """
        SELECT \(columns) FROM documents d
        WHERE d.project_id = ? AND d.status = ?
          AND NOT EXISTS (
            SELECT 1 FROM document_outcomes o
            WHERE o.document_id = d.id
              AND o.codebook_version = ?
              AND o.content_hash = d.content_hash
              AND o.outcome IN (?, ?))
        ORDER BY d.id
        """
    }

    static func needingWorkArguments(_ projectID: Int64, _ codebookVersion: Int) -> StatementArguments {
        [
            projectID, DocumentStatus.ready.rawValue, codebookVersion,
            DocumentOutcomeKind.succeeded.rawValue, DocumentOutcomeKind.flagged.rawValue,
        ]
    }

    static func document(_ db: Database, id: Int64) throws -> Document? {
        try Row.fetchOne(db, sql: "SELECT * FROM documents WHERE id = ?", arguments: try .checked([id])).map(Document.init(row:))
    }

    static func document(_ db: Database, externalID: String, projectID: Int64) throws -> Document? {
        try Row.fetchOne(
            db, sql: "SELECT * FROM documents WHERE project_id = ? AND external_id = ?",
            arguments: try .checked([projectID, externalID])
        )
        .map(Document.init(row:))
    }
}

extension Array {
    /// The array in consecutive slices of at most `size` elements (SQLite caps bound parameters).
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
