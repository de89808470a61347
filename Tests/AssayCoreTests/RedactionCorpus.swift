import AssayCore
import Foundation

/// The generated cases come from a seeded generator, so they are the same on every machine and
/// toolchain run: a failing figure can be reproduced and its cases printed.
extension SeededGenerator {
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }

    mutating func pick<T>(_ choices: [T]) -> T { choices[int(0...choices.count - 1)] }

    mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &self) < probability }

    /// `count` random digits; the first is 2–9 when `leadingNonZero` (US area and exchange codes,
    /// most subscriber numbers).
    mutating func digits(_ count: Int, leadingNonZero: Bool = false) -> String {
        String(
            (0..<count).map { index in
                Character(String(index == 0 && leadingNonZero ? int(2...9) : int(0...9)))
            })
    }
}

/// A generated text and the sensitive values planted in it. Each value has the kind it must be
/// redacted as and a tag (a card length, a phone shape) the figures are grouped by.
struct LabelledText {
    struct Planted {
        let kind: PIIKind
        let tag: String
        /// UTF-8 offsets in `text`.
        let range: Range<Int>
    }

    var text = ""
    var planted: [Planted] = []

    /// `template` with `{}` replaced by `value`, planted as `kind`.
    init(_ template: String, _ value: String, _ kind: PIIKind, tag: String) {
        let parts = template.components(separatedBy: "{}")
        text = parts[0]
        plant(value, kind, tag: tag)
        text += parts.dropFirst().joined(separator: "{}")
    }

    /// A text with nothing to redact of the kinds being measured.
    init(clean text: String) { self.text = text }

    mutating func plant(_ value: String, _ kind: PIIKind, tag: String) {
        let start = text.utf8.count
        text += value
        planted.append(Planted(kind: kind, tag: tag, range: start..<text.utf8.count))
    }
}

/// Recall and precision of one kind over labelled texts. A planted value counts as found when
/// findings of its kind cover every digit of it (a number redacted in part still leaks the rest);
/// a finding counts as correct when it overlaps a planted value of its kind and covers no digit
/// outside one (a phone that swallows the ZIP code next to it is over-redaction).
struct RedactionScore {
    struct Tally {
        var planted = 0, found = 0, findings = 0, correct = 0
        var recall: Double { planted == 0 ? 1 : Double(found) / Double(planted) }
        var precision: Double { findings == 0 ? 1 : Double(correct) / Double(findings) }
    }

    var total = Tally()
    var byTag: [String: Tally] = [:]
    /// Texts with a missed value or a wrong finding, for the failure message.
    var misses: [String] = []
    var wrong: [String] = []

    init(_ texts: [LabelledText], kind: PIIKind, redactor: Redactor = Redactor()) {
        for labelled in texts {
            let text = labelled.text
            let findings = redactor.findings(in: text).filter { $0.kind == kind }.map { finding in
                text.utf8.distance(
                    from: text.startIndex, to: finding.range.lowerBound)..<text.utf8.distance(
                        from: text.startIndex, to: finding.range.upperBound)
            }
            let bytes = Array(text.utf8)
            let digits = { (range: Range<Int>) in range.filter { bytes[$0] >= 48 && bytes[$0] <= 57 } }
            let covered = Set(findings.flatMap { $0 })
            let planted = labelled.planted.filter { $0.kind == kind }
            for value in planted {
                let found = digits(value.range).allSatisfy(covered.contains)
                total.planted += 1
                byTag[value.tag, default: Tally()].planted += 1
                if found {
                    total.found += 1
                    byTag[value.tag, default: Tally()].found += 1
                } else {
                    misses.append("\(value.tag): \(text)")
                }
            }
            let inside = Set(planted.flatMap { $0.range })
            for finding in findings {
                total.findings += 1
                let overlaps = planted.contains { $0.range.overlaps(finding) }
                if overlaps, digits(finding).allSatisfy(inside.contains) {
                    total.correct += 1
                } else {
                    wrong.append("\(String(decoding: bytes[finding], as: UTF8.self)) in: \(text)")
                }
            }
        }
    }

    /// One line per tag and a total, for docs/REDACTION.md.
    func report(_ title: String) -> String {
        let percent = { (value: Double) in String(format: "%.3f", value) }
        var lines = [
            "\(title): recall \(percent(total.recall)) (\(total.found)/\(total.planted)), "
                + "precision \(percent(total.precision)) (\(total.correct)/\(total.findings))"
        ]
        for (tag, tally) in byTag.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(tag): recall \(percent(tally.recall)) (\(tally.found)/\(tally.planted))")
        }
        return lines.joined(separator: "\n")
    }
}
