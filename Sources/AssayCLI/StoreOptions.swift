import ArgumentParser
import AssayCore
import AssayService
import AssayStore
import Foundation

/// Where the database is and which project to work on; shared by every command.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The Assay database: a SQLite file or a postgres:// URL (default: ./assay.sqlite or $ASSAY_DB).", valueName: "path|url"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("The project to use; needed only when the database holds several.", valueName: "name"))
    var project: String?

    /// `--db`, else `ASSAY_DB`, else ./assay.sqlite.
    func location() throws -> StoreLocation { try StoreLocation.resolve(db) }

    /// Opens an existing database; a missing SQLite file is an error that says how to create it.
    func openStore() async throws -> any AssayDatabase {
        let location = try location()
        guard location.exists else {
            throw CLIError("no Assay database at \(location); create one with: assay init --name NAME (or pass --db PATH)")
        }
        return try await location.open()
    }

    /// The use cases over the existing database, for the person at the command line.
    func local() async throws -> Local { Local(store: try await openStore()) }
}

/// The use cases the commands call, over one database, for the local user (`Requester.local`:
/// the projects without an owner; service accounts' projects are theirs).
struct Local {
    let store: any AssayDatabase
    var projects: Projects { Projects(store: store) }
    var documents: Documents { Documents(store: store) }
    var codebooks: Codebooks { Codebooks(store: store) }
    var values: Values { Values(store: store) }
    var accounts: Accounts { Accounts(store: store) }

    /// The project `--project` names, or the only one.
    func project(_ name: String?) async throws -> Project { try await projects.named(name, for: .local) }
}
