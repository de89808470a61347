import ArgumentParser
import AssayCore
import AssayExport
import AssayIngest
import AssayService
import Foundation

struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score the project's values against a gold set: accuracy, κ, α, P/R/F1, calibration.",
        discussion: """
            GOLD is a CSV with the columns document, variable and value: the right code for each \
            document and variable, written by a person. Documents are named as in assay show (the \
            id, or a unique ending of the path). Codes are compared as the variable's type reads \
            them: yes/true/1 for booleans, 3 and 3.0 for numbers, several values in any order \
            (a|b). A document with no value counts as wrong.

            Per variable: accuracy; Cohen's κ and Krippendorff's α with the gold set as a second \
            coder; for categories and booleans precision, recall and F1 per category; and \
            calibration: in ten bands of confidence, how many values, their mean confidence and the \
            share that are right. The expected calibration error (ECE) is the mean gap, 0 when the \
            confidence means what it says. After assay run --runs N, each value's confidence blends \
            the share of runs that agreed with the model's own: the table then shows the calibration \
            before blending (the model's own) and after, side by side, so you can see which to trust.

            With --feedback instead of a gold set: the calibration against reviewers' verdicts \
            (assay show, the review queue over HTTP). Values judged correct count as right, \
            incorrect and partly correct ones as wrong; the latest verdict per value counts. \
            Reviewers see flagged and unsure values first, so this is the calibration of the \
            reviewed values.

            Examples:
              assay eval examples/protests/gold.csv
              assay eval gold.csv --plot calibration.svg --json
              assay eval --feedback
            """)

    @Argument(help: ArgumentHelp("The gold set: columns document, variable, value.", valueName: "gold")) var gold: String?
    @Flag(help: "Calibrate against reviewers' feedback instead of a gold set.") var feedback = false
    @Option(help: ArgumentHelp("Also write a reliability diagram (SVG) to this file.", valueName: "file")) var plot: String?
    @Flag(help: "Print JSON: one object per variable.") var json = false
    @OptionGroup var options: StoreOptions

    func validate() throws {
        if gold != nil && feedback { throw ValidationError("give a gold set (GOLD.csv) or --feedback, not both") }
        if gold == nil && !feedback {
            throw ValidationError("give a gold set (GOLD.csv), or --feedback to calibrate against reviewers' verdicts")
        }
    }

    func run() async throws {
        let local = try await options.local()
        let project = try await local.project(options.project)
        guard let gold else { return try await runFeedback(local, project) }
        let codes: [CodingsCSV.GoldCode]
        do {
            codes = try CodingsCSV.gold(contentsOf: URL(fileURLWithPath: gold))
        } catch {
            throw CLIError("\(gold): \(error)")
        }
        let evaluation = try await Evaluations(store: local.store).evaluate(codes, projectID: project.id, for: .local)
        if !evaluation.unknownDocuments.isEmpty {
            printError("not in the project (left out): " + evaluation.unknownDocuments.prefix(10).joined(separator: ", "))
        }
        if !evaluation.unknownVariables.isEmpty {
            printError("not in the codebook (left out): " + evaluation.unknownVariables.joined(separator: ", "))
        }
        guard !evaluation.variables.isEmpty else { throw CLIError("the gold set codes none of this project's documents and variables") }
        try writePlot(evaluation.variables, title: "Calibration: \(project.name)")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for (variable, report) in evaluation.variables {
            if json {
                print(String(decoding: try encoder.encode(VariableLine(variable: variable.name, report: report)), as: UTF8.self))
            } else {
                print(Self.render(variable, report))
            }
        }
        if let plot, !json { print("Reliability diagram: \(plot)") }
    }

    /// Calibration against reviewers' verdicts, per variable with feedback.
    func runFeedback(_ local: Local, _ project: Project) async throws {
        let reports = try await Evaluations(store: local.store).calibrationFromFeedback(projectID: project.id, for: .local)
        guard !reports.isEmpty else {
            throw CLIError("no feedback on this project's values yet; give some over HTTP (POST /extractions/{id}/feedback)")
        }
        try writePlot(reports, title: "Calibration against feedback: \(project.name)")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for (variable, report) in reports {
            if json {
                print(String(decoding: try encoder.encode(VariableLine(variable: variable.name, report: report)), as: UTF8.self))
            } else {
                let right = report.accuracy.map { String(format: "%.3f", $0) } ?? "—"
                print(
                    "\(variable.name) (\(variable.type.rawValue)): \(report.units) values reviewed, share judged correct \(right)"
                        + Self.calibration(report).map { "\n" + $0 }.joined())
            }
        }
        if let plot, !json { print("Reliability diagram: \(plot)") }
    }

    /// The reliability diagram, when asked for: values from several runs give each variable
    /// twice, the model's own confidence and the blend.
    func writePlot(_ reports: [(variable: Variable, report: GoldReport)], title: String) throws {
        guard let plot else { return }
        let series = reports.flatMap { variable, report in
            guard let before = report.calibrationBeforeBlending else { return [(variable.name, report.calibration)] }
            return [("\(variable.name) (model's own)", before), ("\(variable.name) (blended)", report.calibration)]
        }
        do {
            try CalibrationPlot.svg(series, title: title).write(toFile: plot, atomically: true, encoding: .utf8)
        } catch {
            throw CLIError("cannot write \(plot): \(error.localizedDescription)")
        }
    }

    static func render(_ variable: Variable, _ r: GoldReport) -> String {
        func n(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "—" }
        var lines = [
            "\(variable.name) (\(variable.type.rawValue)): \(r.units) gold codes, \(r.missing) without a value",
            "  accuracy \(n(r.accuracy))   Cohen's κ \(n(r.kappa))   Krippendorff's α \(n(r.alpha))",
        ]
        if !r.categories.isEmpty {
            var rows = [["  CATEGORY", "GOLD", "PRECISION", "RECALL", "F1"]]
            for c in r.categories { rows.append(["  " + c.category, "\(c.support)", n(c.precision), n(c.recall), n(c.f1)]) }
            lines.append(Table.render(rows))
        }
        return (lines + calibration(r)).joined(separator: "\n")
    }

    /// The calibration table: before and after blending side by side for values from several runs.
    static func calibration(_ r: GoldReport) -> [String] {
        func n(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "—" }
        var lines: [String] = []
        if let before = r.calibrationBeforeBlending, r.calibration.contains(where: { $0.count > 0 }) {
            // Several runs: the model's own confidence beside the blended one, band by band.
            lines.append(
                "  calibration before blending (the model's own confidence): expected calibration error "
                    + n(r.expectedCalibrationErrorBeforeBlending))
            lines.append(
                "  calibration after blending (with the runs' agreement): expected calibration error \(n(r.expectedCalibrationError))")
            var rows = [["  CONFIDENCE", "BEFORE: VALUES", "MEAN", "RIGHT", "AFTER: VALUES", "MEAN", "RIGHT"]]
            for (b, a) in zip(before, r.calibration) where b.count > 0 || a.count > 0 {
                rows.append([
                    String(format: "  %.1f–%.1f", a.lower, a.upper), "\(b.count)", n(b.meanConfidence), n(b.accuracy), "\(a.count)",
                    n(a.meanConfidence), n(a.accuracy),
                ])
            }
            lines.append(Table.render(rows))
        } else if r.calibration.contains(where: { $0.count > 0 }) {
            lines.append("  calibration: expected calibration error \(n(r.expectedCalibrationError))")
            var rows = [["  CONFIDENCE", "VALUES", "MEAN", "RIGHT"]]
            for b in r.calibration where b.count > 0 {
                rows.append([String(format: "  %.1f–%.1f", b.lower, b.upper), "\(b.count)", n(b.meanConfidence), n(b.accuracy)])
            }
            lines.append(Table.render(rows))
        }
        return lines
    }
}
