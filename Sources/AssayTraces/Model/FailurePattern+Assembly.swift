import AssayCore
import Foundation

/// One template value as the extraction engine left it, whether read from the store
/// (`Extraction`) or straight from post-processing (`ProcessedValue`).
public struct PatternValue: Sendable, Hashable {
    public var value: JSONValue
    public var confidence: Double?
    /// The model's evidence quote; nil when it gave none or the quote is not in the trace text.
    public var quote: String?
    public var rationale: String?
    public var status: ExtractionStatus
    /// Why the value was flagged or failed.
    public var note: String?

    public init(
        value: JSONValue, confidence: Double? = nil, quote: String? = nil, rationale: String? = nil,
        status: ExtractionStatus = .validated, note: String? = nil
    ) {
        self.value = value
        self.confidence = confidence
        self.quote = quote
        self.rationale = rationale
        self.status = status
        self.note = note
    }

    public init(_ extraction: Extraction) {
        self.init(
            value: extraction.value, confidence: extraction.confidence, quote: Self.groundedQuote(extraction.evidence),
            rationale: extraction.rationale, status: extraction.status, note: extraction.error)
    }

    public init(_ processed: ProcessedValue) {
        self.init(
            value: processed.value, confidence: processed.confidence, quote: Self.groundedQuote(processed.evidence),
            rationale: processed.rationale, status: processed.status, note: processed.note)
    }

    /// Quotes the grounder could not find in the trace are not evidence: they are left out.
    static func groundedQuote(_ evidence: Evidence?) -> String? {
        guard let evidence, evidence.match != .notFound else { return nil }
        return evidence.quote
    }
}

extension FailurePattern {
    /// What an incomplete trace's confidence is multiplied by: a trace without spans, names or
    /// statuses hides part of what happened, so the model's certainty overstates what it saw.
    public static let incompleteTraceConfidenceFactor = 0.6

    /// The pattern of a prepared trace from the template's stored values (one document's extractions,
    /// entity index 0). See `assemble(traceID:values:signals:notes:incompleteReasons:extractedAt:redactor:)`.
    public static func assemble(
        from extractions: [Extraction], for trace: PreparedTrace, extractedAt: Date = Date(),
        redactor: Redactor = Redactor()
    ) throws(FailurePatternError) -> FailurePattern {
        var values: [String: PatternValue] = [:]
        for extraction in extractions where extraction.entityIndex == 0 { values[extraction.variable] = PatternValue(extraction) }
        return try assemble(
            traceID: trace.traceID, values: values, signals: trace.signals, notes: trace.notes,
            incompleteReasons: trace.incompleteReasons, extractedAt: extractedAt, redactor: redactor)
    }

    /// Builds and validates the pattern of one trace.
    ///
    /// - `confidence` is `failure_type`'s confidence (0 when missing), times
    ///   `incompleteTraceConfidenceFactor` when `incompleteReasons` is not empty, rounded to 2 decimals;
    ///   `confidence_rationale` is `failure_type`'s rationale, with the lowering stated.
    /// - Every text is redacted, whitespace collapsed, and cut to the schema's length.
    /// - `evidence.excerpts` are the values' grounded quotes (failure type first), redacted, at most
    ///   200 characters, no repeats, at most 10.
    /// - A missing `trigger_condition` (no value, or "unknown", which coercion reads as none)
    ///   becomes `unknown`; a missing `reproduction_context` becomes "".
    /// - `notes`: the trace's notes, then flagged or failed values with their reasons.
    /// - Throws: `FailurePatternError` listing the required values that are missing
    ///   (`$.title: missing: ...`) and every schema violation of the result.
    public static func assemble(
        traceID: String, values: [String: PatternValue], signals: [Signal], notes: [String],
        incompleteReasons: [String], extractedAt: Date,
        redactor: Redactor = Redactor()
    ) throws(FailurePatternError) -> FailurePattern {
        typealias F = FailurePatternTemplate.Field
        var missing: [SchemaViolation] = []
        func clean(_ text: String, _ limit: Int) -> String { redactor.excerpt(text, limit: limit) }
        func why(_ field: String) -> String {
            let note = values[field]?.note.map { ": " + redactor.excerpt($0, limit: 160) } ?? ""
            return values[field] == nil ? "missing: the run stored no value" : "missing: no usable value\(note)"
        }
        func text(_ field: String, _ limit: Int, required: Bool = true) -> String {
            let raw = values[field]?.value.stringValue ?? ""
            let result = clean(raw, limit)
            if required, result.isEmpty { missing.append(SchemaViolation(path: "$.\(field)", message: why(field))) }
            return result
        }
        func category<T: RawRepresentable>(_ field: String, as type: T.Type) -> T? where T.RawValue == String {
            let found = values[field]?.value.stringValue.flatMap { T(rawValue: $0.lowercased()) }
            if found == nil { missing.append(SchemaViolation(path: "$.\(field)", message: why(field))) }
            return found
        }

        let summary = text(F.summary, 1200)
        let failureType = category(F.failureType, as: FailureType.self)
        let trigger = values[F.triggerCondition]?.value.stringValue.map { $0.lowercased() } ?? TriggerCondition.unknown
        let rootCause = text(F.rootCauseHypothesis, 1000)
        let severity = category(F.severity, as: FailureSeverity.self)
        let reproduction = text(F.reproductionContext, 1000, required: false)
        let title = text(F.title, 120)
        let rawActions = values[F.recommendedActions]?.value
        let actions = (rawActions?.arrayValue ?? rawActions.map { [$0] } ?? [])
            .compactMap(\.stringValue).map { clean($0, 300) }.filter { !$0.isEmpty }.prefix(10)
        if actions.isEmpty { missing.append(SchemaViolation(path: "$.\(F.recommendedActions)", message: why(F.recommendedActions))) }

        let kind = values[F.failureType]
        let incomplete = !incompleteReasons.isEmpty
        var confidence = min(max(kind?.confidence ?? 0, 0), 1)
        if incomplete { confidence *= incompleteTraceConfidenceFactor }
        confidence = (confidence * 100).rounded() / 100
        let lowered =
            incomplete ? " Lowered ×\(JSONValue.number(incompleteTraceConfidenceFactor).serialized()): the trace is incomplete." : ""
        let given = kind?.rationale.map { clean($0, 500 - lowered.count) } ?? ""
        let rationale = (given.isEmpty ? "The model gave no rationale." : given) + lowered

        var excerpts: [String] = []
        for field in [
            F.failureType, F.triggerCondition, F.rootCauseHypothesis, F.summary, F.severity, F.title,
            F.recommendedActions, F.reproductionContext,
        ] {
            guard let quote = values[field]?.quote else { continue }
            let excerpt = clean(quote, 200)
            if !excerpt.isEmpty, !excerpts.contains(excerpt), excerpts.count < 10 { excerpts.append(excerpt) }
        }

        var allNotes = notes.map { clean($0, 300) }.filter { !$0.isEmpty }
        for field in [
            F.summary, F.failureType, F.triggerCondition, F.rootCauseHypothesis, F.severity,
            F.recommendedActions, F.reproductionContext, F.title,
        ] {
            guard let value = values[field], value.status == .flagged || value.status == .failed else { continue }
            allNotes.append(clean("\(field) \(value.status.rawValue)" + (value.note.map { ": \($0)" } ?? ""), 300))
        }
        // Model answers are read from redacted text, so a finding here is something the model wrote.
        let answers = values.values.flatMap { v in
            (v.value.arrayValue ?? [v.value]).compactMap(\.stringValue) + [v.rationale].compactMap { $0 }
        }
        let redactedCount = answers.reduce(0) { $0 + redactor.findings(in: $1).count }
        if redactedCount > 0 {
            allNotes.append("\(redactedCount) value\(redactedCount == 1 ? "" : "s") redacted in the model's answers")
        }

        guard missing.isEmpty, let failureType, let severity else {
            // In schema order, as the schema's own violations come.
            let order = FailurePatternSchema.schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let rank = { (v: SchemaViolation) in order.firstIndex(of: String(v.path.dropFirst(2))) ?? order.count }
            throw FailurePatternError(traceID: traceID, violations: missing.sorted { rank($0) < rank($1) })
        }
        return try FailurePattern(
            patternID: patternID(forTrace: traceID), sourceTraceID: traceID, title: title, failureType: failureType,
            triggerCondition: trigger, summary: summary, rootCauseHypothesis: rootCause,
            evidence: PatternEvidence(signals: Array(signals.prefix(TraceSignals.maxSignals)), excerpts: excerpts),
            recommendedActions: Array(actions), reproductionContext: reproduction, severity: severity,
            confidence: confidence, confidenceRationale: rationale, extractedAt: extractedAt,
            notes: Array(allNotes.prefix(20))
        ).validated()
    }
}
