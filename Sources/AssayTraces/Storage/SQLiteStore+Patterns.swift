import AssayCore
import AssayStore
import Foundation
import GRDB

extension SQLiteStore {
    public func savePattern(_ p: StoredPattern) async throws {
        try await writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO failure_patterns (pattern_id, project_id, document_id, source_trace_id, job_id, failure_type,
                        trigger_condition, severity, confidence, pattern_json, extracted_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(project_id, source_trace_id) DO UPDATE SET
                        pattern_id = excluded.pattern_id, document_id = excluded.document_id, job_id = excluded.job_id,
                        failure_type = excluded.failure_type, trigger_condition = excluded.trigger_condition,
                        severity = excluded.severity, confidence = excluded.confidence,
                        pattern_json = excluded.pattern_json, extracted_at = excluded.extracted_at
                    """,
                arguments: try .checked([
                    p.patternID, p.projectID, p.documentID, p.sourceTraceID, p.jobID, p.failureType,
                    p.triggerCondition, p.severity, p.confidence, p.json, p.extractedAt.storedSeconds,
                ]))
        }
    }

    public func patterns(projectID: Int64, filter: PatternFilter) async throws -> [StoredPattern] {
        var sql = "SELECT * FROM failure_patterns WHERE project_id = ?"
        var arguments: StatementArguments = [projectID]
        if let type = filter.failureType {
            sql += " AND failure_type = ?"
            arguments += try .checked([type])
        }
        if let trigger = filter.triggerCondition {
            sql += " AND trigger_condition = ?"
            arguments += try .checked([trigger])
        }
        if let confidence = filter.minConfidence {
            sql += " AND confidence >= ?"
            arguments += try .checked([confidence])
        }
        if let job = filter.jobID {
            sql += " AND job_id = ?"
            arguments += try .checked([job])
        }
        sql += " ORDER BY source_trace_id"
        let query = sql
        let args = arguments
        return try await writer.read { db in
            try Row.fetchAll(db, sql: query, arguments: args).map { row in
                StoredPattern(
                    patternID: row["pattern_id"], projectID: row["project_id"], documentID: row["document_id"],
                    sourceTraceID: row["source_trace_id"], jobID: row["job_id"], failureType: row["failure_type"],
                    triggerCondition: row["trigger_condition"], severity: row["severity"], confidence: row["confidence"],
                    json: row["pattern_json"], extractedAt: Date(timeIntervalSince1970: row["extracted_at"]))
            }
        }
    }

    public func documentsWithoutPattern(projectID: Int64, limit: Int) async throws -> [Int64] {
        try await writer.read { db in
            try Int64.fetchAll(
                db,
                sql: """
                    SELECT d.id FROM documents d
                    WHERE d.project_id = ? AND d.status = 'ready'
                      AND NOT EXISTS (SELECT 1 FROM failure_patterns p WHERE p.document_id = d.id)
                    ORDER BY d.id LIMIT ?
                    """,
                arguments: try .checked([projectID, limit]))
        }
    }

    public func saveRunSummary(_ json: String, jobID: Int64) async throws {
        try await writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO run_summaries (job_id, summary_json, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT(job_id) DO UPDATE SET summary_json = excluded.summary_json, updated_at = excluded.updated_at
                    """,
                arguments: try .checked([jobID, json, Date().storedSeconds]))
        }
    }

    public func runSummaries(projectID: Int64) async throws -> [(jobID: Int64, json: String)] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT s.job_id, s.summary_json FROM run_summaries s JOIN jobs j ON j.id = s.job_id
                    WHERE j.project_id = ? ORDER BY s.job_id
                    """,
                arguments: try .checked([projectID])
            ).map { (jobID: $0["job_id"], json: $0["summary_json"]) }
        }
    }
}
