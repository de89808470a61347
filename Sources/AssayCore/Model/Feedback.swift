import Foundation

/// A reviewer's verdict on one value, with the value it should have had. It belongs to the
/// document and variable it judged, and keeps the value as the reviewer saw it: coding the
/// document again (a refined codebook, a re-run) replaces the value but never the verdict.
public struct Feedback: Sendable, Hashable, Codable {
    public var id: Int64
    /// The value judged; nil once the document was coded again and that value replaced.
    public var extractionID: Int64?
    /// Where the value was: its document, variable (`variable`) and entity. Filled in when stored.
    public var documentID: Int64 = 0
    public var entityIndex = 0
    /// The value as the reviewer saw it.
    public var reviewedValue: JSONValue?
    public var verdict: FeedbackVerdict
    public var correctedValue: JSONValue?
    public var note: String?
    /// Who gave it (the account's email in the service).
    public var author: String?
    /// The variable of the value, filled in when read back.
    public var variable: String?
    public var createdAt: Date

    public init(
        id: Int64 = 0, extractionID: Int64?, verdict: FeedbackVerdict, correctedValue: JSONValue? = nil,
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
