import AssayCore
import Foundation
import GRDB

extension SQLiteStore: WorkClaims {
    /// Migration "v12: work claims": who codes which document now (`document_claims`, one row per
    /// claimed document with its job and lease), and each job's heartbeat.
    static func registerClaims(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v12: work claims") { db in
            try db.execute(
                sql: """
                    CREATE TABLE document_claims (
                        document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
                        job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
                        lease_until REAL NOT NULL
                    );
                    CREATE INDEX document_claims_job ON document_claims(job_id);
                    ALTER TABLE jobs ADD COLUMN heartbeat_at REAL;
                    ALTER TABLE jobs ADD COLUMN claims_work INTEGER NOT NULL DEFAULT 0;
                    """)
        }
        // Which process runs the job (`Worker`), so one gone from this machine is swept at once.
        migrator.registerMigration("v13: job workers") { db in
            try db.execute(sql: "ALTER TABLE jobs ADD COLUMN worker TEXT")
        }
    }

    public func claim(documentIDs: [Int64], jobID: Int64, codebookVersion: Int, skipDone: Bool, lease: Duration) async throws -> Claim {
        try await writer.write { db in
            let now = Date().storedSeconds
            var claim = Claim()
            try db.execute(sql: "UPDATE jobs SET claims_work = 1 WHERE id = ?", arguments: [jobID])
            let done = try db.cachedStatement(
                sql: """
                    SELECT 1 FROM document_outcomes o JOIN documents d ON d.id = o.document_id
                    WHERE o.document_id = ? AND o.codebook_version = ? AND o.content_hash = d.content_hash
                      AND o.outcome IN (?, ?)
                    """)
            let holder = try db.cachedStatement(sql: "SELECT job_id, lease_until FROM document_claims WHERE document_id = ?")
            let take = try db.cachedStatement(
                sql: """
                    INSERT INTO document_claims (document_id, job_id, lease_until) VALUES (?, ?, ?)
                    ON CONFLICT (document_id) DO UPDATE SET job_id = excluded.job_id, lease_until = excluded.lease_until
                    """)
            for id in documentIDs {
                if skipDone,
                    try Int.fetchOne(
                        done,
                        arguments: [id, codebookVersion, DocumentOutcomeKind.succeeded.rawValue, DocumentOutcomeKind.flagged.rawValue])
                        != nil
                {
                    claim.done.append(id)
                    continue
                }
                if let row = try Row.fetchOne(holder, arguments: [id]), let other: Int64 = row["job_id"], other != jobID,
                    (row["lease_until"] as Double? ?? 0) > now
                {
                    claim.heldElsewhere[id] = other
                    continue
                }
                try take.execute(arguments: [id, jobID, now + lease.seconds])
                claim.claimed.append(id)
            }
            return claim
        }
    }

    public func renewClaims(jobID: Int64, lease: Duration, worker: String) async throws {
        try await writer.write { db in
            let now = Date().storedSeconds
            try db.execute(sql: "UPDATE document_claims SET lease_until = ? WHERE job_id = ?", arguments: [now + lease.seconds, jobID])
            try db.execute(sql: "UPDATE jobs SET heartbeat_at = ?, worker = ? WHERE id = ?", arguments: [now, worker, jobID])
        }
    }

    public func releaseClaims(jobID: Int64, documentIDs: [Int64]?) async throws {
        try await writer.write { db in
            guard let documentIDs else {
                try db.execute(sql: "DELETE FROM document_claims WHERE job_id = ?", arguments: [jobID])
                return
            }
            let release = try db.cachedStatement(sql: "DELETE FROM document_claims WHERE job_id = ? AND document_id = ?")
            for id in documentIDs { try release.execute(arguments: [jobID, id]) }
        }
    }

    public func sweepAbandonedJobs(silentSince: Date, isGone: @escaping @Sendable (String) -> Bool) async throws -> [Job] {
        try await writer.write { db in
            let running = try Row.fetchAll(
                db,
                sql: "SELECT id, COALESCE(heartbeat_at, started_at, created_at) AS beat, worker FROM jobs WHERE status = ? ORDER BY id",
                arguments: [JobStatus.running.rawValue])
            return try running.compactMap { row -> Job? in
                let (id, beat, worker): (Int64, Double, String?) = (row["id"], row["beat"] ?? 0, row["worker"])
                let gone = worker.map(isGone) ?? false
                guard gone || beat < silentSince.storedSeconds else { return nil }
                let reason = AbandonedJob.reason(heartbeat: Date(timeIntervalSince1970: beat), workerGone: gone)
                try Self.setJobStatus(db, .paused, error: reason, jobID: id)
                try db.execute(sql: "DELETE FROM document_claims WHERE job_id = ?", arguments: [id])
                try Self.appendEvent(db, jobID: id, kind: .jobPaused, documentID: nil, message: reason)
                return try Self.job(db, id: id)
            }
        }
    }

    /// Refuses a result for a document another job holds, or that this job claimed and lost;
    /// ends this job's claim on it.
    static func checkClaim(_ db: Database, documentID: Int64, jobID: Int64) throws {
        let holder = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT job_id FROM document_claims WHERE document_id = ?"), arguments: [documentID])
        if let holder, holder != jobID { throw StoreError.claimLost(documentID: documentID, heldBy: holder) }
        if holder == nil,
            try Bool.fetchOne(db.cachedStatement(sql: "SELECT claims_work FROM jobs WHERE id = ?"), arguments: [jobID]) == true
        {
            throw StoreError.claimLost(documentID: documentID, heldBy: nil)
        }
        try db.cachedStatement(sql: "DELETE FROM document_claims WHERE document_id = ? AND job_id = ?").execute(
            arguments: [documentID, jobID])
    }
}
