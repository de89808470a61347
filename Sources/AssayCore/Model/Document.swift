import Foundation

/// One text to code, as stored: its extracted text and where ingest left it.
public struct Document: Sendable, Hashable, Codable {
    public var id: Int64
    public var projectID: Int64
    /// The idempotency key: a file path, a record id, a trace id.
    public var externalID: String
    public var title: String?
    public var mediaType: String
    public var text: String
    public var contentHash: String
    public var wordCount: Int
    public var tokenCount: Int
    public var chunkCount: Int
    public var status: DocumentStatus
    public var error: String?
    public var metadata: JSONValue
    public var createdAt: Date

    public init(
        id: Int64, projectID: Int64, externalID: String, title: String? = nil, mediaType: String,
        text: String, contentHash: String, wordCount: Int, tokenCount: Int, chunkCount: Int = 1,
        status: DocumentStatus, error: String? = nil, metadata: JSONValue = .null, createdAt: Date = Date()
    ) {
        self.id = id
        self.projectID = projectID
        self.externalID = externalID
        self.title = title
        self.mediaType = mediaType
        self.text = text
        self.contentHash = contentHash
        self.wordCount = wordCount
        self.tokenCount = tokenCount
        self.chunkCount = chunkCount
        self.status = status
        self.error = error
        self.metadata = metadata
        self.createdAt = createdAt
    }
}

/// Ingest states: `uploaded → parsed → ready`, or `failed` with a reason.
public enum DocumentStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case uploaded, parsed, ready, failed
}

/// A document as ingest produced it, before it has a project and an id.
public struct DocumentInput: Sendable, Hashable {
    public var externalID: String
    public var title: String?
    public var mediaType: String
    public var text: String
    public var status: DocumentStatus
    public var error: String?
    public var metadata: JSONValue

    public init(
        externalID: String, title: String? = nil, mediaType: String, text: String,
        status: DocumentStatus = .ready, error: String? = nil, metadata: JSONValue = .null
    ) {
        self.externalID = externalID
        self.title = title
        self.mediaType = mediaType
        self.text = text
        self.status = status
        self.error = error
        self.metadata = metadata
    }

    /// A document that could not be read, kept so the failure is visible.
    public static func failed(externalID: String, mediaType: String, reason: String) -> DocumentInput {
        DocumentInput(externalID: externalID, mediaType: mediaType, text: "", status: .failed, error: reason)
    }

    public var contentHash: String { Hashing.sha256(text) }
    /// The MinHash fingerprint duplicate checks compare; none for a failed document or a text without words.
    public var fingerprint: Fingerprint? { status == .failed ? nil : Fingerprint(text: text) }
    public var wordCount: Int { TokenEstimator.wordCount(text) }
    public var tokenCount: Int { TokenEstimator.estimate(text) }
}

/// What adding a document did: a new row, nothing (same content), or a content update.
public enum UpsertOutcome: String, Sendable, Hashable, Codable {
    case inserted, unchanged, updated
}
