import AssayCore
import Foundation
import GRDB

extension SQLiteStore {
    /// Replaces the job's metrics (one row per job).
    public func saveMetrics(_ metrics: JobMetrics, jobID: Int64) async throws {
        let json = try StoredJSON.encode(metrics)
        try await writer.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM jobs WHERE id = ?)", arguments: try .checked([jobID])) == true
            else {
                throw StoreError.notFound("job #\(jobID)")
            }
            try db.execute(
                sql: """
                    INSERT INTO job_metrics (job_id, metrics_json, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT(job_id) DO UPDATE SET metrics_json = excluded.metrics_json, updated_at = excluded.updated_at
                    """,
                arguments: try .checked([jobID, json, Date().storedSeconds]))
        }
    }

    public func metrics(jobID: Int64) async throws -> JobMetrics? {
        let json = try await writer.read { db in
            try String.fetchOne(db, sql: "SELECT metrics_json FROM job_metrics WHERE job_id = ?", arguments: try .checked([jobID]))
        }
        return try json.map { try StoredJSON.decode(JobMetrics.self, from: $0) }
    }
}
