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

    public var succeeded: Int { job.succeeded }
    public var flagged: Int { job.flagged }
    public var failed: Int { job.failed }
    /// Selected documents the job did not reach (stopped, cancelled).
    public var notProcessed: Int { max(0, job.total - job.processed) }

    public var documentsPerSecond: Double {
        let seconds = Double(wallTime.components.seconds) + Double(wallTime.components.attoseconds) / 1e18
        return seconds > 0 ? Double(job.processed) / seconds : 0
    }
}

/// Live progress of a job, for progress bars and event streams.
public enum RunProgress: Sendable {
    case started(job: Job, alreadyDone: Int)
    case documentFinished(documentID: Int64, externalID: String, outcome: DocumentOutcomeKind, reason: String?, processed: Int, total: Int)
    case finished(RunSummary)
}
