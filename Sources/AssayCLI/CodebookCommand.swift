import ArgumentParser
import AssayCore
import AssayIngest
import AssayService
import AssayStore
import Foundation

struct CodebookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codebook",
        abstract: "Import, show and list versions of the project's codebook.",
        discussion: """
            A codebook is a YAML or JSON file listing the variables to code. Each variable has a name, \
            a type (boolean, category, date, number, text), instructions, and optionally categories, \
            required, confidence_threshold (0.7), if_uncertain (null | skip | flag), if_multiple_values \
            (first | last | all | summarize), max_values, default, validation (min, max, pattern, \
            min_length, max_length, min_date, max_date), depends_on and examples. \
            See examples/protests/codebook.yaml and the README. A codebook can also be imported from \
            and exported to CSV (a variable per row; see the README for the columns) and REFI-QDA's \
            .qdc codebook exchange format (codes only: what it cannot carry is listed in the README).
            """,
        subcommands: [Import.self, Export.self, Show.self, Versions.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a codebook file and store it; a changed codebook becomes a new version.")

        @Argument(help: "The codebook file (.yaml, .yml, .json, .csv or .qdc).") var file: String
        @OptionGroup var options: StoreOptions

        func run() async throws {
            let codebook: Codebook
            do {
                codebook = try CodebookLoader.load(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw CLIError("\(error)")
            }
            let local = try await options.local()
            let project = try await local.project(options.project)
            let (version, isNew) = try await local.codebooks.importCodebook(codebook, projectID: project.id, for: .local)
            let count = codebook.variables.count
            if isNew {
                print(
                    "Imported codebook v\(version.version) (\(count) variables) into '\(project.name)'; prompt \(version.promptHash.prefix(12))."
                )
                print("Next: assay add PATH..., then assay run --sample 5")
            } else {
                print("Codebook unchanged: still v\(version.version) (\(count) variables).")
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the codebook (latest version, or --version N) as YAML, JSON, CSV or REFI-QDA .qdc.")

        @Option(help: "yaml, json, csv or qdc; by default the --out file's extension, else yaml.") var format: CodebookFormat?
        @Option(help: "The version to write.") var version: Int?
        @Option(help: "The output file; '-' or nothing writes to standard output.") var out: String?
        @OptionGroup var options: StoreOptions

        func run() async throws {
            let local = try await options.local()
            let project = try await local.project(options.project)
            let chosen = try await local.codebooks.version(version, projectID: project.id, for: .local)
            let format = format ?? out.flatMap { CodebookFormat(pathExtension: URL(fileURLWithPath: $0).pathExtension) } ?? .yaml
            let text = try CodebookLoader.text(chosen.codebook, format: format)
            guard let out, out != "-" else {
                FileHandle.standardOutput.write(Data(text.utf8))
                return
            }
            try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            printError("Wrote codebook v\(chosen.version) (\(chosen.codebook.variables.count) variables) to \(out).")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the codebook (latest version, or --version N) as YAML.")

        @Option(help: "The version to show.") var version: Int?
        @Flag(help: "Print the prompt and JSON schema sent to the model instead.") var prompt = false
        @OptionGroup var options: StoreOptions

        func run() async throws {
            let local = try await options.local()
            let project = try await local.project(options.project)
            let chosen = try await local.codebooks.version(version, projectID: project.id, for: .local)
            if prompt {
                let built = ExtractionPrompt(codebook: chosen.codebook)
                for message in built.messages(for: "…document text…") {
                    print("--- \(message.role.rawValue) ---\n\(message.content)\n")
                }
                print("--- response schema ---\n\(built.schema.serialized())")
            } else {
                print("# codebook v\(chosen.version) of '\(project.name)', prompt \(chosen.promptHash.prefix(12))")
                print(try CodebookLoader.yaml(chosen.codebook))
            }
        }
    }

    struct Versions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the codebook versions.")

        @OptionGroup var options: StoreOptions

        func run() async throws {
            let local = try await options.local()
            let project = try await local.project(options.project)
            var rows = [["VERSION", "CREATED", "VARIABLES", "PROMPT"]]
            for v in try await local.codebooks.versions(projectID: project.id, for: .local) {
                rows.append(["v\(v.version)", Table.date(v.createdAt), "\(v.codebook.variables.count)", String(v.promptHash.prefix(12))])
            }
            print(rows.count == 1 ? "No codebook yet; import one with: assay codebook import FILE" : Table.render(rows))
        }
    }
}

extension CodebookFormat: ExpressibleByArgument {}
