import AssayCore
import Foundation
import GRDB

extension SQLiteStore {
    /// Writes one document's result in a single transaction: its values (replacing earlier ones unless
    /// the outcome is `failed`), its outcome, its error records, the job's counters and a job event.
    /// When any step throws, for example two values sharing (variable, entity index), nothing is written.
    public func record(_ result: DocumentResult) async throws {
        try await record([result])
    }

    /// Writes several documents' results (a packed request's) in one transaction, each as
    /// `record(_:)` writes one; when any of them throws, none is written.
    public func record(_ results: [DocumentResult]) async throws {
        // Serialise values before taking the write lock.
        let prepared = results.map { result in (result, result.extractions.map { ($0, $0.value.serialized()) }) }
        try await writer.write { [worker] db in
            for (result, values) in prepared { try Self.record(db, result, values: values, worker: worker) }
        }
    }

    static func record(_ db: Database, _ result: DocumentResult, values: [(Extraction, String)], worker: String) throws {
        let now = Date().storedSeconds
        guard try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM jobs WHERE id = ?"), arguments: [result.jobID]) != nil else {
            throw StoreError.notFound("job #\(result.jobID)")
        }
        guard try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM documents WHERE id = ?"), arguments: [result.documentID]) != nil
        else {
            throw StoreError.notFound("document #\(result.documentID)")
        }
        try checkClaim(db, documentID: result.documentID, jobID: result.jobID, worker: worker)

        // A failed run produced nothing usable: the values of the last good run stay in place.
        if result.outcome != .failed {
            try db.cachedStatement(sql: "DELETE FROM extractions WHERE document_id = ?").execute(
                arguments: try .checked([result.documentID]))
            for (extraction, valueJSON) in values {
                try Self.insert(db, extraction, documentID: result.documentID, valueJSON: valueJSON)
            }
        }

        let firstError = result.errors.first
        try db.cachedStatement(
            sql: """
                INSERT INTO document_outcomes (document_id, job_id, codebook_version, content_hash, outcome,
                    error_kind, reason, updated_at, tokens_in, tokens_out, tokens_cached, cost)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (document_id) DO UPDATE SET
                    job_id = excluded.job_id, codebook_version = excluded.codebook_version,
                    content_hash = excluded.content_hash, outcome = excluded.outcome,
                    error_kind = excluded.error_kind, reason = excluded.reason, updated_at = excluded.updated_at,
                    tokens_in = excluded.tokens_in, tokens_out = excluded.tokens_out,
                    tokens_cached = excluded.tokens_cached, cost = excluded.cost
                """
        ).execute(
            arguments: try .checked([
                result.documentID, result.jobID, result.codebookVersion, result.contentHash,
                result.outcome.rawValue, firstError?.kind.rawValue, firstError?.reason, now,
                result.tokensIn, result.tokensOut, result.tokensCached, result.cost,
            ]))

        for error in result.errors {
            try Self.insert(db, error, fallbackJobID: result.jobID)
        }

        let failed = result.outcome == .failed
        try db.cachedStatement(
            sql: """
                UPDATE jobs SET processed = processed + 1,
                    succeeded = succeeded + ?, flagged = flagged + ?, failed = failed + ?,
                    consecutive_failures = CASE WHEN ? THEN consecutive_failures + 1 ELSE 0 END,
                    tokens_in = tokens_in + ?, tokens_out = tokens_out + ?, tokens_cached = tokens_cached + ?,
                    cost = CASE WHEN ? IS NULL THEN cost ELSE COALESCE(cost, 0) + ? END
                WHERE id = ?
                """
        ).execute(
            arguments: try .checked([
                result.outcome == .succeeded ? 1 : 0, result.outcome == .flagged ? 1 : 0, failed ? 1 : 0,
                failed, result.tokensIn, result.tokensOut, result.tokensCached, result.cost, result.cost, result.jobID,
            ]))

        let message =
            failed
            ? firstError.map { "\($0.kind.rawValue): \($0.reason)" } ?? result.outcome.rawValue
            : result.outcome.rawValue
        try Self.appendEvent(
            db, jobID: result.jobID, kind: failed ? .docFailed : .docCompleted,
            documentID: result.documentID, message: message)
    }

    /// The project's values ordered by document, then in the order they were recorded; `documentID`
    /// narrows them to one document.
    public func entityCounts(projectID: Int64) async throws -> (entities: Int, documents: Int) {
        try await writer.read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) AS entities, COUNT(DISTINCT document_id) AS documents FROM (
                        SELECT DISTINCT e.document_id, e.entity_index FROM extractions e
                        JOIN documents d ON d.id = e.document_id
                        WHERE d.project_id = ? AND e.entity_index > 0)
                    """,
                arguments: try .checked([projectID]))
            return (row?["entities"] ?? 0, row?["documents"] ?? 0)
        }
    }

    public func extractions(projectID: Int64, documentID: Int64?) async throws -> [Extraction] {
        try await writer.read { db in
            let rows: [Row]
            if let documentID {
                rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT e.* FROM extractions e JOIN documents d ON d.id = e.document_id
                        WHERE d.project_id = ? AND e.document_id = ?
                        ORDER BY e.id
                        """,
                    arguments: try .checked([projectID, documentID]))
            } else {
                rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT e.* FROM extractions e JOIN documents d ON d.id = e.document_id
                        WHERE d.project_id = ?
                        ORDER BY e.document_id, e.id
                        """,
                    arguments: try .checked([projectID]))
            }
            return try rows.map(Extraction.init(row:))
        }
    }

    /// The latest outcome of each of the project's documents that has one, in document order.
    public func outcomes(projectID: Int64) async throws -> [DocumentOutcome] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT o.* FROM document_outcomes o JOIN documents d ON d.id = o.document_id
                    WHERE d.project_id = ?
                    ORDER BY o.document_id
                    """,
                arguments: try .checked([projectID])
            ).map(DocumentOutcome.init(row:))
        }
    }

    /// The project's error records in the order they were written, all of them or one job's.
    public func errorRecords(projectID: Int64, jobID: Int64?) async throws -> [ErrorRecord] {
        try await writer.read { db in
            let rows: [Row]
            if let jobID {
                rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM error_records WHERE project_id = ? AND job_id = ? ORDER BY id",
                    arguments: try .checked([projectID, jobID]))
            } else {
                rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM error_records WHERE project_id = ? ORDER BY id",
                    arguments: try .checked([projectID]))
            }
            return try rows.map(ErrorRecord.init(row:))
        }
    }

    static func insert(_ db: Database, _ extraction: Extraction, documentID: Int64, valueJSON: String) throws {
        let evidence = extraction.evidence
        try db.cachedStatement(
            sql: """
                INSERT INTO extractions (document_id, variable, entity_index, entity_text, value_json, confidence,
                    evidence_quote, evidence_start, evidence_end, evidence_match, rationale, status, error,
                    codebook_version, prompt_hash, model, job_id, created_at, settings_json, run_values_json,
                    run_agreement, model_confidence)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: try .checked([
                documentID, extraction.variable, extraction.entityIndex, extraction.entityText, valueJSON,
                extraction.confidence, evidence?.quote, evidence?.start, evidence?.end,
                evidence?.match.rawValue, extraction.rationale, extraction.status.rawValue, extraction.error,
                extraction.codebookVersion, extraction.promptHash, extraction.model, extraction.jobID,
                extraction.createdAt.storedSeconds, try extraction.settings.map(StoredJSON.encode),
                extraction.runValues.map { JSONValue.array($0.map { $0 ?? .null }).serialized() },
                extraction.runAgreement, extraction.modelConfidence,
            ]))
    }

    /// Inserts an error record under a new id. Its project comes from its job, else its document, else
    /// the job of the result that carries it.
    static func insert(_ db: Database, _ error: ErrorRecord, fallbackJobID: Int64) throws {
        try db.execute(
            sql: """
                INSERT INTO error_records (project_id, job_id, document_id, kind, reason, response_hash, excerpt,
                    created_at)
                VALUES (COALESCE((SELECT project_id FROM jobs WHERE id = ?),
                                 (SELECT project_id FROM documents WHERE id = ?),
                                 (SELECT project_id FROM jobs WHERE id = ?)),
                        ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: try .checked([
                error.jobID, error.documentID, fallbackJobID, error.jobID, error.documentID,
                error.kind.rawValue, error.reason, error.responseHash, error.excerpt,
                error.createdAt.storedSeconds,
            ]))
    }

    public func addErrorRecord(_ record: ErrorRecord, projectID: Int64) async throws {
        try await writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO error_records (project_id, job_id, document_id, kind, reason, response_hash, excerpt, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: try .checked([
                    projectID, record.jobID, record.documentID, record.kind.rawValue, record.reason,
                    record.responseHash, record.excerpt, Date().storedSeconds,
                ]))
        }
    }
}
