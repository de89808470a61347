import ArgumentParser
import AssayCore
import AssayIngest
import AssayService
import Foundation

struct CodersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coders",
        abstract: "People as coders beside the model: import their codes, list them.",
        discussion: """
            A coding sheet is a CSV with the columns document, coder, variable and value, one row \
            per code (documents named as in assay show; empty cells are left out). Import it, then \
            assay agreement shows per variable how well the people agree with each other and how \
            well they agree once the model is counted as one more coder. Examples:
              assay coders import coding-sheet.csv
              assay coders
              assay agreement
            """,
        subcommands: [List.self, Import.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The project's coders and how much each coded.")
        @OptionGroup var options: StoreOptions

        func run() async throws {
            let local = try await options.local()
            let project = try await local.project(options.project)
            let coders = try await Coders(store: local.store).list(projectID: project.id, for: .local)
            guard !coders.isEmpty else { return print("No codes by people yet (assay coders import FILE.csv).") }
            print(Table.render([["CODER", "CODES", "DOCUMENTS"]] + coders.map { [$0.coder, "\($0.codes)", "\($0.documents)"] }))
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Store people's codes from a CSV (document, coder, variable, value); a coder's new code replaces the old.")
        @Argument(help: ArgumentHelp("The coding sheet.", valueName: "file")) var file: String
        @OptionGroup var options: StoreOptions

        func run() async throws {
            let codes: [CodingsCSV.Coded]
            do {
                codes = try CodingsCSV.coded(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw CLIError("\(file): \(error)")
            }
            let local = try await options.local()
            let project = try await local.project(options.project)
            let report = try await Coders(store: local.store).importCodes(codes, projectID: project.id, for: .local)
            if !report.unknownDocuments.isEmpty {
                printError("not in the project (left out): " + report.unknownDocuments.prefix(10).joined(separator: ", "))
            }
            if !report.unknownVariables.isEmpty {
                printError("not in the codebook (left out): " + report.unknownVariables.joined(separator: ", "))
            }
            print("Stored \(report.stored) codes by \(report.coders.count) coders (\(report.coders.joined(separator: ", "))).")
            if report.stored > 0 { print("Next: assay agreement") }
        }
    }
}
