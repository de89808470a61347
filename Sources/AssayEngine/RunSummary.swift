import AssayCore
import Foundation

/// What a job did, printed at the end of every run and kept with the job.
public struct RunSummary: Sendable, Hashable {
    public var job: Job
    /// Documents skipped because they were already done with this codebook version.
    public var alreadyDone: Int
    public var failuresByKind: [ErrorKind: Int]
    public var wallTime: Duration
    public var metrics: JobMetrics?
    /// What the job was expected to cost when it started (nil for a summary read back later).
    public var estimate: CostEstimate?
    /// What the job cost in US dollars at `price`, when the model's price is known.
    public var cost: Double?
    public var price: Price?
    /// Selected documents another job was coding at the same time, or had finished (`WorkClaims`).
    public var codedElsewhere = 0

    public var succeeded: Int { job.succeeded }
    public var flagged: Int { job.flagged }
    public var failed: Int { job.failed }
    /// Selected documents the job did not reach (stopped, cancelled).
    public var notProcessed: Int { max(0, job.total - job.processed - codedElsewhere) }

    public var documentsPerSecond: Double {
        let seconds = Double(wallTime.components.seconds) + Double(wallTime.components.attoseconds) / 1e18
        return seconds > 0 ? Double(job.processed) / seconds : 0
    }
}

/// Live progress of a job, for progress bars, event streams and observers such as the trace
/// runner. The engine counts; front ends only render what it reports.
public enum RunProgress: Sendable {
    case started(job: Job, alreadyDone: Int, estimate: CostEstimate)
    case documentFinished(DocumentReport)
    /// Batch mode: where the job's batches stand, after each change.
    case batch(BatchActivity)
    /// The job was paused (`.paused`) or resumed (`.running`) from elsewhere: another process,
    /// `assay pause` and `assay resume`.
    case control(JobStatus)
    /// Every other document is sent: these are held by other jobs (running at the same time, or
    /// killed and not yet swept), and the job waits until those finish them or let them go.
    case waiting(documents: Int, jobs: [Int64])
    /// Before the job starts: another job was left running by a process that is gone, and was
    /// paused with its claims released (`sweepAbandonedJobs`).
    case swept(Job)
    case finished(RunSummary)
}

/// A job's counters as the engine keeps them, after each document.
public struct JobCounts: Sendable, Hashable {
    public var total: Int
    public var processed = 0
    public var succeeded = 0
    public var flagged = 0
    public var failed = 0

    public init(total: Int) { self.total = total }

    mutating func add(_ outcome: DocumentOutcomeKind) {
        processed += 1
        switch outcome {
        case .succeeded: succeeded += 1
        case .flagged: flagged += 1
        case .failed: failed += 1
        }
    }
}

/// One document done and stored: its result (values, errors, the model's raw reply) and the
/// job's counters after it.
public struct DocumentReport: Sendable {
    public var result: DocumentResult
    /// The document's name in the user's words (file name or record id).
    public var externalID: String
    public var counts: JobCounts

    public var documentID: Int64 { result.documentID }
    public var outcome: DocumentOutcomeKind { result.outcome }
    /// Why it failed or was flagged, as `kind: reason`; nil when it went through.
    public var reason: String? { result.errors.first.map { "\($0.kind.rawValue): \($0.reason)" } }
}
