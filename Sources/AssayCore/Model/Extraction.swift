import Foundation

/// One coded value of one variable in one document, with its evidence and how sure the model was.
public struct Extraction: Sendable, Hashable, Codable {
    public var id: Int64
    public var documentID: Int64
    public var variable: String
    public var entityIndex: Int
    public var entityText: String?
    public var value: JSONValue
    public var confidence: Double?
    public var evidence: Evidence?
    public var rationale: String?
    public var status: ExtractionStatus
    /// Why the value is flagged or failed, in words a reviewer can act on.
    public var error: String?
    public var codebookVersion: Int
    public var promptHash: String
    public var model: String
    public var jobID: Int64?
    public var createdAt: Date
    /// How the model was asked (temperature, runs), so a value says who coded it and how.
    public var settings: ModelSettings?
    /// When the document was coded several times: what each run said (nil where a run gave no
    /// value: its reply was unusable, the value failed or was skipped), and the share of runs
    /// that gave the stored (majority) value.
    public var runValues: [JSONValue?]?
    public var runAgreement: Double?
    /// The model's own confidence before it was blended with the runs' agreement; nil when
    /// `confidence` is the model's own (one run).
    public var modelConfidence: Double?

    /// How many times the document was coded for this value.
    public var runs: Int { runValues?.count ?? 1 }

    public init(
        id: Int64 = 0, documentID: Int64, variable: String, entityIndex: Int = 0, entityText: String? = nil,
        value: JSONValue, confidence: Double?, evidence: Evidence?, rationale: String?,
        status: ExtractionStatus, error: String? = nil, codebookVersion: Int, promptHash: String,
        model: String, jobID: Int64?, createdAt: Date = Date(), settings: ModelSettings? = nil
    ) {
        self.settings = settings
        self.id = id
        self.documentID = documentID
        self.variable = variable
        self.entityIndex = entityIndex
        self.entityText = entityText
        self.value = value
        self.confidence = confidence
        self.evidence = evidence
        self.rationale = rationale
        self.status = status
        self.error = error
        self.codebookVersion = codebookVersion
        self.promptHash = promptHash
        self.model = model
        self.jobID = jobID
        self.createdAt = createdAt
    }
}

/// A verbatim quote supporting a value, located in the document text.
/// Offsets count Unicode scalars from the start of the document text (end exclusive);
/// nil offsets mean the quote could not be found.
public struct Evidence: Sendable, Hashable, Codable {
    public var quote: String
    public var start: Int?
    public var end: Int?
    public var match: GroundingMatch

    public init(quote: String, start: Int? = nil, end: Int? = nil, match: GroundingMatch) {
        self.quote = quote
        self.start = start
        self.end = end
        self.match = match
    }
}

/// How a quote was found in the document.
public enum GroundingMatch: String, Sendable, Hashable, Codable, CaseIterable {
    case exact, normalized, fuzzy
    case notFound = "not_found"
}

public enum ExtractionStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Parsed from the reply, not yet checked (transient; stored values are past this).
    case extracted
    /// Passed coercion, rules, threshold and grounding.
    case validated
    /// Kept, but a reviewer should look: low confidence or evidence not found.
    case flagged
    /// The answer could not be used (failed a rule, could not be coerced); value is null.
    case failed
}
