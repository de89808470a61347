import AssayCore
import Foundation

/// A failure pattern as the store keeps it: the validated pattern JSON, plus the fields lists and
/// filters need. One per source trace and project: storing it again replaces it.
public struct StoredPattern: Sendable, Hashable {
    public var patternID: String
    public var projectID: Int64
    /// The trace's document.
    public var documentID: Int64
    public var sourceTraceID: String
    public var jobID: Int64
    public var failureType: String
    public var triggerCondition: String
    public var severity: String
    public var confidence: Double
    /// The whole pattern, as validated against `schemas/failure-pattern.schema.json`.
    public var json: String
    public var extractedAt: Date

    public init(
        patternID: String, projectID: Int64, documentID: Int64, sourceTraceID: String, jobID: Int64,
        failureType: String, triggerCondition: String, severity: String, confidence: Double,
        json: String, extractedAt: Date
    ) {
        self.patternID = patternID
        self.projectID = projectID
        self.documentID = documentID
        self.sourceTraceID = sourceTraceID
        self.jobID = jobID
        self.failureType = failureType
        self.triggerCondition = triggerCondition
        self.severity = severity
        self.confidence = confidence
        self.json = json
        self.extractedAt = extractedAt
    }
}

/// Which patterns to list.
public struct PatternFilter: Sendable, Hashable {
    public var failureType: String?
    public var triggerCondition: String?
    public var minConfidence: Double?
    public var jobID: Int64?

    public init(failureType: String? = nil, triggerCondition: String? = nil, minConfidence: Double? = nil, jobID: Int64? = nil) {
        self.failureType = failureType
        self.triggerCondition = triggerCondition
        self.minConfidence = minConfidence
        self.jobID = jobID
    }
}
