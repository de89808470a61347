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

    /// Migration "v14: workers on a job": claims per job and worker, which workers work on each
    /// job (`job_workers`, with their heartbeats), and which jobs are queued for workers.
    static func registerWorkers(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v14: workers on a job") { db in
            try db.execute(
                sql: """
                    ALTER TABLE document_claims ADD COLUMN worker TEXT NOT NULL DEFAULT '';
                    CREATE TABLE job_workers (
                        job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
                        worker TEXT NOT NULL,
                        heartbeat_at REAL NOT NULL,
                        PRIMARY KEY (job_id, worker)
                    );
                    ALTER TABLE jobs ADD COLUMN queued INTEGER NOT NULL DEFAULT 0;
                    """)
        }
    }

    public func claim(documentIDs: [Int64], jobID: Int64, codebookVersion: Int, skipDone: Bool, lease: Duration) async throws -> Claim {
        try await writer.write { [worker] db in
            let now = Date().storedSeconds
            var claim = Claim()
            try db.execute(sql: "UPDATE jobs SET claims_work = 1 WHERE id = ?", arguments: [jobID])
            let done = try db.cachedStatement(
                sql: """
                    SELECT 1 FROM document_outcomes o JOIN documents d ON d.id = o.document_id
                    WHERE o.document_id = ? AND (o.job_id = ? OR (? AND o.codebook_version = ?
                      AND o.content_hash = d.content_hash AND o.outcome IN (?, ?)))
                    """)
            let holder = try db.cachedStatement(sql: "SELECT job_id, worker, lease_until FROM document_claims WHERE document_id = ?")
            let take = try db.cachedStatement(
                sql: """
                    INSERT INTO document_claims (document_id, job_id, worker, lease_until) VALUES (?, ?, ?, ?)
                    ON CONFLICT (document_id) DO UPDATE SET job_id = excluded.job_id, worker = excluded.worker,
                        lease_until = excluded.lease_until
                    """)
            let doneKinds = [DocumentOutcomeKind.succeeded.rawValue, DocumentOutcomeKind.flagged.rawValue]
            for id in documentIDs {
                if try Int.fetchOne(done, arguments: [id, jobID, skipDone, codebookVersion, doneKinds[0], doneKinds[1]]) != nil {
                    claim.done.append(id)
                    continue
                }
                if let row = try Row.fetchOne(holder, arguments: [id]), let other: Int64 = row["job_id"],
                    other != jobID || row["worker"] != worker, (row["lease_until"] as Double? ?? 0) > now
                {
                    claim.heldElsewhere[id] = other
                    continue
                }
                try take.execute(arguments: [id, jobID, worker, now + lease.seconds])
                claim.claimed.append(id)
            }
            return claim
        }
    }

    public func renewClaims(jobID: Int64, lease: Duration) async throws {
        try await writer.write { [worker] db in
            let now = Date().storedSeconds
            try db.execute(
                sql: "UPDATE document_claims SET lease_until = ? WHERE job_id = ? AND worker = ?",
                arguments: [now + lease.seconds, jobID, worker])
            try db.execute(
                sql: """
                    INSERT INTO job_workers (job_id, worker, heartbeat_at) VALUES (?, ?, ?)
                    ON CONFLICT (job_id, worker) DO UPDATE SET heartbeat_at = excluded.heartbeat_at
                    """, arguments: [jobID, worker, now])
            try db.execute(sql: "UPDATE jobs SET heartbeat_at = ?, worker = ? WHERE id = ?", arguments: [now, worker, jobID])
        }
    }

    public func releaseClaims(jobID: Int64, documentIDs: [Int64]?) async throws {
        try await writer.write { [worker] db in
            guard let documentIDs else {
                try db.execute(sql: "DELETE FROM document_claims WHERE job_id = ? AND worker = ?", arguments: [jobID, worker])
                try db.execute(sql: "DELETE FROM job_workers WHERE job_id = ? AND worker = ?", arguments: [jobID, worker])
                // The last worker of a queued job that is still running (it was stopped, not
                // finished): the job goes back to the queue at once.
                let orphaned =
                    try Bool.fetchOne(
                        db,
                        sql: """
                            SELECT 1 FROM jobs WHERE id = ? AND queued = 1 AND status = ?
                              AND NOT EXISTS (SELECT 1 FROM job_workers WHERE job_id = jobs.id)
                            """, arguments: [jobID, JobStatus.running.rawValue]) ?? false
                if orphaned {
                    try Self.setJobStatus(db, .pending, error: nil, jobID: jobID)
                    try Self.appendEvent(db, jobID: jobID, kind: .jobQueued, documentID: nil, message: Self.stoppedWorker)
                }
                return
            }
            let release = try db.cachedStatement(sql: "DELETE FROM document_claims WHERE job_id = ? AND worker = ? AND document_id = ?")
            for id in documentIDs { try release.execute(arguments: [jobID, worker, id]) }
        }
    }

    public func sweepAbandonedJobs(silentSince: Date, isGone: @escaping @Sendable (String) -> Bool) async throws -> [Job] {
        try await writer.write { db in
            let running = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, COALESCE(heartbeat_at, started_at, created_at) AS beat, worker, queued FROM jobs
                    WHERE status = ? ORDER BY id
                    """,
                arguments: [JobStatus.running.rawValue])
            let silence = silentSince.storedSeconds
            return try running.compactMap { row -> Job? in
                let (id, beat, worker, queued): (Int64, Double, String?, Bool) = (row["id"], row["beat"] ?? 0, row["worker"], row["queued"])
                let members = try Row.fetchAll(db, sql: "SELECT worker, heartbeat_at FROM job_workers WHERE job_id = ?", arguments: [id])
                    .map { (worker: $0["worker"] as String, beat: $0["heartbeat_at"] as Double) }
                let dead = members.filter { isGone($0.worker) || $0.beat < silence }
                for member in dead {
                    try db.execute(sql: "DELETE FROM document_claims WHERE job_id = ? AND worker = ?", arguments: [id, member.worker])
                    try db.execute(sql: "DELETE FROM job_workers WHERE job_id = ? AND worker = ?", arguments: [id, member.worker])
                }
                // A job some worker still works on is left to it; one no worker ever beat for
                // is judged by the job's own heartbeat (set when it started).
                guard dead.count == members.count else { return nil }
                let gone = members.isEmpty ? worker.map(isGone) ?? false : dead.allSatisfy { isGone($0.worker) }
                guard !members.isEmpty || gone || beat < silence else { return nil }
                let lastBeat = members.map(\.beat).max() ?? beat
                let reason = AbandonedJob.reason(heartbeat: Date(timeIntervalSince1970: lastBeat), workerGone: gone, queued: queued)
                try Self.setJobStatus(db, queued ? .pending : .paused, error: reason, jobID: id)
                try db.execute(sql: "DELETE FROM document_claims WHERE job_id = ?", arguments: [id])
                try Self.appendEvent(db, jobID: id, kind: queued ? .jobQueued : .jobPaused, documentID: nil, message: reason)
                return try Self.job(db, id: id)
            }
        }
    }

    /// Refuses a result for a document another job holds, or that this job claimed and lost;
    /// ends this job's claim on it.
    static func checkClaim(_ db: Database, documentID: Int64, jobID: Int64, worker: String) throws {
        let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT job_id, worker FROM document_claims WHERE document_id = ?"), arguments: [documentID])
        let holder: Int64? = row?["job_id"]
        if let holder, holder != jobID || row?["worker"] != worker {
            throw StoreError.claimLost(documentID: documentID, heldBy: holder)
        }
        if holder == nil,
            try Bool.fetchOne(db.cachedStatement(sql: "SELECT claims_work FROM jobs WHERE id = ?"), arguments: [jobID]) == true
        {
            throw StoreError.claimLost(documentID: documentID, heldBy: nil)
        }
        try db.cachedStatement(sql: "DELETE FROM document_claims WHERE document_id = ? AND job_id = ? AND worker = ?").execute(
            arguments: [documentID, jobID, worker])
    }
}
