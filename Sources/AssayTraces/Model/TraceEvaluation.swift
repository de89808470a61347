import AssayCore
import Foundation

/// How well extracted failure patterns match labelled traces, how honest their confidence is,
/// and whether anything sensitive reached them. Pure: give it patterns and labels
/// (`LabelReader` reads labels.jsonl), print `text`.
public struct TraceEvaluation: Sendable, Hashable {
    /// Correct answers out of the pairs compared.
    public struct Score: Sendable, Hashable {
        public var correct: Int
        public var total: Int

        public init(correct: Int, total: Int) {
            self.correct = correct
            self.total = total
        }

        /// Nil when nothing was compared.
        public var accuracy: Double? { total == 0 ? nil : Double(correct) / Double(total) }
    }

    /// Confidence against correctness, where correct means the failure type matches (the
    /// confidence is about the failure type and its cause).
    public struct Calibration: Sendable, Hashable {
        public var threshold: Double
        public var meanConfidenceCorrect: Double?
        public var meanConfidenceIncorrect: Double?
        /// Patterns with confidence at or above `threshold`.
        public var confidentCount: Int
        /// Share of those with the right failure type; nil when there are none.
        public var confidentCorrectShare: Double?
    }

    /// A stored text of a pattern that holds something sensitive. Says where and what kind, never the value.
    public struct Leak: Sendable, Hashable {
        public var traceID: String
        /// The field path, e.g. `evidence.excerpts[1]`.
        public var field: String
        /// `redactor finding: email` or `planted email`.
        public var reason: String

        public init(traceID: String, field: String, reason: String) {
            self.traceID = traceID
            self.field = field
            self.reason = reason
        }
    }

    public struct PIIAudit: Sendable, Hashable {
        /// Stored texts checked, over all patterns.
        public var checkedTexts: Int
        public var leaks: [Leak]
        public var passed: Bool { leaks.isEmpty }
    }

    /// A failure type the patterns gave instead of the labelled one, and how often.
    public struct Confusion: Sendable, Hashable {
        public var expected: String
        public var extracted: String
        public var count: Int

        public init(expected: String, extracted: String, count: Int) {
            self.expected = expected
            self.extracted = extracted
            self.count = count
        }
    }

    /// Pairs of a pattern and its label.
    public var compared: Int
    /// Trace ids of patterns without a label (audited, not scored).
    public var unlabeledPatterns: [String]
    /// Trace ids of labels without a pattern.
    public var missingPatterns: [String]
    public var failureType: Score
    public var triggerCondition: Score
    /// Failure type and trigger condition both right.
    public var joint: Score
    /// Only over labels that give a severity.
    public var severity: Score
    public var calibration: Calibration
    public var piiAudit: PIIAudit
    /// Wrong failure types, most frequent first.
    public var confusions: [Confusion]

    /// Scores patterns against labels matched by trace id (compared trimmed and lowercased), and
    /// audits every pattern, labelled or not.
    public static func evaluate(
        patterns: [FailurePattern], labels: [TraceLabel], confidentAt threshold: Double = 0.8,
        redactor: Redactor = Redactor()
    ) -> TraceEvaluation {
        func key(_ id: String) -> String { id.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() }
        var byTrace: [String: TraceLabel] = [:]
        for label in labels where byTrace[key(label.traceID)] == nil { byTrace[key(label.traceID)] = label }
        var pairs: [(FailurePattern, TraceLabel)] = []
        var unlabeled: [FailurePattern] = []
        for pattern in patterns {
            if let label = byTrace[key(pattern.sourceTraceID)] { pairs.append((pattern, label)) } else { unlabeled.append(pattern) }
        }
        let covered = Set(patterns.map { key($0.sourceTraceID) })
        var result = evaluate(pairs: pairs, confidentAt: threshold, redactor: redactor)
        result.unlabeledPatterns = unlabeled.map(\.sourceTraceID)
        result.missingPatterns = labels.filter { !covered.contains(key($0.traceID)) }.map(\.traceID)
        let extra = audit(unlabeled.map { ($0, []) }, redactor: redactor)
        result.piiAudit.checkedTexts += extra.checkedTexts
        result.piiAudit.leaks += extra.leaks
        return result
    }

    /// Scores each pattern against its label and audits it against the label's planted values.
    public static func evaluate(
        pairs: [(FailurePattern, TraceLabel)], confidentAt threshold: Double = 0.8,
        redactor: Redactor = Redactor()
    ) -> TraceEvaluation {
        var type = Score(correct: 0, total: 0)
        var trigger = type
        var joint = type
        var severity = type
        var right: [Double] = []
        var wrong: [Double] = []
        var confident = 0
        var confidentRight = 0
        var confusions: [String: Confusion] = [:]
        for (pattern, label) in pairs {
            let typeOK = same(pattern.failureType.rawValue, label.failureType)
            let triggerOK = same(pattern.triggerCondition, label.triggerCondition)
            type.add(typeOK)
            trigger.add(triggerOK)
            joint.add(typeOK && triggerOK)
            if let expected = label.severity { severity.add(same(pattern.severity.rawValue, expected)) }
            if typeOK { right.append(pattern.confidence) } else { wrong.append(pattern.confidence) }
            if pattern.confidence >= threshold {
                confident += 1
                if typeOK { confidentRight += 1 }
            }
            if !typeOK {
                let k = label.failureType + "\u{1F}" + pattern.failureType.rawValue
                confusions[k, default: Confusion(expected: label.failureType, extracted: pattern.failureType.rawValue, count: 0)].count += 1
            }
        }
        func mean(_ xs: [Double]) -> Double? { xs.isEmpty ? nil : xs.reduce(0, +) / Double(xs.count) }
        return TraceEvaluation(
            compared: pairs.count, unlabeledPatterns: [], missingPatterns: [],
            failureType: type, triggerCondition: trigger, joint: joint, severity: severity,
            calibration: Calibration(
                threshold: threshold, meanConfidenceCorrect: mean(right), meanConfidenceIncorrect: mean(wrong),
                confidentCount: confident,
                confidentCorrectShare: confident == 0 ? nil : Double(confidentRight) / Double(confident)),
            piiAudit: audit(pairs.map { ($0.0, $0.1.plantedPII) }, redactor: redactor),
            confusions: confusions.values.sorted {
                ($0.count, $1.expected, $1.extracted) > ($1.count, $0.expected, $0.extracted)
            })
    }

    /// Every stored text of every pattern: no redactor finding, and none of the planted values —
    /// compared with whitespace collapsed and case ignored, since stored texts are one-line
    /// excerpts and a planted private key spans lines.
    static func audit(_ patterns: [(FailurePattern, [TraceLabel.PlantedValue])], redactor: Redactor) -> PIIAudit {
        var audit = PIIAudit(checkedTexts: 0, leaks: [])
        for (pattern, planted) in patterns {
            let needles = planted.map { ($0.kind, normalized($0.value)) }.filter { !$0.1.isEmpty }
            for (field, text) in pattern.storedTexts {
                audit.checkedTexts += 1
                var kinds: [String] = []
                for finding in redactor.findings(in: text) where !kinds.contains("redactor finding: \(finding.kind.rawValue)") {
                    kinds.append("redactor finding: \(finding.kind.rawValue)")
                }
                let haystack = normalized(text)
                for (kind, needle) in needles where haystack.contains(needle) && !kinds.contains("planted \(kind)") {
                    kinds.append("planted \(kind)")
                }
                audit.leaks += kinds.map { Leak(traceID: pattern.sourceTraceID, field: field, reason: $0) }
            }
        }
        return audit
    }

    static func normalized(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ").lowercased()
    }

    static func same(_ a: String, _ b: String) -> Bool {
        a.trimmingCharacters(in: .whitespaces).lowercased() == b.trimmingCharacters(in: .whitespaces).lowercased()
    }
}

extension TraceEvaluation.Score {
    mutating func add(_ ok: Bool) {
        total += 1
        if ok { correct += 1 }
    }
}
