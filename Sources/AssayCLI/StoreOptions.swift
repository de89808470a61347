import ArgumentParser
import AssayCore
import AssayService
import AssayStore
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

    /// The use cases over the existing database, for the person at the command line.
    func local() throws -> Local { Local(store: try openStore()) }
}

/// The use cases the commands call, over one database, for the local user (`Requester.local`:
/// the projects without an owner; service accounts' projects are theirs).
struct Local {
    let store: SQLiteStore
    var projects: Projects { Projects(store: store) }
    var documents: Documents { Documents(store: store) }
    var codebooks: Codebooks { Codebooks(store: store) }
    var values: Values { Values(store: store) }
    var accounts: Accounts { Accounts(store: store) }

    /// The project `--project` names, or the only one.
    func project(_ name: String?) async throws -> Project { try await projects.named(name, for: .local) }
}
