import Foundation

/// A batch's state as Assay sorts the providers' states.
public enum BatchState: String, Sendable, Hashable, Codable {
    /// Accepted, validating, running or finalizing: poll again later.
    case inProgress = "in_progress"
    /// Every request has its result (some may have failed).
    case completed
    /// The completion window passed; the requests not done by then have no result.
    case expired
    /// Cancelled at the provider; what was done by then has its result.
    case cancelled
    /// The batch as a whole was refused (a malformed input file): no request has a result.
    case failed

    public var hasEnded: Bool { self != .inProgress }
}

/// A batch Assay submitted to a provider's batch API, as the store records it, so a run that
/// is killed or rebooted polls it again instead of paying for its requests twice.
public struct ProviderBatch: Sendable, Hashable {
    /// The store's id.
    public var id: Int64
    /// "openai", "anthropic": whose batch API holds it.
    public var provider: String
    public var model: String
    /// The provider's id for it.
    public var remoteID: String
    /// The job that submitted it.
    public var jobID: Int64?
    public var state: BatchState
    public var itemCount: Int
    public var submittedAt: Date
    /// Why it failed or expired, in the provider's words.
    public var reason: String?
    /// The keys of its requests whose replies have not yet been handed to a document (all of
    /// them until it completes).
    public var waitingKeys: [String]

    /// The remote id a batch is recorded with before the provider has accepted it.
    public static func pending(marker: String) -> String { pendingPrefix + marker }
    static let pendingPrefix = "pending:"

    /// The marker of a batch recorded before its submission was known to succeed, or nil.
    public var pendingMarker: String? {
        remoteID.hasPrefix(Self.pendingPrefix) ? String(remoteID.dropFirst(Self.pendingPrefix.count)) : nil
    }

    public init(
        id: Int64 = 0, provider: String, model: String, remoteID: String, jobID: Int64?, state: BatchState = .inProgress,
        itemCount: Int, submittedAt: Date = Date(), reason: String? = nil, waitingKeys: [String] = []
    ) {
        self.id = id
        self.provider = provider
        self.model = model
        self.remoteID = remoteID
        self.jobID = jobID
        self.state = state
        self.itemCount = itemCount
        self.submittedAt = submittedAt
        self.reason = reason
        self.waitingKeys = waitingKeys
    }
}
