import Foundation

/// How one document ended in a job.
public enum DocumentOutcomeKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Every value validated.
    case succeeded
    /// Values stored, at least one flagged for review.
    case flagged
    /// No values stored by this run; see the error record.
    case failed
}

/// The latest outcome of a document under a codebook version: what makes runs resumable.
public struct DocumentOutcome: Sendable, Hashable, Codable {
    public var documentID: Int64
    public var jobID: Int64
    public var codebookVersion: Int
    /// The document content the outcome was computed from; a changed document is redone.
    public var contentHash: String
    public var outcome: DocumentOutcomeKind
    public var errorKind: ErrorKind?
    public var reason: String?
    public var updatedAt: Date

    public init(
        documentID: Int64, jobID: Int64, codebookVersion: Int, contentHash: String,
        outcome: DocumentOutcomeKind, errorKind: ErrorKind? = nil, reason: String? = nil,
        updatedAt: Date = Date()
    ) {
        self.documentID = documentID
        self.jobID = jobID
        self.codebookVersion = codebookVersion
        self.contentHash = contentHash
        self.outcome = outcome
        self.errorKind = errorKind
        self.reason = reason
        self.updatedAt = updatedAt
    }
}

/// Everything one document's processing produced, written by the store in one transaction:
/// its values (replacing earlier ones), its outcome, its error records, and the job's counters.
public struct DocumentResult: Sendable, Hashable {
    public var jobID: Int64
    public var documentID: Int64
    public var codebookVersion: Int
    public var contentHash: String
    public var outcome: DocumentOutcomeKind
    /// Empty when the outcome is `failed`: earlier values are then kept, not erased.
    public var extractions: [Extraction]
    public var errors: [ErrorRecord]
    public var tokensIn: Int
    public var tokensOut: Int
    /// Of `tokensIn`, those served from the provider's prompt cache.
    public var tokensCached = 0
    /// What the document's requests cost in US dollars at the models' prices; nil when a
    /// model's price is unknown.
    public var cost: Double?
    /// The model's last raw reply, for observers of a run (a trace's invalid pattern is recorded
    /// with its hash and a redacted excerpt); never stored as such.
    public var reply: String?

    public init(
        jobID: Int64, documentID: Int64, codebookVersion: Int, contentHash: String,
        outcome: DocumentOutcomeKind, extractions: [Extraction], errors: [ErrorRecord],
        tokensIn: Int = 0, tokensOut: Int = 0
    ) {
        self.jobID = jobID
        self.documentID = documentID
        self.codebookVersion = codebookVersion
        self.contentHash = contentHash
        self.outcome = outcome
        self.extractions = extractions
        self.errors = errors
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
    }
}
