import AssayCore
import Foundation
import Testing

@testable import AssayTraces

@Suite struct FailurePatternTests {
    static let traceID = "d7616f5e943174e691805a06e027e504"
    static let extractedAt = RFC3339.parse("2026-11-23T10:45:00Z")!
    static let signals = [Signal(kind: .attribute, name: "eval.label", value: "ungrounded", spanID: "52faf7e5d89779c9")]

    /// A complete set of template values as the engine would store them.
    static func values(_ changes: [String: PatternValue?] = [:]) -> [String: PatternValue] {
        var values: [String: PatternValue] = [
            "summary": PatternValue(
                value: "The bot promised a 60-day refund.", confidence: 0.9,
                quote: "Opened electronics can be returned within 60 days", rationale: "r"),
            "failure_type": PatternValue(
                value: "hallucination", confidence: 0.9,
                quote: "eval.label: ungrounded", rationale: "The evaluator marks the answer ungrounded."),
            "trigger_condition": PatternValue(value: "knowledge_gap", confidence: 0.8),
            "root_cause_hypothesis": PatternValue(value: "The excerpts do not cover opened items.", confidence: 0.7),
            "severity": PatternValue(value: "medium", confidence: 0.8),
            "recommended_actions": PatternValue(
                value: ["Block ungrounded answers.", "Add the case to the knowledge base."], confidence: 0.8),
            "reproduction_context": PatternValue(value: "shopnest-support-bot, gpt-4o-mini", confidence: 0.8),
            "title": PatternValue(value: "Support bot invents a 60-day refund window", confidence: 0.9),
        ]
        for (key, value) in changes { values[key] = value }
        return values
    }

    static func assemble(
        _ values: [String: PatternValue], signals: [Signal] = signals, notes: [String] = [],
        incomplete: [String] = []
    ) throws(FailurePatternError) -> FailurePattern {
        try FailurePattern.assemble(
            traceID: traceID, values: values, signals: signals, notes: notes,
            incompleteReasons: incomplete, extractedAt: extractedAt)
    }

    @Test func patternIDsFollowTheDocumentedRule() {
        #expect(FailurePattern.patternID(forTrace: "d7616f5e943174e691805a06e027e504") == "fp_6fbd107c1ea5d75e")
        #expect(FailurePattern.patternID(forTrace: "  D7616F5E943174E691805A06E027E504\n") == "fp_6fbd107c1ea5d75e")
        #expect(FailurePattern.patternID(forTrace: "9784f0aecd97637d2cf7dcca0c62109e") != "fp_6fbd107c1ea5d75e")
    }

    @Test func theEmbeddedSchemaIsTheOneOnDisk() throws {
        let onDisk = try TraceFixtures.text("schemas/failure-pattern.schema.json")
        #expect(try JSONValue.parse(onDisk) == FailurePatternSchema.schema)
        #expect(onDisk.trimmingCharacters(in: .whitespacesAndNewlines) == FailurePatternSchema.text)
    }

    @Test func theExamplePatternReadsAndWritesBackUnchanged() throws {
        let example = try JSONValue.parse(try TraceFixtures.text("schemas/failure-pattern.example.json"))
        let pattern = try FailurePattern(json: example)
        #expect(pattern.patternID == FailurePattern.patternID(forTrace: pattern.sourceTraceID))
        #expect(pattern.failureType == .hallucination)
        #expect(pattern.severity == .medium)
        #expect(pattern.evidence.signals.count == 5)
        #expect(pattern.json == example)
    }

    @Test func assemblesAValidPattern() throws {
        let pattern = try Self.assemble(Self.values(), notes: ["8 values redacted (email, phone)"])
        #expect(pattern.patternID == "fp_6fbd107c1ea5d75e")
        #expect(pattern.sourceTraceID == Self.traceID)
        #expect(pattern.failureType == .hallucination)
        #expect(pattern.triggerCondition == "knowledge_gap")
        #expect(pattern.severity == .medium)
        #expect(pattern.confidence == 0.9)
        #expect(pattern.confidenceRationale == "The evaluator marks the answer ungrounded.")
        #expect(pattern.recommendedActions == ["Block ungrounded answers.", "Add the case to the knowledge base."])
        #expect(pattern.evidence.signals == Self.signals)
        // Quotes in template order, failure type first.
        #expect(pattern.evidence.excerpts == ["eval.label: ungrounded", "Opened electronics can be returned within 60 days"])
        #expect(pattern.notes == ["8 values redacted (email, phone)"])
        #expect(pattern.json["extracted_at"] == "2026-11-23T10:45:00Z")
        #expect(pattern.violations.isEmpty)
    }

    @Test func incompleteTracesLowerTheConfidence() throws {
        let pattern = try Self.assemble(Self.values(), incomplete: ["no spans"])
        #expect(pattern.confidence == 0.54)  // 0.9 × 0.6
        #expect(pattern.confidenceRationale == "The evaluator marks the answer ungrounded. Lowered ×0.6: the trace is incomplete.")
    }

    @Test func aMissingTriggerIsUnknownAndFlaggedValuesAreNoted() throws {
        let pattern = try Self.assemble(
            Self.values([
                "trigger_condition": PatternValue(value: .null, confidence: 0.4, status: .validated),
                "severity": PatternValue(value: "medium", confidence: 0.5, status: .flagged, note: "confidence 0.5 below threshold 0.7"),
                "reproduction_context": nil,
            ]))
        #expect(pattern.triggerCondition == "unknown")
        #expect(pattern.reproductionContext == "")
        #expect(pattern.notes == ["severity flagged: confidence 0.5 below threshold 0.7"])
    }

    @Test func everyTextIsRedactedAndCut() throws {
        let pattern = try Self.assemble(
            Self.values([
                "summary": PatternValue(value: "Mail ana@example.com\n\nor call +1 415 555 0100.", confidence: 0.9),
                "title": PatternValue(value: .string(String(repeating: "long title ", count: 20)), confidence: 0.9),
                "failure_type": PatternValue(
                    value: "hallucination", confidence: 0.9,
                    quote: "key sk-proj-Abc123Def456Ghi789Jkl012Mno345 " + String(repeating: "y", count: 300),
                    rationale: "Seen with token ghp_6KQgGvwH7KcVcXnrIJUZSWPTGhWHH4r3LQ0k."),
            ]))
        #expect(pattern.summary == "Mail [REDACTED:email] or call [REDACTED:phone].")
        #expect(pattern.title.count == 120)
        #expect(pattern.evidence.excerpts.first?.hasPrefix("key [REDACTED:api_key] yyy") == true)
        #expect(pattern.evidence.excerpts.first?.count == 200)
        #expect(pattern.confidenceRationale == "Seen with token [REDACTED:api_key].")
        #expect(pattern.notes == ["3 values redacted in the model's answers"])
        for (field, text) in pattern.storedTexts { #expect(Redactor().findings(in: text).isEmpty, "\(field)") }
    }

    @Test func missingRequiredValuesAreNamed() {
        do {
            _ = try Self.assemble(
                Self.values([
                    "failure_type": PatternValue(value: .null, status: .failed, note: "\"bug\" is not one of the categories"),
                    "title": nil,
                    "recommended_actions": PatternValue(value: [], status: .flagged),
                ]))
            Issue.record("a pattern without a failure type must be refused")
        } catch {
            #expect(error.traceID == Self.traceID)
            #expect(error.violations.map(\.path) == ["$.title", "$.failure_type", "$.recommended_actions"])
            #expect(error.violations[0].message == "missing: the run stored no value")
            #expect(error.violations[1].message == #"missing: no usable value: "bug" is not one of the categories"#)
            #expect(error.description.hasPrefix("failure pattern for trace \(Self.traceID) is not valid:\n  - $.title: missing"))
        }
    }

    @Test func schemaViolationsAreNamed() {
        do {
            _ = try Self.assemble(Self.values(["trigger_condition": PatternValue(value: "Not Snake Case")]), signals: [])
            Issue.record("an invalid trigger label and no signals must be refused")
        } catch {
            #expect(
                error.violations.map(\.description) == [
                    "$.trigger_condition: does not match the pattern ^[a-z][a-z0-9]*(_[a-z0-9]+)*$",
                    "$.evidence.signals: needs at least 1 items",
                ])
        }
    }

    @Test func storedPatternsAreCheckedWhenReadBack() throws {
        let good = try Self.assemble(Self.values()).json
        guard case .object(var object) = good else {
            Issue.record("not an object")
            return
        }
        object["extracted_at"] = "23 Nov 2026"
        object["confidence"] = 1.5
        object["surprise"] = true
        object["evidence"] = ["signals": [["kind": "status", "name": "x", "value": "OK", "span_id": "XYZ"]], "excerpts": []]
        #expect(throws: FailurePatternError.self) { try FailurePattern(json: .object(object)) }
        let found = FailurePatternSchema.violations(of: .object(object)).map(\.description)
        #expect(found.contains("$.extracted_at: is not an RFC 3339 date-time"))
        #expect(found.contains("$.confidence: 1.5 is above the maximum 1"))
        #expect(found.contains("$.surprise: unexpected property"))
        #expect(found.contains("$.evidence.signals[0].span_id: does not match the pattern ^[0-9a-f]{16}$"))
        #expect(found.count == 4)
    }

    @Test func assemblyFromStoredExtractionsOfAPreparedTrace() throws {
        let trace = try TraceFixtures.trace("d7616f5e")
        let prepared = PreparedTrace(trace)
        // The document carries the text and, in metadata, what assembly needs later.
        let input = prepared.documentInput
        #expect(input.externalID == trace.traceID)
        #expect(input.mediaType == TraceRendering.mediaType)
        let document = Document(
            id: 7, projectID: 1, externalID: input.externalID, mediaType: input.mediaType, text: input.text,
            contentHash: input.contentHash, wordCount: 0, tokenCount: 0, status: .ready, metadata: input.metadata)
        let restored = try #require(PreparedTrace(document: document))
        #expect(restored == prepared)

        let extractions = Self.values().map { name, value in
            Extraction(
                documentID: 7, variable: name, value: value.value, confidence: value.confidence,
                evidence: value.quote.map { Evidence(quote: $0, match: .exact) }, rationale: value.rationale,
                status: value.status, codebookVersion: 1, promptHash: "h", model: "m", jobID: 1)
        }
        let pattern = try FailurePattern.assemble(from: extractions, for: restored, extractedAt: Self.extractedAt)
        #expect(pattern.patternID == "fp_6fbd107c1ea5d75e")
        #expect(pattern.evidence.signals == prepared.signals)
        #expect(pattern.notes == ["8 values redacted (email, phone)"])

        // Quotes the grounder did not find are not evidence.
        let ungrounded = extractions.map { e -> Extraction in
            var e = e
            e.evidence = e.evidence.map { Evidence(quote: $0.quote, match: .notFound) }
            return e
        }
        #expect(try FailurePattern.assemble(from: ungrounded, for: restored, extractedAt: Self.extractedAt).evidence.excerpts.isEmpty)
    }

    @Test func aTruncatedIncompleteTraceCarriesItsNotes() throws {
        var trace = TraceTruncationTests.largeTrace()
        trace.spans[1].status = nil
        trace.incompleteReasons = Trace.structuralGaps(of: trace.spans)
        let prepared = PreparedTrace(trace)
        #expect(prepared.notes.first == "payload truncated to last 100 KB")
        #expect(prepared.notes.last == "trace incomplete, confidence lowered: span 2 (b2c3d4e5f6071829) has no status")
        let pattern = try FailurePattern.assemble(
            traceID: prepared.traceID, values: Self.values(), signals: prepared.signals,
            notes: prepared.notes, incompleteReasons: prepared.incompleteReasons,
            extractedAt: Self.extractedAt)
        #expect(pattern.notes.contains("payload truncated to last 100 KB"))
        #expect(pattern.confidence == 0.54)
    }
}
