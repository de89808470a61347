import AssayCore

/// One message of a job's live progress, as WebSocket and SSE clients receive it.
public struct JobUpdate: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case jobStarted = "job_started"
        case progress
        case documentCompleted = "document_completed"
        case documentFailed = "document_failed"
        case jobPaused = "job_paused"
        case jobResumed = "job_resumed"
        case jobCompleted = "job_completed"
        case jobFailed = "job_failed"
        case jobCancelled = "job_cancelled"
        /// Batch mode: where the job's batches stand (`batch` says).
        case batchProgress = "batch_progress"

        /// The job is over after this message.
        public var isFinal: Bool { [.jobCompleted, .jobFailed, .jobCancelled].contains(self) }
    }

    public var type: Kind
    public var jobID: Int64
    public var status: JobStatus
    public var total: Int
    public var processed: Int
    public var succeeded: Int
    public var flagged: Int
    public var failed: Int
    public var tokensIn: Int
    public var tokensOut: Int
    public var tokensCached: Int
    /// The job's cost so far in US dollars, when the model's price is known.
    public var cost: Double?
    public var documentID: Int64?
    public var externalID: String?
    /// Why a document or the job failed (never document text).
    public var reason: String?
    /// Batch mode: the batches of one of the job's models.
    public var batch: BatchActivity?

    enum CodingKeys: String, CodingKey {
        case type, status, total, processed, succeeded, flagged, failed, reason, cost, batch
        case tokensCached = "tokens_cached"
        case jobID = "job_id"
        case tokensIn = "tokens_in"
        case tokensOut = "tokens_out"
        case documentID = "document_id"
        case externalID = "external_id"
    }

    public init(type: Kind, job: Job, documentID: Int64? = nil, externalID: String? = nil, reason: String? = nil) {
        self.type = type
        self.jobID = job.id
        self.status = job.status
        self.total = job.total
        self.processed = job.processed
        self.succeeded = job.succeeded
        self.flagged = job.flagged
        self.failed = job.failed
        self.tokensIn = job.tokensIn
        self.tokensOut = job.tokensOut
        self.tokensCached = job.tokensCached
        self.cost = job.cost
        self.documentID = documentID
        self.externalID = externalID
        self.reason = reason
    }

    /// The message that closes the stream of a finished job.
    public static func final(for job: Job) -> JobUpdate {
        let kind: Kind =
            switch job.status {
            case .completed: .jobCompleted
            case .cancelled: .jobCancelled
            // Stopped at its budget: running it again continues.
            case .paused: .jobPaused
            default: .jobFailed
            }
        return JobUpdate(type: kind, job: job, reason: job.error)
    }
}
