import AssayCore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Replaces the job's metrics (one row per job).
    public func saveMetrics(_ metrics: JobMetrics, jobID: Int64) async throws {
        let json = try StoredJSON.encode(metrics)
        try await write { db in
            guard try await db.row("SELECT 1 FROM jobs WHERE id = \(jobID)") != nil else {
                throw StoreError.notFound("job #\(jobID)")
            }
            try await db.execute(
                """
                INSERT INTO job_metrics (job_id, metrics_json, updated_at) VALUES (\(jobID), \(json), \(Date()))
                ON CONFLICT (job_id) DO UPDATE SET metrics_json = excluded.metrics_json, updated_at = excluded.updated_at
                """)
        }
    }

    public func metrics(jobID: Int64) async throws -> JobMetrics? {
        let json = try await read { db in
            try await db.row("SELECT metrics_json FROM job_metrics WHERE job_id = \(jobID)")?.field("metrics_json", as: String.self)
        }
        return try json.map { try StoredJSON.decode(JobMetrics.self, from: $0) }
    }
}
