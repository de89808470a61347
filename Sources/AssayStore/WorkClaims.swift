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
///
/// Claims belong to a job *and a worker* (the process, `Worker.current`, or the name a store
/// handle was opened as): several workers on one job (`assay worker`) each hold their own
/// documents, and a document this job has already coded, by whichever worker, is not coded again.
public protocol WorkClaims: Sendable {
    /// Who claims through this handle: its process (`Worker.current`) unless opened as another.
    var worker: String { get }
    /// Claims these documents for the job and this worker until `lease` from now, in one
    /// transaction. A document another job or worker holds under a live lease is left to it; a
    /// document this job has an outcome for is done; with `skipDone`, so is one already done with
    /// this codebook version (succeeded or flagged, on its current text).
    func claim(documentIDs: [Int64], jobID: Int64, codebookVersion: Int, skipDone: Bool, lease: Duration) async throws -> Claim
    /// This worker's heartbeat on the job: its claims' leases run `lease` from now again, and it
    /// is seen alive working on the job.
    func renewClaims(jobID: Int64, lease: Duration) async throws
    /// Gives up this worker's claims on the job: on these documents, or, when nil, all of them,
    /// and the worker no longer works on the job.
    func releaseClaims(jobID: Int64, documentIDs: [Int64]?) async throws
    /// Running jobs' workers whose last heartbeat was before `silentSince`, or which `isGone`
    /// (their process is gone), lose their claims. A job left with no live worker is paused with
    /// the reason (or, when it was queued for workers, put back in the queue), so it can be
    /// resumed, run again or taken by another worker; returns those jobs.
    func sweepAbandonedJobs(silentSince: Date, isGone: @escaping @Sendable (String) -> Bool) async throws -> [Job]

    // MARK: The queue
    /// Stores a job `pending` for workers to take (`assay run --enqueue-only`, a service without
    /// workers), with its start event, in one transaction.
    func enqueueJob(
        projectID: Int64, kind: JobKind, codebookVersion: Int, promptHash: String, model: String,
        selection: JobSelection, total: Int, message: String?
    ) async throws -> Job
    /// Queued jobs a worker may work on, oldest first: pending ones and running ones (to help).
    func queuedJobs() async throws -> [Job]
    /// Marks the job completed with its event, unless it is already: several workers finishing a
    /// job at once record one completion. True when this call completed it.
    func completeJob(id: Int64) async throws -> Bool
    /// A worker takes the queued job: pending becomes running (a running one stays so). Nil when
    /// the job is no longer pending or running (paused, cancelled or done meanwhile).
    func takeJob(id: Int64) async throws -> Job?
}
extension WorkClaims {
    /// Sweeps jobs silent since then, and those whose process on this machine is gone.
    public func sweepAbandonedJobs(silentSince: Date) async throws -> [Job] {
        try await sweepAbandonedJobs(silentSince: silentSince, isGone: Worker.isGone)
    }
}

extension WorkClaims {
    /// The event of a queued job whose last worker stopped before it was done.
    static var stoppedWorker: String { "its last worker stopped: back in the queue for the next worker" }
}

/// Why a swept job stopped, as its pause reason says.
enum AbandonedJob {
    static func reason(heartbeat: Date, workerGone: Bool, queued: Bool = false) -> String {
        let then = queued ? "back in the queue for the next worker" : "resume it or run again"
        return workerGone
            ? "its process on this machine is gone: \(then)"
            : "its process stopped (no heartbeat since \(RFC3339.format(heartbeat))): \(then)"
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
