import ArgumentParser
import AssayCore
import AssayEngine
import AssayStore
import AssayTraces
import Foundation

/// Where the database is and which project to work on; shared by every command.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The Assay database file (default: ./assay.sqlite or $ASSAY_DB).", valueName: "path"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("The project to use; needed only when the database holds several.", valueName: "name"))
    var project: String?

    var path: String {
        db ?? ProcessInfo.processInfo.environment["ASSAY_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "assay.sqlite"
    }

    /// Opens an existing database; a missing one is an error that says how to create it.
    func openStore() throws -> SQLiteStore {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIError("no Assay database at \(path); create one with: assay init --name NAME (or pass --db PATH)")
        }
        return try SQLiteStore(path: path)
    }

    /// The workspace, with the failure-patterns project kept out of "the only project".
    func workspace() throws -> Workspace { Workspace(store: try openStore(), hiddenProjects: [TraceRunner.projectName]) }
}
