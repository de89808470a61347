import Foundation

/// One run of the codebook over a selection of documents.
public struct Job: Sendable, Hashable, Codable {
    public var id: Int64
    public var projectID: Int64
    public var kind: JobKind
    public var status: JobStatus
    public var codebookVersion: Int
    public var promptHash: String
    public var model: String
    public var selection: JobSelection
    public var total: Int
    public var processed: Int
    public var succeeded: Int
    public var flagged: Int
    public var failed: Int
    public var consecutiveFailures: Int
    public var tokensIn: Int
    public var tokensOut: Int
    /// Of `tokensIn`, those served from the provider's prompt cache.
    public var tokensCached = 0
    /// What the job's documents cost in US dollars at the models' prices (the batch price in
    /// batch mode); nil when no price was known.
    public var cost: Double?
    /// In the queue for workers (`assay worker`): any worker may join it, and when its workers
    /// are gone it goes back to the queue rather than being paused.
    public var queued = false
    public var error: String?
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?

    public init(
        id: Int64, projectID: Int64, kind: JobKind, status: JobStatus = .pending, codebookVersion: Int,
        promptHash: String, model: String, selection: JobSelection, total: Int = 0, processed: Int = 0,
        succeeded: Int = 0, flagged: Int = 0, failed: Int = 0, consecutiveFailures: Int = 0,
        tokensIn: Int = 0, tokensOut: Int = 0, error: String? = nil, createdAt: Date = Date(),
        startedAt: Date? = nil, finishedAt: Date? = nil
    ) {
        self.id = id
        self.projectID = projectID
        self.kind = kind
        self.status = status
        self.codebookVersion = codebookVersion
        self.promptHash = promptHash
        self.model = model
        self.selection = selection
        self.total = total
        self.processed = processed
        self.succeeded = succeeded
        self.flagged = flagged
        self.failed = failed
        self.consecutiveFailures = consecutiveFailures
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.error = error
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}

public enum JobKind: String, Sendable, Hashable, Codable, CaseIterable {
    case sample, full
}

public enum JobStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case pending, running, paused, completed, failed, cancelled

    public var isFinished: Bool { [.completed, .failed, .cancelled].contains(self) }
}

/// Which documents a job covers: a random sample of N, chosen ids, or all.
public struct JobSelection: Sendable, Hashable, Codable {
    public var sampleSize: Int?
    public var documentIDs: [Int64]?
    public var seed: UInt64?
    /// How many times each document is coded (`--runs`); nil for once. Kept with the selection
    /// so a job resumed after a restart runs as it was asked.
    public var runs: Int?
    /// The job's budgets (`--max-tokens`, `--max-cost` in US dollars); nil for none. Kept with
    /// the selection so a resumed job keeps them, unless the resume raises them.
    public var maxTokens: Int?
    public var maxCost: Double?
    /// Through the provider's batch API (`--batch`): half the price, replies within 24 hours.
    /// Nil for live requests. Kept so a job resumed after a restart takes its batches up again.
    public var batch: Bool?

    public init(
        sampleSize: Int? = nil, documentIDs: [Int64]? = nil, seed: UInt64? = nil, runs: Int? = nil, maxTokens: Int? = nil,
        maxCost: Double? = nil, batch: Bool? = nil
    ) {
        self.batch = batch
        self.maxTokens = maxTokens
        self.maxCost = maxCost
        self.runs = runs
        self.sampleSize = sampleSize
        self.documentIDs = documentIDs
        self.seed = seed
    }

    public static let all = JobSelection()
}

/// Something that happened in a job, kept for progress views and audits.
public struct JobEvent: Sendable, Hashable, Codable {
    public var id: Int64
    public var jobID: Int64
    public var kind: JobEventKind
    public var documentID: Int64?
    public var message: String?
    public var createdAt: Date

    public init(
        id: Int64, jobID: Int64, kind: JobEventKind, documentID: Int64? = nil, message: String? = nil,
        createdAt: Date = Date()
    ) {
        self.id = id
        self.jobID = jobID
        self.kind = kind
        self.documentID = documentID
        self.message = message
        self.createdAt = createdAt
    }
}

public enum JobEventKind: String, Sendable, Hashable, Codable, CaseIterable {
    case jobStarted = "job_started"
    case docStarted = "doc_started"
    case docCompleted = "doc_completed"
    case docFailed = "doc_failed"
    case jobPaused = "job_paused"
    case jobResumed = "job_resumed"
    case jobCompleted = "job_completed"
    case jobFailed = "job_failed"
    case jobCancelled = "job_cancelled"
    /// Back in the queue: every worker on the job is gone, and the next worker takes it.
    case jobQueued = "job_queued"
}
