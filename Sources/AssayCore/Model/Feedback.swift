import Foundation

/// A reviewer's verdict on one value, with the value it should have had.
public struct Feedback: Sendable, Hashable, Codable {
    public var id: Int64
    public var extractionID: Int64
    public var verdict: FeedbackVerdict
    public var correctedValue: JSONValue?
    public var note: String?
    /// Who gave it (the account's email in the service).
    public var author: String?
    /// The variable of the value, filled in when read back.
    public var variable: String?
    public var createdAt: Date

    public init(
        id: Int64 = 0, extractionID: Int64, verdict: FeedbackVerdict, correctedValue: JSONValue? = nil,
        note: String? = nil, author: String? = nil, variable: String? = nil, createdAt: Date = Date()
    ) {
        self.id = id
        self.extractionID = extractionID
        self.verdict = verdict
        self.correctedValue = correctedValue
        self.note = note
        self.author = author
        self.variable = variable
        self.createdAt = createdAt
    }
}

public enum FeedbackVerdict: String, Sendable, Hashable, Codable, CaseIterable {
    case correct, incorrect
    case partiallyCorrect = "partially_correct"
}
