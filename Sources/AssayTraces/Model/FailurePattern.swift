import AssayCore
import Foundation

/// One structured failure pattern extracted from one failure trace: every field of
/// schemas/failure-pattern.schema.json. Build one with `FailurePattern.assemble` (from a run's
/// values) or `FailurePattern(json:)` (from a stored pattern); both check the schema.
public struct FailurePattern: Sendable, Hashable {
    /// `fp_` + 16 hex characters, derived from the trace id (`patternID(forTrace:)`).
    public var patternID: String
    /// The trace id exactly as the source gave it.
    public var sourceTraceID: String
    public var title: String
    public var failureType: FailureType
    /// A built-in or project-defined snake_case label (`TriggerCondition`).
    public var triggerCondition: String
    public var summary: String
    public var rootCauseHypothesis: String
    public var evidence: PatternEvidence
    public var recommendedActions: [String]
    /// May be empty when the trace does not say.
    public var reproductionContext: String
    public var severity: FailureSeverity
    /// 0...1: how sure the extraction is of the failure type and root cause.
    public var confidence: Double
    public var confidenceRationale: String
    public var extractedAt: Date
    /// Assay's processing notes ("payload truncated to last 100 KB"); may be empty.
    public var notes: [String]

    public init(
        patternID: String, sourceTraceID: String, title: String, failureType: FailureType,
        triggerCondition: String, summary: String, rootCauseHypothesis: String, evidence: PatternEvidence,
        recommendedActions: [String], reproductionContext: String, severity: FailureSeverity,
        confidence: Double, confidenceRationale: String, extractedAt: Date, notes: [String]
    ) {
        self.patternID = patternID
        self.sourceTraceID = sourceTraceID
        self.title = title
        self.failureType = failureType
        self.triggerCondition = triggerCondition
        self.summary = summary
        self.rootCauseHypothesis = rootCauseHypothesis
        self.evidence = evidence
        self.recommendedActions = recommendedActions
        self.reproductionContext = reproductionContext
        self.severity = severity
        self.confidence = confidence
        self.confidenceRationale = confidenceRationale
        self.extractedAt = extractedAt
        self.notes = notes
    }

    /// The stable id of the pattern of a trace, so a re-run replaces it instead of adding one:
    /// `fp_` and the first 16 hex characters of the SHA-256 of the trimmed, lowercased trace id.
    public static func patternID(forTrace traceID: String) -> String {
        let key = traceID.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return "fp_" + Hashing.sha256(key).prefix(16)
    }

    /// The pattern as schema JSON, keys in schema order.
    public var json: JSONValue {
        [
            "pattern_id": .string(patternID),
            "source_trace_id": .string(sourceTraceID),
            "title": .string(title),
            "failure_type": .string(failureType.rawValue),
            "trigger_condition": .string(triggerCondition),
            "summary": .string(summary),
            "root_cause_hypothesis": .string(rootCauseHypothesis),
            "evidence": evidence.json,
            "recommended_actions": .array(recommendedActions.map(JSONValue.string)),
            "reproduction_context": .string(reproductionContext),
            "severity": .string(severity.rawValue),
            "confidence": .number(confidence),
            "confidence_rationale": .string(confidenceRationale),
            "extracted_at": .string(RFC3339.format(extractedAt)),
            "notes": .array(notes.map(JSONValue.string)),
        ]
    }

    /// The schema violations of this pattern; empty when it may be stored.
    public var violations: [SchemaViolation] { FailurePatternSchema.violations(of: json) }

    /// The pattern unchanged, or a `FailurePatternError` listing every violation.
    public func validated() throws(FailurePatternError) -> FailurePattern {
        let found = violations
        guard found.isEmpty else { throw FailurePatternError(traceID: sourceTraceID, violations: found) }
        return self
    }

    /// Reads a stored pattern back, checking it against the schema first.
    public init(json: JSONValue) throws(FailurePatternError) {
        let found = FailurePatternSchema.violations(of: json)
        guard found.isEmpty,
            let failureType = json["failure_type"]?.stringValue.flatMap(FailureType.init(rawValue:)),
            let severity = json["severity"]?.stringValue.flatMap(FailureSeverity.init(rawValue:)),
            let extractedAt = json["extracted_at"]?.stringValue.flatMap(RFC3339.parse)
        else {
            throw FailurePatternError(traceID: json["source_trace_id"]?.stringValue ?? "", violations: found)
        }
        func text(_ key: String) -> String { json[key]?.stringValue ?? "" }
        func texts(_ value: JSONValue?) -> [String] { value?.arrayValue?.compactMap(\.stringValue) ?? [] }
        self.init(
            patternID: text("pattern_id"), sourceTraceID: text("source_trace_id"), title: text("title"),
            failureType: failureType, triggerCondition: text("trigger_condition"), summary: text("summary"),
            rootCauseHypothesis: text("root_cause_hypothesis"),
            evidence: PatternEvidence(
                signals: (json["evidence"]?["signals"]?.arrayValue ?? []).compactMap(Signal.init(json:)),
                excerpts: texts(json["evidence"]?["excerpts"])),
            recommendedActions: texts(json["recommended_actions"]), reproductionContext: text("reproduction_context"),
            severity: severity, confidence: json["confidence"]?.doubleValue ?? 0,
            confidenceRationale: text("confidence_rationale"), extractedAt: extractedAt, notes: texts(json["notes"]))
    }

    /// Every stored text of the pattern with its field path, for audits (`evidence.excerpts[1]`).
    public var storedTexts: [(field: String, text: String)] {
        var texts: [(field: String, text: String)] = [
            ("pattern_id", patternID), ("source_trace_id", sourceTraceID), ("title", title),
            ("failure_type", failureType.rawValue), ("trigger_condition", triggerCondition), ("summary", summary),
            ("root_cause_hypothesis", rootCauseHypothesis),
        ]
        for (i, signal) in evidence.signals.enumerated() {
            texts.append(("evidence.signals[\(i)].name", signal.name))
            if let value = signal.value.stringValue { texts.append(("evidence.signals[\(i)].value", value)) }
        }
        for (i, excerpt) in evidence.excerpts.enumerated() { texts.append(("evidence.excerpts[\(i)]", excerpt)) }
        for (i, action) in recommendedActions.enumerated() { texts.append(("recommended_actions[\(i)]", action)) }
        texts += [
            ("reproduction_context", reproductionContext), ("severity", severity.rawValue),
            ("confidence_rationale", confidenceRationale),
        ]
        for (i, note) in notes.enumerated() { texts.append(("notes[\(i)]", note)) }
        return texts
    }
}

/// What in the trace supports a pattern: structured signals and short redacted quotes.
public struct PatternEvidence: Sendable, Hashable {
    /// At least one, at most 20.
    public var signals: [Signal]
    /// At most 10, each at most 200 characters; may be empty.
    public var excerpts: [String]

    public init(signals: [Signal], excerpts: [String]) {
        self.signals = signals
        self.excerpts = excerpts
    }

    public var json: JSONValue {
        ["signals": .array(signals.map(\.json)), "excerpts": .array(excerpts.map(JSONValue.string))]
    }
}

/// A pattern that may not be stored: it breaks the schema, or a value it needs is missing.
public struct FailurePatternError: Error, Sendable, Hashable, CustomStringConvertible {
    public var traceID: String
    /// Every problem, each with the JSON path of its field (`$.failure_type`).
    public var violations: [SchemaViolation]

    public init(traceID: String, violations: [SchemaViolation]) {
        self.traceID = traceID
        self.violations = violations
    }

    public var description: String {
        "failure pattern for trace \(traceID) is not valid:\n" + violations.map { "  - \($0)" }.joined(separator: "\n")
    }
}
