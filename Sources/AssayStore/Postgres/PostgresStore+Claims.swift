import AssayCore
import Foundation
import PostgresNIO

extension PostgresStore: WorkClaims {
    public func claim(documentIDs: [Int64], jobID: Int64, codebookVersion: Int, skipDone: Bool, lease: Duration) async throws -> Claim {
        try await write { [worker] db in
            let now = Date()
            let until = now.addingTimeInterval(lease.seconds)
            var claim = Claim()
            try await Self.lockJob(db, jobID)
            try await db.execute("UPDATE jobs SET claims_work = TRUE WHERE id = \(jobID) AND NOT claims_work")
            for id in documentIDs {
                if try await db.row(
                    """
                    SELECT 1 FROM document_outcomes o JOIN documents d ON d.id = o.document_id
                    WHERE o.document_id = \(id) AND (o.job_id = \(jobID) OR (\(skipDone) AND o.codebook_version = \(codebookVersion)
                      AND o.content_hash = d.content_hash
                      AND o.outcome IN (\(DocumentOutcomeKind.succeeded.rawValue), \(DocumentOutcomeKind.flagged.rawValue))))
                    """) != nil
                {
                    claim.done.append(id)
                    continue
                }
                // One statement decides, so two workers claiming at once cannot both win: the
                // row is taken only when it is new, this worker's on this job, or its lease has run out.
                let taken = try await db.execute(
                    """
                    INSERT INTO document_claims (document_id, job_id, worker, lease_until) VALUES (\(id), \(jobID), \(worker), \(until))
                    ON CONFLICT (document_id) DO UPDATE SET job_id = excluded.job_id, worker = excluded.worker,
                        lease_until = excluded.lease_until
                    WHERE (document_claims.job_id = excluded.job_id AND document_claims.worker = excluded.worker)
                       OR document_claims.lease_until <= \(now)
                    RETURNING 1
                    """)
                if taken > 0 {
                    claim.claimed.append(id)
                } else if let row = try await db.row("SELECT job_id FROM document_claims WHERE document_id = \(id)") {
                    claim.heldElsewhere[id] = try row.field("job_id", as: Int64.self)
                }
            }
            return claim
        }
    }

    public func renewClaims(jobID: Int64, lease: Duration) async throws {
        try await write { [worker] db in
            let now = Date()
            try await Self.lockJob(db, jobID)
            try await db.execute(
                """
                UPDATE document_claims SET lease_until = \(now.addingTimeInterval(lease.seconds))
                WHERE job_id = \(jobID) AND worker = \(worker)
                """)
            try await db.execute(
                """
                INSERT INTO job_workers (job_id, worker, heartbeat_at) VALUES (\(jobID), \(worker), \(now))
                ON CONFLICT (job_id, worker) DO UPDATE SET heartbeat_at = excluded.heartbeat_at
                """)
            try await db.execute("UPDATE jobs SET heartbeat_at = \(now), worker = \(worker) WHERE id = \(jobID)")
        }
    }

    public func releaseClaims(jobID: Int64, documentIDs: [Int64]?) async throws {
        try await write { [worker] db in
            try await Self.lockJob(db, jobID)
            guard let documentIDs else {
                try await db.execute("DELETE FROM document_claims WHERE job_id = \(jobID) AND worker = \(worker)")
                try await db.execute("DELETE FROM job_workers WHERE job_id = \(jobID) AND worker = \(worker)")
                // The last worker of a queued job that is still running (it was stopped, not
                // finished): the job goes back to the queue at once.
                let orphaned = try await db.row(
                    """
                    SELECT 1 FROM jobs WHERE id = \(jobID) AND queued AND status = \(JobStatus.running.rawValue)
                      AND NOT EXISTS (SELECT 1 FROM job_workers WHERE job_id = jobs.id) FOR UPDATE
                    """)
                if orphaned != nil {
                    try await Self.setJobStatus(db, .pending, error: nil, jobID: jobID)
                    try await Self.appendEvent(db, jobID: jobID, kind: .jobQueued, documentID: nil, message: Self.stoppedWorker)
                }
                return
            }
            for id in documentIDs {
                try await db.execute("DELETE FROM document_claims WHERE job_id = \(jobID) AND worker = \(worker) AND document_id = \(id)")
            }
        }
    }

    public func sweepAbandonedJobs(silentSince: Date, isGone: @escaping @Sendable (String) -> Bool) async throws -> [Job] {
        try await write { db in
            let running = try await db.rows(
                """
                SELECT id, COALESCE(heartbeat_at, started_at, created_at) AS beat, worker, queued FROM jobs
                WHERE status = \(JobStatus.running.rawValue) ORDER BY id FOR UPDATE
                """)
            var swept: [Job] = []
            for row in running {
                let (id, beat) = (try row.field("id", as: Int64.self), try row.field("beat", as: Date.self))
                let (worker, queued) = (try row.field("worker", as: String?.self), try row.field("queued", as: Bool.self))
                let members = try await db.rows("SELECT worker, heartbeat_at FROM job_workers WHERE job_id = \(id)").map {
                    (worker: try $0.field("worker", as: String.self), beat: try $0.field("heartbeat_at", as: Date.self))
                }
                let dead = members.filter { isGone($0.worker) || $0.beat < silentSince }
                for member in dead {
                    try await db.execute("DELETE FROM document_claims WHERE job_id = \(id) AND worker = \(member.worker)")
                    try await db.execute("DELETE FROM job_workers WHERE job_id = \(id) AND worker = \(member.worker)")
                }
                // A job some worker still works on is left to it; one no worker ever beat for
                // is judged by the job's own heartbeat (set when it started).
                guard dead.count == members.count else { continue }
                let gone = members.isEmpty ? worker.map(isGone) ?? false : dead.allSatisfy { isGone($0.worker) }
                guard !members.isEmpty || gone || beat < silentSince else { continue }
                let lastBeat = members.map(\.beat).max() ?? beat
                let reason = AbandonedJob.reason(heartbeat: lastBeat, workerGone: gone, queued: queued)
                try await Self.setJobStatus(db, queued ? .pending : .paused, error: reason, jobID: id)
                try await db.execute("DELETE FROM document_claims WHERE job_id = \(id)")
                try await Self.appendEvent(db, jobID: id, kind: queued ? .jobQueued : .jobPaused, documentID: nil, message: reason)
                if let job = try await Self.job(db, id: id) { swept.append(job) }
            }
            return swept
        }
    }

    /// Locks the job's row. Every transaction that touches a job's row and its claims takes the
    /// row first (claims, heartbeats, releases, results, the sweep), so two workers' transactions
    /// never wait on each other in opposite orders (a deadlock).
    static func lockJob(_ db: PostgresSession, _ jobID: Int64) async throws {
        try await db.execute("SELECT 1 FROM jobs WHERE id = \(jobID) FOR UPDATE")
    }

    /// Refuses a result for a document another job or worker holds, or that this worker claimed
    /// and lost; ends its claim on it. The claim row is locked so a takeover cannot slip between.
    static func checkClaim(_ db: PostgresSession, documentID: Int64, jobID: Int64, worker: String) async throws {
        let row = try await db.row("SELECT job_id, worker FROM document_claims WHERE document_id = \(documentID) FOR UPDATE")
        let holder = try row.map { try $0.field("job_id", as: Int64.self) }
        let holdingWorker = try row.map { try $0.field("worker", as: String.self) }
        if let holder, holder != jobID || holdingWorker != worker {
            throw StoreError.claimLost(documentID: documentID, heldBy: holder)
        }
        if holder == nil, try await db.row("SELECT 1 FROM jobs WHERE id = \(jobID) AND claims_work") != nil {
            throw StoreError.claimLost(documentID: documentID, heldBy: nil)
        }
        try await db.execute("DELETE FROM document_claims WHERE document_id = \(documentID) AND job_id = \(jobID) AND worker = \(worker)")
    }
}
