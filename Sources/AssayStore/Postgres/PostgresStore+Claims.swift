import AssayCore
import Foundation
import PostgresNIO

extension PostgresStore: WorkClaims {
    public func claim(documentIDs: [Int64], jobID: Int64, codebookVersion: Int, skipDone: Bool, lease: Duration) async throws -> Claim {
        try await write { db in
            let now = Date()
            let until = now.addingTimeInterval(lease.seconds)
            var claim = Claim()
            try await db.execute("UPDATE jobs SET claims_work = TRUE WHERE id = \(jobID)")
            for id in documentIDs {
                if skipDone,
                    try await db.row(
                        """
                        SELECT 1 FROM document_outcomes o JOIN documents d ON d.id = o.document_id
                        WHERE o.document_id = \(id) AND o.codebook_version = \(codebookVersion)
                          AND o.content_hash = d.content_hash
                          AND o.outcome IN (\(DocumentOutcomeKind.succeeded.rawValue), \(DocumentOutcomeKind.flagged.rawValue))
                        """) != nil
                {
                    claim.done.append(id)
                    continue
                }
                // One statement decides, so two workers claiming at once cannot both win: the
                // row is taken only when it is new, this job's, or its lease has run out.
                let taken = try await db.execute(
                    """
                    INSERT INTO document_claims (document_id, job_id, lease_until) VALUES (\(id), \(jobID), \(until))
                    ON CONFLICT (document_id) DO UPDATE SET job_id = excluded.job_id, lease_until = excluded.lease_until
                    WHERE document_claims.job_id = excluded.job_id OR document_claims.lease_until <= \(now)
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

    public func renewClaims(jobID: Int64, lease: Duration, worker: String) async throws {
        try await write { db in
            let now = Date()
            try await db.execute(
                "UPDATE document_claims SET lease_until = \(now.addingTimeInterval(lease.seconds)) WHERE job_id = \(jobID)")
            try await db.execute("UPDATE jobs SET heartbeat_at = \(now), worker = \(worker) WHERE id = \(jobID)")
        }
    }

    public func releaseClaims(jobID: Int64, documentIDs: [Int64]?) async throws {
        try await write { db in
            guard let documentIDs else {
                try await db.execute("DELETE FROM document_claims WHERE job_id = \(jobID)")
                return
            }
            for id in documentIDs { try await db.execute("DELETE FROM document_claims WHERE job_id = \(jobID) AND document_id = \(id)") }
        }
    }

    public func sweepAbandonedJobs(silentSince: Date, isGone: @escaping @Sendable (String) -> Bool) async throws -> [Job] {
        try await write { db in
            let running = try await db.rows(
                """
                SELECT id, COALESCE(heartbeat_at, started_at, created_at) AS beat, worker FROM jobs
                WHERE status = \(JobStatus.running.rawValue) ORDER BY id FOR UPDATE
                """)
            var swept: [Job] = []
            for row in running {
                let (id, beat) = (try row.field("id", as: Int64.self), try row.field("beat", as: Date.self))
                let gone = try row.field("worker", as: String?.self).map(isGone) ?? false
                guard gone || beat < silentSince else { continue }
                let reason = AbandonedJob.reason(heartbeat: beat, workerGone: gone)
                try await Self.setJobStatus(db, .paused, error: reason, jobID: id)
                try await db.execute("DELETE FROM document_claims WHERE job_id = \(id)")
                try await Self.appendEvent(db, jobID: id, kind: .jobPaused, documentID: nil, message: reason)
                if let job = try await Self.job(db, id: id) { swept.append(job) }
            }
            return swept
        }
    }

    /// Refuses a result for a document another job holds, or that this job claimed and lost;
    /// ends this job's claim on it. The claim row is locked so a takeover cannot slip between.
    static func checkClaim(_ db: PostgresSession, documentID: Int64, jobID: Int64) async throws {
        let holder = try await db.row("SELECT job_id FROM document_claims WHERE document_id = \(documentID) FOR UPDATE")
            .map { try $0.field("job_id", as: Int64.self) }
        if let holder, holder != jobID { throw StoreError.claimLost(documentID: documentID, heldBy: holder) }
        if holder == nil, try await db.row("SELECT 1 FROM jobs WHERE id = \(jobID) AND claims_work") != nil {
            throw StoreError.claimLost(documentID: documentID, heldBy: nil)
        }
        try await db.execute("DELETE FROM document_claims WHERE document_id = \(documentID) AND job_id = \(jobID)")
    }
}
