import AssayCore
import AssayStore
import Foundation
import PostgresNIO

extension PostgresStore {
    public func savePattern(_ p: StoredPattern) async throws {
        try await write { db in
            try await db.execute(
                """
                INSERT INTO failure_patterns (pattern_id, project_id, document_id, source_trace_id, job_id, failure_type,
                    trigger_condition, severity, confidence, pattern_json, extracted_at)
                VALUES (\(p.patternID), \(p.projectID), \(p.documentID), \(p.sourceTraceID), \(p.jobID), \(p.failureType),
                    \(p.triggerCondition), \(p.severity), \(p.confidence), \(p.json), \(p.extractedAt))
                ON CONFLICT (project_id, source_trace_id) DO UPDATE SET
                    pattern_id = excluded.pattern_id, document_id = excluded.document_id, job_id = excluded.job_id,
                    failure_type = excluded.failure_type, trigger_condition = excluded.trigger_condition,
                    severity = excluded.severity, confidence = excluded.confidence,
                    pattern_json = excluded.pattern_json, extracted_at = excluded.extracted_at
                """)
        }
    }

    public func patterns(projectID: Int64, filter: PatternFilter) async throws -> [StoredPattern] {
        var sql: SQL = "SELECT * FROM failure_patterns WHERE project_id = \(projectID)"
        if let type = filter.failureType { sql.append(" AND failure_type = \(type)") }
        if let trigger = filter.triggerCondition { sql.append(" AND trigger_condition = \(trigger)") }
        if let confidence = filter.minConfidence { sql.append(" AND confidence >= \(confidence)") }
        if let job = filter.jobID { sql.append(" AND job_id = \(job)") }
        // source_trace_id is COLLATE "C": bytewise, as SQLite orders it.
        sql.append(" ORDER BY source_trace_id")
        let query = sql
        return try await read { db in
            try await db.rows(query).map { row in
                StoredPattern(
                    patternID: try row.field("pattern_id"), projectID: try row.field("project_id"),
                    documentID: try row.field("document_id"), sourceTraceID: try row.field("source_trace_id"),
                    jobID: try row.field("job_id"), failureType: try row.field("failure_type"),
                    triggerCondition: try row.field("trigger_condition"), severity: try row.field("severity"),
                    confidence: try row.field("confidence"), json: try row.field("pattern_json"),
                    extractedAt: try row.field("extracted_at"))
            }
        }
    }

    public func documentsWithoutPattern(projectID: Int64, limit: Int) async throws -> [Int64] {
        try await read { db in
            try await db.rows(
                """
                SELECT d.id FROM documents d
                WHERE d.project_id = \(projectID) AND d.status = 'ready'
                  AND NOT EXISTS (SELECT 1 FROM failure_patterns p WHERE p.document_id = d.id)
                ORDER BY d.id LIMIT \(limit)
                """
            ).map { try $0.field("id", as: Int64.self) }
        }
    }

    public func saveRunSummary(_ json: String, jobID: Int64) async throws {
        try await write { db in
            try await db.execute(
                """
                INSERT INTO run_summaries (job_id, summary_json, updated_at) VALUES (\(jobID), \(json), \(Date()))
                ON CONFLICT (job_id) DO UPDATE SET summary_json = excluded.summary_json, updated_at = excluded.updated_at
                """)
        }
    }

    public func runSummaries(projectID: Int64) async throws -> [(jobID: Int64, json: String)] {
        try await read { db in
            try await db.rows(
                """
                SELECT s.job_id, s.summary_json FROM run_summaries s JOIN jobs j ON j.id = s.job_id
                WHERE j.project_id = \(projectID) ORDER BY s.job_id
                """
            ).map { (jobID: try $0.field("job_id", as: Int64.self), json: try $0.field("summary_json", as: String.self)) }
        }
    }
}
