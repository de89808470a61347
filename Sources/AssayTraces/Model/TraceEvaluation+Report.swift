import AssayCore
import Foundation

extension TraceEvaluation {
    /// The evaluation as a plain-text report: an accuracy table, calibration, the PII audit and
    /// the most frequent confusions. Leaks name the trace, field and kind, never the value.
    public var text: String {
        var lines: [String] = []
        var counts = "\(compared) pattern\(compared == 1 ? "" : "s") compared with labels"
        if !unlabeledPatterns.isEmpty || !missingPatterns.isEmpty {
            counts += " (\(unlabeledPatterns.count) without a label, \(missingPatterns.count) labels without a pattern)"
        }
        lines.append("Trace evaluation: " + counts)
        lines.append("")
        lines += table(
            [
                ["field", "correct", "total", "accuracy"],
                row("failure_type", failureType),
                row("trigger_condition", triggerCondition),
                row("both", joint),
                row("severity", severity),
            ], rightAligned: [1, 2, 3])
        lines.append("")
        lines.append("Calibration (correct = failure_type matches)")
        lines += table(
            [
                ["mean confidence, correct", number(calibration.meanConfidenceCorrect)],
                ["mean confidence, incorrect", number(calibration.meanConfidenceIncorrect)],
                [
                    "confidence >= \(number(calibration.threshold))",
                    "\(calibration.confidentCount), \(percent(calibration.confidentCorrectShare)) correct",
                ],
            ], rightAligned: [])
        lines.append("")
        if piiAudit.passed {
            lines.append("PII audit: passed (\(piiAudit.checkedTexts) stored texts checked: no redactor finding, no planted value)")
        } else {
            lines.append(
                "PII audit: FAILED, \(piiAudit.leaks.count) leak\(piiAudit.leaks.count == 1 ? "" : "s") in \(piiAudit.checkedTexts) stored texts"
            )
            lines += table([["trace", "field", "what"]] + piiAudit.leaks.map { [$0.traceID, $0.field, $0.reason] }, rightAligned: [])
        }
        if !confusions.isEmpty {
            lines.append("")
            lines.append("Wrong failure types")
            lines += table(
                [["expected", "extracted", "count"]] + confusions.map { [$0.expected, $0.extracted, "\($0.count)"] },
                rightAligned: [2])
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func row(_ name: String, _ score: Score) -> [String] {
        [name, "\(score.correct)", "\(score.total)", percent(score.accuracy)]
    }

    private func percent(_ share: Double?) -> String {
        share.map { String(format: "%.1f%%", $0 * 100) } ?? "-"
    }

    private func number(_ value: Double?) -> String {
        value.map { String(format: "%.2f", $0) } ?? "-"
    }

    /// Columns padded to their widest cell, two spaces apart.
    private func table(_ rows: [[String]], rightAligned: Set<Int>) -> [String] {
        let widths = (0..<(rows.map(\.count).max() ?? 0)).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return rows.map { cells in
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return rightAligned.contains(i) ? pad + cell : cell + pad
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
    }
}
