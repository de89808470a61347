import AssayCore
import Foundation
import PostgresNIO

extension PostgresStore: BatchLedger {
    public func recordBatch(_ batch: ProviderBatch, keys: [String]) async throws -> Int64 {
        try await write { db in
            let row = try await db.row(
                """
                INSERT INTO provider_batches (provider, model, remote_id, job_id, state, item_count, submitted_at, reason)
                VALUES (\(batch.provider), \(batch.model), \(batch.remoteID), \(batch.jobID), \(batch.state.rawValue),
                    \(keys.count), \(batch.submittedAt), \(batch.reason))
                RETURNING id
                """)
            let id = try row!.field("id", as: Int64.self)
            try await db.execute(
                """
                INSERT INTO provider_batch_items (batch_id, request_key)
                SELECT \(id), key FROM unnest(\(keys)) AS key
                ON CONFLICT DO NOTHING
                """)
            return id
        }
    }

    public func openBatches(provider: String, model: String, since: Date) async throws -> [ProviderBatch] {
        try await read { db in
            let rows = try await db.rows(
                """
                SELECT * FROM provider_batches b
                WHERE provider = \(provider) AND model = \(model) AND state != 'failed'
                  AND (state = 'in_progress' OR (submitted_at >= \(since) AND EXISTS (
                    SELECT 1 FROM provider_batch_items i WHERE i.batch_id = b.id AND NOT i.delivered)))
                ORDER BY id
                """)
            var batches: [ProviderBatch] = []
            for row in rows {
                var batch = try Self.batch(row)
                // By key, the order SQLite's table (keyed by batch and key) returns them in.
                batch.waitingKeys = try await db.rows(
                    """
                    SELECT request_key FROM provider_batch_items WHERE batch_id = \(batch.id) AND NOT delivered
                    ORDER BY request_key COLLATE "C"
                    """
                ).map { try $0.field("request_key", as: String.self) }
                batches.append(batch)
            }
            return batches
        }
    }

    public func setBatchState(_ state: BatchState, reason: String?, batchID: Int64) async throws {
        try await write { db in
            try await db.execute(
                "UPDATE provider_batches SET state = \(state.rawValue), reason = COALESCE(\(reason), reason) WHERE id = \(batchID)")
        }
    }

    public func setRemoteID(_ remoteID: String, batchID: Int64) async throws {
        try SQL.refuseNUL(remoteID, field: "remote_id")
        try await write { db in try await db.execute("UPDATE provider_batches SET remote_id = \(remoteID) WHERE id = \(batchID)") }
    }

    public func forgetBatch(batchID: Int64) async throws {
        try await write { db in try await db.execute("DELETE FROM provider_batches WHERE id = \(batchID)") }
    }

    public func markDelivered(keys: [String], batchID: Int64) async throws {
        guard !keys.isEmpty else { return }
        try await write { db in
            try await db.execute(
                "UPDATE provider_batch_items SET delivered = true WHERE batch_id = \(batchID) AND request_key = ANY(\(keys))")
        }
    }

    public func batches(jobID: Int64) async throws -> [ProviderBatch] {
        try await read { db in
            try await db.rows("SELECT * FROM provider_batches WHERE job_id = \(jobID) ORDER BY id").map(Self.batch)
        }
    }

    private static func batch(_ row: PostgresRandomAccessRow) throws -> ProviderBatch {
        ProviderBatch(
            id: try row.field("id"), provider: try row.field("provider"), model: try row.field("model"),
            remoteID: try row.field("remote_id"), jobID: try row.field("job_id"),
            state: BatchState(rawValue: try row.field("state")) ?? .failed, itemCount: try row.field("item_count"),
            submittedAt: try row.field("submitted_at"), reason: try row.field("reason"))
    }
}
