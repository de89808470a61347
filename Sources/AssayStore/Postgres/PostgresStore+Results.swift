import AssayCore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Writes one document's result in a single transaction: its values (replacing earlier ones unless
    /// the outcome is `failed`), its outcome, its error records, the job's counters and a job event.
    /// When any step throws, for example two values sharing (variable, entity index), nothing is written.
    public func record(_ result: DocumentResult) async throws {
        try await record([result])
    }

    /// Writes several documents' results (a packed request's) in one transaction, each as
    /// `record(_:)` writes one; when any of them throws, none is written.
    public func record(_ results: [DocumentResult]) async throws {
        // Serialise values before the transaction.
        let prepared = results.map { result in (result, result.extractions.map { ($0, $0.value.serialized()) }) }
        try await write { [worker] db in
            for (result, values) in prepared { try await Self.record(db, result, values: values, worker: worker) }
        }
    }

    static func record(_ db: PostgresSession, _ result: DocumentResult, values: [(Extraction, String)], worker: String) async throws {
        let now = Date()
        // The job's row first, as every transaction on a job and its claims takes it (`lockJob`).
        guard try await db.row("SELECT id FROM jobs WHERE id = \(result.jobID) FOR UPDATE") != nil else {
            throw StoreError.notFound("job #\(result.jobID)")
        }
        guard try await db.row("SELECT id FROM documents WHERE id = \(result.documentID)") != nil else {
            throw StoreError.notFound("document #\(result.documentID)")
        }
        try await checkClaim(db, documentID: result.documentID, jobID: result.jobID, worker: worker)

        // A failed run produced nothing usable: the values of the last good run stay in place.
        if result.outcome != .failed {
            try await db.execute("DELETE FROM extractions WHERE document_id = \(result.documentID)")
            for (extraction, valueJSON) in values {
                try await insert(db, extraction, documentID: result.documentID, valueJSON: valueJSON)
            }
        }

        let firstError = result.errors.first
        try await db.execute(
            """
            INSERT INTO document_outcomes (document_id, job_id, codebook_version, content_hash, outcome,
                error_kind, reason, updated_at, tokens_in, tokens_out, tokens_cached, cost)
            VALUES (\(result.documentID), \(result.jobID), \(result.codebookVersion), \(result.contentHash),
                \(result.outcome.rawValue), \(firstError?.kind.rawValue), \(firstError?.reason), \(now),
                \(result.tokensIn), \(result.tokensOut), \(result.tokensCached), \(result.cost))
            ON CONFLICT (document_id) DO UPDATE SET
                job_id = excluded.job_id, codebook_version = excluded.codebook_version,
                content_hash = excluded.content_hash, outcome = excluded.outcome,
                error_kind = excluded.error_kind, reason = excluded.reason, updated_at = excluded.updated_at,
                tokens_in = excluded.tokens_in, tokens_out = excluded.tokens_out,
                tokens_cached = excluded.tokens_cached, cost = excluded.cost
            """)

        for error in result.errors {
            try await insert(db, error, fallbackJobID: result.jobID)
        }

        // Increments in one UPDATE, so workers recording into one job at once never lose a count.
        let failed = result.outcome == .failed
        try await db.execute(
            """
            UPDATE jobs SET processed = processed + 1,
                succeeded = succeeded + \(result.outcome == .succeeded ? 1 : 0),
                flagged = flagged + \(result.outcome == .flagged ? 1 : 0),
                failed = failed + \(failed ? 1 : 0),
                consecutive_failures = CASE WHEN \(failed) THEN consecutive_failures + 1 ELSE 0 END,
                tokens_in = tokens_in + \(result.tokensIn), tokens_out = tokens_out + \(result.tokensOut),
                tokens_cached = tokens_cached + \(result.tokensCached),
                cost = CASE WHEN \(result.cost)::DOUBLE PRECISION IS NULL THEN cost
                    ELSE COALESCE(cost, 0) + \(result.cost)::DOUBLE PRECISION END
            WHERE id = \(result.jobID)
            """)

        let message =
            failed
            ? firstError.map { "\($0.kind.rawValue): \($0.reason)" } ?? result.outcome.rawValue
            : result.outcome.rawValue
        try await appendEvent(
            db, jobID: result.jobID, kind: failed ? .docFailed : .docCompleted, documentID: result.documentID, message: message)
    }

    /// For a project that codes entities: how many entities have values, and in how many documents.
    public func entityCounts(projectID: Int64) async throws -> (entities: Int, documents: Int) {
        try await read { db in
            let row = try await db.row(
                """
                SELECT COUNT(*) AS entities, COUNT(DISTINCT document_id) AS documents FROM (
                    SELECT DISTINCT e.document_id, e.entity_index FROM extractions e
                    JOIN documents d ON d.id = e.document_id
                    WHERE d.project_id = \(projectID) AND e.entity_index > 0) AS found
                """)
            return (try row?.field("entities", as: Int.self) ?? 0, try row?.field("documents", as: Int.self) ?? 0)
        }
    }

    /// The project's values ordered by document, then in the order they were recorded; `documentID`
    /// narrows them to one document.
    public func extractions(projectID: Int64, documentID: Int64?) async throws -> [Extraction] {
        var sql: SQL = "SELECT e.* FROM extractions e JOIN documents d ON d.id = e.document_id WHERE d.project_id = \(projectID)"
        if let documentID { sql.append(" AND e.document_id = \(documentID)") }
        sql.append(" ORDER BY e.document_id, e.id")
        let query = sql
        return try await read { db in try await db.rows(query).map(Extraction.init(row:)) }
    }

    /// The latest outcome of each of the project's documents that has one, in document order.
    public func outcomes(projectID: Int64) async throws -> [DocumentOutcome] {
        try await read { db in
            try await db.rows(
                """
                SELECT o.* FROM document_outcomes o JOIN documents d ON d.id = o.document_id
                WHERE d.project_id = \(projectID) ORDER BY o.document_id
                """
            ).map(DocumentOutcome.init(row:))
        }
    }

    /// The project's error records in the order they were written, all of them or one job's.
    public func errorRecords(projectID: Int64, jobID: Int64?) async throws -> [ErrorRecord] {
        var sql: SQL = "SELECT * FROM error_records WHERE project_id = \(projectID)"
        if let jobID { sql.append(" AND job_id = \(jobID)") }
        sql.append(" ORDER BY id")
        let query = sql
        return try await read { db in try await db.rows(query).map(ErrorRecord.init(row:)) }
    }

    static func insert(_ db: PostgresSession, _ extraction: Extraction, documentID: Int64, valueJSON: String) async throws {
        let evidence = extraction.evidence
        let settings = try extraction.settings.map(StoredJSON.encode)
        let runValues = extraction.runValues.map { JSONValue.array($0.map { $0 ?? .null }).serialized() }
        try await db.execute(
            """
            INSERT INTO extractions (document_id, variable, entity_index, entity_text, value_json, confidence,
                evidence_quote, evidence_start, evidence_end, evidence_match, rationale, status, error,
                codebook_version, prompt_hash, model, job_id, created_at, settings_json, run_values_json,
                run_agreement, model_confidence)
            VALUES (\(documentID), \(extraction.variable), \(extraction.entityIndex), \(extraction.entityText), \(valueJSON),
                \(extraction.confidence), \(evidence?.quote), \(evidence?.start), \(evidence?.end), \(evidence?.match.rawValue),
                \(extraction.rationale), \(extraction.status.rawValue), \(extraction.error), \(extraction.codebookVersion),
                \(extraction.promptHash), \(extraction.model), \(extraction.jobID), \(extraction.createdAt), \(settings),
                \(runValues), \(extraction.runAgreement), \(extraction.modelConfidence))
            """)
    }

    /// Inserts an error record under a new id. Its project comes from its job, else its document, else
    /// the job of the result that carries it.
    static func insert(_ db: PostgresSession, _ error: ErrorRecord, fallbackJobID: Int64) async throws {
        try await db.execute(
            """
            INSERT INTO error_records (project_id, job_id, document_id, kind, reason, response_hash, excerpt, created_at)
            VALUES (COALESCE((SELECT project_id FROM jobs WHERE id = \(error.jobID)),
                             (SELECT project_id FROM documents WHERE id = \(error.documentID)),
                             (SELECT project_id FROM jobs WHERE id = \(fallbackJobID))),
                    \(error.jobID), \(error.documentID), \(error.kind.rawValue), \(error.reason), \(error.responseHash),
                    \(error.excerpt), \(error.createdAt))
            """)
    }

    public func addErrorRecord(_ record: ErrorRecord, projectID: Int64) async throws {
        try await write { db in
            try await db.execute(
                """
                INSERT INTO error_records (project_id, job_id, document_id, kind, reason, response_hash, excerpt, created_at)
                VALUES (\(projectID), \(record.jobID), \(record.documentID), \(record.kind.rawValue), \(record.reason),
                    \(record.responseHash), \(record.excerpt), \(Date()))
                """)
        }
    }
}
