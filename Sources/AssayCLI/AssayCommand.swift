import ArgumentParser
import AssayEngine
import AssayExport
import AssayServer
import AssayService
import Foundation
import Logging

/// `assay`: codebook → LLM → validated values → dataset, from the command line.
public struct AssayCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "assay",
        abstract: "Turn documents into a validated, structured dataset with a large language model.",
        discussion: """
            A typical session:
              assay init --name "Protest coverage"          # creates ./assay.sqlite with a project
              assay codebook import examples/protests/codebook.yaml
              assay add examples/protests/docs/             # files, folders, JSONL
              assay run --sample 5                          # try the codebook on a few documents
              assay show 01-lisbon-teachers.txt             # review values and their evidence
              assay run --all                               # then everything (resumable)
              assay status
              assay export --format csv --layout wide --out protests.csv

            Failure traces of LLM applications → failure patterns: assay traces --help

            As an HTTP service for web front ends and schedulers: assay serve --help

            The model: by default a local llama-server at \(defaultModelURL) (start it with \
            scripts/local-llm.sh start). ASSAY_PROVIDER=gemini|anthropic|ollama selects a native API \
            (keys from GEMINI_API_KEY, ANTHROPIC_API_KEY); any OpenAI-compatible server works (OpenAI, vLLM):
              ASSAY_BASE_URL   e.g. https://api.openai.com/v1 or http://localhost:11434/v1
              ASSAY_MODEL      e.g. gpt-4o-mini, llama3.1
              ASSAY_API_KEY    the key, if the server needs one (never put it on the command line)
              ASSAY_TIMEOUT    seconds per request (default 120)
              ASSAY_SCHEMA_MODE json_schema (default) | json_object | none
            The database: ./assay.sqlite, or --db PATH, or ASSAY_DB; a postgres://user:password@host/db URL \
            there picks PostgreSQL.
            """,
        version: "0.1.0",
        subcommands: [
            InitCommand.self, CodebookCommand.self, AddCommand.self, RunCommand.self, StatusCommand.self,
            ShowCommand.self, PauseCommand.self, ResumeCommand.self, CancelCommand.self, BudgetCommand.self, ExportCommand.self,
            AgreementCommand.self, EvalCommand.self, CodersCommand.self,
            ProjectsCommand.self,
            DocumentsCommand.self,
            TracesCommand.self,
            FeedbackCommand.self, RefineCommand.self, SuggestCommand.self,
            ServeCommand.self, WorkerCommand.self, UICommand.self, UsersCommand.self,
        ]
    )

    static let defaultModelURL = "http://127.0.0.1:8088/v1"

    public init() {}

    /// The entry point: parses, runs the async command, and exits with its code. Called by hand
    /// because a top-level `await AssayCommand.main()` picks the synchronous overload on Linux.
    public static func runAsMain() async {
        do {
            try bootstrapLogging()
        } catch {
            exit(withError: error)
        }
        let traces = TraceExport.start(ProcessInfo.processInfo.environment, command: CommandLine.arguments.dropFirst().first)
        var failure: (any Error)?
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            failure = error
        }
        // Before exiting, so the job's last spans are exported.
        await traces?.stop()
        if let failure { exit(withError: CLIHint.translated(failure)) }
    }

    /// Logs go to stderr at `ASSAY_LOG_LEVEL` (default warning) so they never mix with output.
    public static func bootstrapLogging() throws {
        let serving = CommandLine.arguments.dropFirst().first == "serve"
        let level = try logLevel(ProcessInfo.processInfo.environment, serving: serving)
        // The service logs JSON lines (with the request id) for log collectors; the CLI stays readable.
        if serving {
            LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: level) }
            return
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }

    /// The level `ASSAY_LOG_LEVEL` names (any case), or the default; a level it does not know is
    /// an error rather than silently the default, which would hide the logs the user asked for.
    static func logLevel(_ env: [String: String], serving: Bool) throws -> Logger.Level {
        guard let text = env["ASSAY_LOG_LEVEL"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            return serving ? .info : .warning
        }
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("ASSAY_LOG_LEVEL '\(text)' is not one of \(levels)")
        }
        return level
    }
}

/// The lower layers' errors with the command that gets the user further: the engine, the use
/// cases and the exporter say what is wrong, in no front end's words; the CLI adds its advice.
enum CLIHint {
    static func message(for error: EngineError) -> String {
        let hint: String? =
            switch error {
            case .noProject(let name): name.isEmpty ? "create one with: assay init --name NAME" : "list them with: assay projects"
            case .ambiguousProject: "choose one with --project NAME"
            case .noCodebook: "import one with: assay codebook import FILE"
            case .unknownDocuments: "list them with: assay documents"
            case .nothingToRun, .unknownVariable, .invalidRuns: nil
            case .runsWithEntities: "leave out --runs"
            case .modelsUnavailable: "run it without --replay or --record, or remove models from the codebook"
            case .noPrice: "add it to a price file (ASSAY_PRICES), or give --max-tokens instead"
            case .batchUnavailable: "run it without --batch"
            case .otherModel: "start a worker with that model (ASSAY_MODEL)"
            }
        return error.description + (hint.map { "; " + $0 } ?? "")
    }

    static func message(for error: ServiceError) -> String {
        let hint: String? =
            switch error {
            case .notFound(.codebook(_, nil)): "import one with: assay codebook import FILE"
            case .notFound(.codebook(_, _?)): "list them with: assay codebook versions"
            case .notFound(.account): "list them with: assay users list"
            case .notFound(.document): "list them with: assay documents"
            case .notReady(.noDocuments): "add some with: assay add PATH"
            case .notReady(.sampleFirst):
                "run one with: assay run --sample 20, or code every document anyway with: assay run --all --skip-sample"
            default: nil
            }
        return error.description + (hint.map { "; " + $0 } ?? "")
    }

    static func message(for error: ExportError) -> String {
        guard case .noCodebook = error else { return error.description }
        return error.description + "; import one with: assay codebook import FILE"
    }

    /// The error as printed: with its hint where there is one.
    static func translated(_ error: any Error) -> any Error {
        switch error {
        case let error as EngineError: return CLIError(message(for: error))
        case let error as ServiceError: return CLIError(message(for: error))
        case let error as ExportError: return CLIError(message(for: error))
        default: return error
        }
    }
}

/// A failure the user can act on; printed as `Error: ...` with exit code 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
