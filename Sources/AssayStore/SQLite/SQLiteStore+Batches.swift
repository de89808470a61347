import AssayCore
import Foundation
import GRDB

extension SQLiteStore: BatchLedger {
    /// Migration "v9: provider batches": each batch submitted to a provider's batch API, and
    /// each of its requests by key with whether its reply was handed out.
    static func registerBatches(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v9: provider batches") { db in
            try db.execute(
                sql: """
                    CREATE TABLE provider_batches (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        provider TEXT NOT NULL,
                        model TEXT NOT NULL,
                        remote_id TEXT NOT NULL,
                        job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
                        state TEXT NOT NULL,
                        item_count INTEGER NOT NULL,
                        submitted_at REAL NOT NULL,
                        reason TEXT
                    );
                    CREATE INDEX provider_batches_open ON provider_batches(provider, model, state);
                    CREATE INDEX provider_batches_job ON provider_batches(job_id);
                    CREATE TABLE provider_batch_items (
                        batch_id INTEGER NOT NULL REFERENCES provider_batches(id) ON DELETE CASCADE,
                        request_key TEXT NOT NULL,
                        delivered INTEGER NOT NULL DEFAULT 0,
                        PRIMARY KEY (batch_id, request_key)
                    ) WITHOUT ROWID;
                    """)
        }
    }

    public func recordBatch(_ batch: ProviderBatch, keys: [String]) async throws -> Int64 {
        try await writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO provider_batches (provider, model, remote_id, job_id, state, item_count, submitted_at, reason)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: try .checked([
                    batch.provider, batch.model, batch.remoteID, batch.jobID, batch.state.rawValue, keys.count,
                    batch.submittedAt.storedSeconds, batch.reason,
                ]))
            let id = db.lastInsertedRowID
            let insert = try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO provider_batch_items (batch_id, request_key) VALUES (?, ?)")
            for key in keys { try insert.execute(arguments: [id, key]) }
            return id
        }
    }

    public func openBatches(provider: String, model: String, since: Date) async throws -> [ProviderBatch] {
        try await writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM provider_batches b
                    WHERE provider = ? AND model = ? AND state != 'failed'
                      AND (state = 'in_progress' OR (submitted_at >= ? AND EXISTS (
                        SELECT 1 FROM provider_batch_items i WHERE i.batch_id = b.id AND i.delivered = 0)))
                    ORDER BY id
                    """,
                arguments: [provider, model, since.storedSeconds])
            return try rows.map { row in
                var batch = Self.batch(row)
                batch.waitingKeys = try String.fetchAll(
                    db, sql: "SELECT request_key FROM provider_batch_items WHERE batch_id = ? AND delivered = 0",
                    arguments: [batch.id])
                return batch
            }
        }
    }

    public func setBatchState(_ state: BatchState, reason: String?, batchID: Int64) async throws {
        try await writer.write { db in
            try db.execute(
                sql: "UPDATE provider_batches SET state = ?, reason = COALESCE(?, reason) WHERE id = ?",
                arguments: [state.rawValue, reason, batchID])
        }
    }

    public func setRemoteID(_ remoteID: String, batchID: Int64) async throws {
        try await writer.write { db in
            try db.execute(sql: "UPDATE provider_batches SET remote_id = ? WHERE id = ?", arguments: try .checked([remoteID, batchID]))
        }
    }

    public func forgetBatch(batchID: Int64) async throws {
        try await writer.write { db in try db.execute(sql: "DELETE FROM provider_batches WHERE id = ?", arguments: [batchID]) }
    }

    public func markDelivered(keys: [String], batchID: Int64) async throws {
        guard !keys.isEmpty else { return }
        try await writer.write { db in
            let update = try db.cachedStatement(
                sql: "UPDATE provider_batch_items SET delivered = 1 WHERE batch_id = ? AND request_key = ?")
            for key in keys { try update.execute(arguments: [batchID, key]) }
        }
    }

    public func batches(jobID: Int64) async throws -> [ProviderBatch] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM provider_batches WHERE job_id = ? ORDER BY id", arguments: [jobID]).map(Self.batch)
        }
    }

    private static func batch(_ row: Row) -> ProviderBatch {
        ProviderBatch(
            id: row["id"], provider: row["provider"], model: row["model"], remoteID: row["remote_id"], jobID: row["job_id"],
            state: BatchState(rawValue: row["state"]) ?? .failed, itemCount: row["item_count"],
            submittedAt: Date(timeIntervalSince1970: row["submitted_at"]), reason: row["reason"])
    }
}
