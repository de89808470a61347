import AssayCore
import Foundation

/// Who is coding which document now: what keeps two jobs, two processes or two machines from
/// coding the same document twice. A job claims a packed request's documents just before it
/// sends them, with a lease it renews while it lives (its heartbeat); a job whose process died
/// stops renewing, and once its lease has run out another job takes the documents over. A job
/// that claims work may store results only for documents it still holds: a result for one it
/// lost is refused (`StoreError.claimLost`), so a zombie's late write cannot overwrite the new
/// owner's, even after the new owner has finished. A claim ends when its result is stored, when
/// the job releases it (at its end, whatever the status), or when its lease runs out.
///
/// Two jobs on one project share the work this way: each codes what it claims first, skips
/// what the other holds, and neither codes what the other has finished.
public protocol WorkClaims: Sendable {
    /// Claims these documents for the job until `lease` from now, in one transaction. A document
    /// another job holds under a live lease is left to it; with `skipDone`, a document already
    /// done with this codebook version (succeeded or flagged, on its current text) is skipped.
    func claim(documentIDs: [Int64], jobID: Int64, codebookVersion: Int, skipDone: Bool, lease: Duration) async throws -> Claim
    /// The job's heartbeat: its claims' leases run `lease` from now again, and the job is seen
    /// alive, run by `worker` (`Worker.current`).
    func renewClaims(jobID: Int64, lease: Duration, worker: String) async throws
    /// Gives up the job's claims (on these documents, or all of them when nil).
    func releaseClaims(jobID: Int64, documentIDs: [Int64]?) async throws
    /// Jobs left `running` whose last heartbeat was before `silentSince`, or whose worker
    /// `isGone` (their process is gone): paused with the reason, their claims released, so they
    /// can be resumed or run again.
    func sweepAbandonedJobs(silentSince: Date, isGone: @escaping @Sendable (String) -> Bool) async throws -> [Job]
}

extension WorkClaims {
    /// Sweeps jobs silent since then, and those whose process on this machine is gone.
    public func sweepAbandonedJobs(silentSince: Date) async throws -> [Job] {
        try await sweepAbandonedJobs(silentSince: silentSince, isGone: Worker.isGone)
    }
}

/// Why a swept job stopped, as its pause reason says.
enum AbandonedJob {
    static func reason(heartbeat: Date, workerGone: Bool) -> String {
        workerGone
            ? "its process on this machine is gone: resume it or run again"
            : "its process stopped (no heartbeat since \(RFC3339.format(heartbeat))): resume it or run again"
    }
}

/// What a claim got: the documents the job now holds, and why it does not hold the others.
public struct Claim: Sendable, Hashable {
    public var claimed: [Int64]
    /// Held by another job's live lease: document id → that job's id.
    public var heldElsewhere: [Int64: Int64]
    /// Already done with the codebook version (by another job, since this one was planned).
    public var done: [Int64]

    public init(claimed: [Int64] = [], heldElsewhere: [Int64: Int64] = [:], done: [Int64] = []) {
        self.claimed = claimed
        self.heldElsewhere = heldElsewhere
        self.done = done
    }
}
