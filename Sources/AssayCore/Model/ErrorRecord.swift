import Foundation

/// Why a document (or a reply) could not be used, recorded instead of dropped.
public struct ErrorRecord: Sendable, Hashable, Codable {
    public var id: Int64
    public var jobID: Int64?
    public var documentID: Int64?
    public var kind: ErrorKind
    /// A human-readable reason that names the file, line or field where it can.
    public var reason: String
    /// SHA-256 of the model's raw reply, when there was one.
    public var responseHash: String?
    /// A short redacted excerpt of the reply.
    public var excerpt: String?
    public var createdAt: Date

    public init(
        id: Int64 = 0, jobID: Int64?, documentID: Int64?, kind: ErrorKind, reason: String,
        responseHash: String? = nil, excerpt: String? = nil, createdAt: Date = Date()
    ) {
        self.id = id
        self.jobID = jobID
        self.documentID = documentID
        self.kind = kind
        self.reason = reason
        self.responseHash = responseHash
        self.excerpt = excerpt
        self.createdAt = createdAt
    }
}

public enum ErrorKind: String, Sendable, Hashable, Codable, CaseIterable {
    case malformedInput = "malformed_input"
    case providerError = "provider_error"
    case timeout
    case invalidJSON = "invalid_json"
    case schemaValidation = "schema_validation"
    case budgetExceeded = "budget_exceeded"
}
