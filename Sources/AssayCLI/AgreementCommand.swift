import ArgumentParser
import AssayCore
import AssayIngest
import AssayService
import Foundation

struct AgreementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agreement",
        abstract: "Inter-coder agreement per variable: percent agreement, κ, Krippendorff's α, AC1, Brennan–Prediger.",
        discussion: """
            FILE is a CSV with the columns unit (or document), coder, variable and value, one row per \
            code; an empty value is a missing code (missing codes are allowed everywhere). Without \
            FILE: the project's documents that people coded (assay coders import), among the people \
            and among the people with the model, side by side; each variable's type gives its level \
            (numbers interval, the rest nominal) unless --level says otherwise. For each variable it \
            prints the units, the coders, and each figure with a 95 % interval from a unit-level \
            percentile bootstrap (fixed seed, so the same data give the same intervals):

              percent agreement  the share of agreeing pairs of codes within a unit
              κ                  Cohen's (two coders) or Fleiss' (more): beyond chance
              α                  Krippendorff's at --level, what methods sections
                                 report: α ≥ .800 reliable, ≥ .667 tentative
              AC1, BP            Gwet's AC1 and Brennan–Prediger's κ, which stay
                                 stable when one category is rare

            Examples:
              assay agreement codes.csv
              assay agreement codes.csv --level interval --json
              assay coders import coding-sheet.csv && assay agreement
            """)

    @Argument(help: ArgumentHelp("The codes: columns unit, coder, variable, value; without it, the project's coders.", valueName: "file"))
    var file: String?
    @Option(help: "nominal (categories), ordinal (ordered), interval or ratio (default: nominal; for a project, by type).")
    var level: MeasurementLevel?
    @Option(help: "Bootstrap resamples for the intervals.") var resamples = 1000
    @Option(help: "The bootstrap's seed.") var seed: UInt64 = 2026
    @Flag(help: "Print JSON: one object per variable.") var json = false

    func validate() throws {
        guard (100...100_000).contains(resamples) else { throw ValidationError("--resamples must be from 100 to 100000") }
    }

    @OptionGroup var options: StoreOptions

    func run() async throws {
        guard let file else { return try await project() }
        let level = level ?? .nominal
        let variables: [(variable: String, ratings: Ratings)]
        do {
            variables = try CodingsCSV.read(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw CLIError("\(file): \(error)")
        }
        // A variable whose codes do not fit the level is reported and the others go on.
        var unfit = 0
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for (variable, ratings) in variables {
            do {
                let report = try AgreementReport(ratings, level: level, resamples: resamples, seed: seed)
                print(
                    json
                        ? String(decoding: try encoder.encode(VariableLine(variable: variable, report: report)), as: UTF8.self)
                        : Self.render(variable, report, requestedResamples: resamples))
            } catch let error as Agreement.AlphaError {
                unfit += 1
                let reason = "\(error) (give it a file of its own, or another --level)"
                if json {
                    print(String(decoding: try encoder.encode(["variable": variable, "error": reason]), as: UTF8.self))
                } else {
                    printError("\(variable): \(reason)")
                }
            }
        }
        if !json { print("95 % intervals: unit-level percentile bootstrap, \(resamples) resamples, seed \(seed).") }
        if unfit > 0 { throw ExitCode.failure }
    }

    /// Agreement over the project's coders: people, and people with the model.
    private func project() async throws {
        let local = try await options.local()
        let project = try await local.project(options.project)
        let found: [Coders.VariableAgreement]
        do {
            found = try await Coders(store: local.store).agreement(
                projectID: project.id, level: level, resamples: resamples, seed: seed, for: .local)
        } catch let error as Agreement.AlphaError {
            throw CLIError("\(error) (choose another --level)")
        }
        guard !found.isEmpty else {
            throw CLIError(
                "no document of '\(project.name)' has a person's code yet; import a coding sheet with: assay coders import FILE.csv")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for agreement in found {
            if json {
                print(String(decoding: try encoder.encode(agreement), as: UTF8.self))
                continue
            }
            let name = agreement.variable.name
            print(
                "\(name) (\(agreement.variable.type.rawValue), \(agreement.level.rawValue)): coded by \(agreement.people.joined(separator: ", "))"
            )
            if let people = agreement.amongPeople {
                print(Self.render("  among the people", people, requestedResamples: resamples))
            } else {
                print("  among the people: one coder only — agreement needs two")
            }
            if let both = agreement.withModel, let model = agreement.model {
                print(Self.render("  the people and the model (\(model))", both, requestedResamples: resamples))
                if agreement.modelGaveNoValue > 0 {
                    let counted = agreement.level == .nominal ? "a code of its own, so it disagrees" : "missing"
                    print("  (the model gave no value for \(agreement.modelGaveNoValue) of these documents: counted as \(counted))")
                }
            }
        }
        if !json { print("95 % intervals: unit-level percentile bootstrap, \(resamples) resamples, seed \(seed).") }
    }

    static func render(_ variable: String, _ r: AgreementReport, requestedResamples: Int = 0) -> String {
        func figure(_ name: String, _ f: AgreementReport.Figure, _ note: String = "") -> String {
            guard let value = f.value else {
                return "  \(name.padding(toLength: 20, withPad: " ", startingAt: 0))—  (undefined: no variation to agree on)"
            }
            let interval = f.lower.flatMap { lower in f.upper.map { "[\(number(lower)), \(number($0))]" } } ?? ""
            return "  \(name.padding(toLength: 20, withPad: " ", startingAt: 0))\(number(value))  \(interval)\(note)"
        }
        let verdict = r.verdict.map { "  \($0.rawValue)" } ?? ""
        let fewer = "  (intervals from \(r.resamples) resamples: a large variable, see AgreementReport.workBudget)"
        return [
            "\(variable): \(r.units) units (\(r.pairableUnits) coded twice or more), \(r.coders) coders, \(r.level.rawValue)",
            figure("percent agreement", r.percentAgreement),
            figure(r.kappaKind == "cohen" ? "Cohen's κ" : "Fleiss' κ", r.kappa),
            figure("Krippendorff's α", r.alpha, verdict),
            figure("Gwet's AC1", r.ac1),
            figure("Brennan–Prediger", r.brennanPrediger),
        ].joined(separator: "\n") + (r.resamples < requestedResamples ? "\n" + fewer : "")
    }

    /// Three decimals, as figures are reported (a minus sign kept).
    static func number(_ value: Double) -> String { String(format: "%.3f", value) }
}

/// A JSON line of `--json`: a per-variable report's fields and the variable's name.
struct VariableLine<Report: Encodable>: Encodable {
    var variable: String
    var report: Report

    enum Key: String, CodingKey { case variable }

    func encode(to encoder: any Encoder) throws {
        try report.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(variable, forKey: .variable)
    }
}

extension MeasurementLevel: ExpressibleByArgument {}
