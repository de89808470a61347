import AssayCore
import Foundation
import Testing

@testable import AssayTraces

@Suite struct TraceEvaluationTests {
    static func pattern(
        _ traceID: String, _ type: FailureType, _ trigger: String, _ severity: FailureSeverity = .medium,
        confidence: Double, summary: String = "What happened."
    ) -> FailurePattern {
        FailurePattern(
            patternID: FailurePattern.patternID(forTrace: traceID), sourceTraceID: traceID, title: "A failure",
            failureType: type, triggerCondition: trigger, summary: summary, rootCauseHypothesis: "A cause.",
            evidence: PatternEvidence(signals: [Signal(kind: .status, name: "run", value: "ERROR")], excerpts: []),
            recommendedActions: ["Fix it."], reproductionContext: "", severity: severity, confidence: confidence,
            confidenceRationale: "Because.", extractedAt: Date(timeIntervalSince1970: 0), notes: [])
    }

    static func label(
        _ traceID: String, _ type: String, _ trigger: String, _ severity: String? = "medium",
        planted: [TraceLabel.PlantedValue] = []
    ) -> TraceLabel {
        TraceLabel(traceID: traceID, failureType: type, triggerCondition: trigger, severity: severity, plantedPII: planted)
    }

    /// Five labelled traces: type right in 3 (t1, t2, t3), trigger right in 3 (t1, t2, t4), both in 2.
    static let labels = [
        label("t1", "timeout", "slow_dependency"),
        label("t2", "tool_error", "malformed_tool_output", "high"),
        label("t3", "hallucination", "knowledge_gap"),
        label("t4", "planning_error", "ambiguous_user_query", nil),
        label("t5", "refusal", "sensitive_topic", "low"),
        label("t6", "other", "unknown"),  // no pattern
    ]
    static let patterns = [
        pattern("t1", .timeout, "slow_dependency", confidence: 0.9),
        pattern("t2", .toolError, "malformed_tool_output", .high, confidence: 0.8),
        pattern("T3 ", .hallucination, "multi_step_plan", .low, confidence: 0.6),
        pattern("t4", .hallucination, "ambiguous_user_query", confidence: 0.85),
        pattern("t5", .instructionViolation, "long_context", .low, confidence: 0.45),
        pattern("t7", .other, "unknown", confidence: 0.3),  // no label
    ]

    @Test func scoresEachFieldAndBoth() {
        let result = TraceEvaluation.evaluate(patterns: Self.patterns, labels: Self.labels)
        #expect(result.compared == 5)
        #expect(result.unlabeledPatterns == ["t7"])
        #expect(result.missingPatterns == ["t6"])
        #expect(result.failureType == .init(correct: 3, total: 5))
        #expect(result.triggerCondition == .init(correct: 3, total: 5))
        #expect(result.joint == .init(correct: 2, total: 5))
        // t4 has no severity label; t1, t2, t5 right, t3 wrong.
        #expect(result.severity == .init(correct: 3, total: 4))
        #expect(result.failureType.accuracy == 0.6)
        #expect(
            result.confusions == [
                .init(expected: "planning_error", extracted: "hallucination", count: 1),
                .init(expected: "refusal", extracted: "instruction_violation", count: 1),
            ])
    }

    @Test func calibrationComparesConfidenceWithCorrectness() throws {
        let result = TraceEvaluation.evaluate(patterns: Self.patterns, labels: Self.labels)
        let calibration = result.calibration
        // Correct: 0.9, 0.8, 0.6; incorrect: 0.85, 0.45.
        #expect(abs(try #require(calibration.meanConfidenceCorrect) - 2.3 / 3) < 1e-9)
        #expect(abs(try #require(calibration.meanConfidenceIncorrect) - 0.65) < 1e-9)
        // At or above 0.8: t1, t2 (right), t4 (wrong).
        #expect(calibration.confidentCount == 3)
        #expect(abs(try #require(calibration.confidentCorrectShare) - 2.0 / 3) < 1e-9)

        let none = TraceEvaluation.evaluate(pairs: [])
        #expect(none.failureType.accuracy == nil)
        #expect(none.calibration.meanConfidenceCorrect == nil)
        #expect(none.calibration.confidentCorrectShare == nil)
    }

    @Test func theAuditCatchesPlantedValuesAndFindings() {
        let planted = [
            TraceLabel.PlantedValue(kind: "email", value: "maria.keller@example.com"),
            TraceLabel.PlantedValue(kind: "private_key", value: "-----BEGIN KEY-----\nABC\nDEF\n-----END KEY-----"),
        ]
        let leaky = Self.pattern(
            "t1", .timeout, "slow_dependency", confidence: 0.9,
            summary: "Mail Maria.Keller@Example.com about -----BEGIN KEY----- ABC DEF -----END KEY-----")
        let result = TraceEvaluation.evaluate(pairs: [(leaky, Self.label("t1", "timeout", "slow_dependency", planted: planted))])
        #expect(!result.piiAudit.passed)
        #expect(
            result.piiAudit.leaks == [
                .init(traceID: "t1", field: "summary", reason: "redactor finding: email"),
                .init(traceID: "t1", field: "summary", reason: "planted email"),
                .init(traceID: "t1", field: "summary", reason: "planted private_key"),
            ])
        // The report names where, never the value.
        #expect(result.text.contains("t1     summary  planted email"))
        #expect(!result.text.lowercased().contains("maria.keller"))

        // A value the redactor does not know is still caught as planted.
        let name = Self.pattern("t2", .timeout, "slow_dependency", confidence: 0.9, summary: "Order SN-448120 for Aurora")
        let caught = TraceEvaluation.evaluate(pairs: [
            (
                name,
                Self.label(
                    "t2", "timeout", "slow_dependency",
                    planted: [.init(kind: "secret", value: "SN-448120")])
            )
        ])
        #expect(caught.piiAudit.leaks.map(\.reason) == ["planted secret"])
    }

    @Test func cleanPatternsPassAndEveryTextIsCounted() {
        let result = TraceEvaluation.evaluate(patterns: Self.patterns, labels: Self.labels)
        #expect(result.piiAudit.passed)
        // 13 texts per pattern here: ids, title, type, trigger, summary, cause, signal name and value,
        // one action, reproduction, severity, rationale.
        #expect(result.piiAudit.checkedTexts == 6 * 13)
    }

    @Test func theReportIsATable() {
        let text = TraceEvaluation.evaluate(patterns: Self.patterns, labels: Self.labels).text
        #expect(
            text == """
                Trace evaluation: 5 patterns compared with labels (1 without a label, 1 labels without a pattern)

                field              correct  total  accuracy
                failure_type             3      5     60.0%
                trigger_condition        3      5     60.0%
                both                     2      5     40.0%
                severity                 3      4     75.0%

                Calibration (correct = failure_type matches)
                mean confidence, correct    0.77
                mean confidence, incorrect  0.65
                confidence >= 0.80          3, 66.7% correct

                PII audit: passed (78 stored texts checked: no redactor finding, no planted value)

                Wrong failure types
                expected        extracted              count
                planning_error  hallucination              1
                refusal         instruction_violation      1

                """)
    }

    static func lines(_ attributes: OrderedDictionary<String, JSONValue>) -> [String] {
        attributes.flatMap { key, value -> [String] in
            switch value {
            case .object(let members): return lines(members)
            case .array(let items): return items.flatMap { lines(["\(key)": $0]) }
            default: return ["\(key): \(value.displayText)"]
            }
        }
    }

    /// Patterns assembled for all 36 fixtures from answers that quote the raw trace: assembly
    /// redacts them, so the audit passes; the same answers stored unredacted are caught.
    @Test func theFixturesPassTheAuditOnlyWhenAssembled() throws {
        let labels = try TraceFixtures.labels()
        var assembled: [FailurePattern] = []
        var raw: [FailurePattern] = []
        for trace in try TraceFixtures.traces() {
            let label = try #require(labels.first { $0.traceID == trace.traceID })
            // What a careless model could copy: every attribute of the trace as `key: value`, unredacted.
            let copied = trace.spans.flatMap { span in
                Self.lines(span.attributes) + span.events.flatMap { Self.lines($0.attributes) }
            }.joined(separator: "\n")
            let values: [String: PatternValue] = [
                "summary": PatternValue(value: .string(copied), confidence: 0.9),
                "failure_type": PatternValue(value: .string(label.failureType), confidence: 0.9, rationale: String(copied.prefix(400))),
                "trigger_condition": PatternValue(value: .string(label.triggerCondition), confidence: 0.9),
                "root_cause_hypothesis": PatternValue(value: .string(copied), confidence: 0.9),
                "severity": PatternValue(value: .string(label.severity ?? "low"), confidence: 0.9),
                "recommended_actions": PatternValue(value: [.string(String(copied.prefix(250)))], confidence: 0.9),
                "title": PatternValue(value: .string(String(copied.prefix(100))), confidence: 0.9),
            ]
            let prepared = PreparedTrace(trace)
            let pattern = try FailurePattern.assemble(
                traceID: trace.traceID, values: values, signals: prepared.signals,
                notes: prepared.notes, incompleteReasons: [], extractedAt: Date())
            assembled.append(pattern)
            var leaky = pattern
            leaky.summary = copied
            raw.append(leaky)
        }
        let clean = TraceEvaluation.evaluate(patterns: assembled, labels: labels)
        #expect(clean.compared == 36)
        #expect(clean.joint.accuracy == 1)
        #expect(clean.piiAudit.passed, "\(clean.piiAudit.leaks.prefix(5))")

        let leaked = TraceEvaluation.evaluate(patterns: raw, labels: labels)
        let tracesWithPII = Set(labels.filter { !$0.plantedPII.isEmpty }.map(\.traceID))
        #expect(tracesWithPII.count == 34)
        #expect(Set(leaked.piiAudit.leaks.filter { $0.reason.hasPrefix("planted") }.map(\.traceID)) == tracesWithPII)
        #expect(leaked.piiAudit.leaks.allSatisfy { $0.field == "summary" })
    }
}
