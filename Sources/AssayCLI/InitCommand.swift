import ArgumentParser
import AssayCore
import AssayEngine
import AssayStore
import Foundation

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a database (if needed) and a project in it.",
        discussion: "Example: assay init --name \"Protest coverage\" --db protests.sqlite")

    @Option(help: "The project's name.") var name: String
    @Option(help: "What the project is about.") var description: String?
    @OptionGroup var options: StoreOptions

    func run() async throws {
        let store = try SQLiteStore(path: options.path)
        let project = try await Workspace(store: store).createProject(name: name, description: description)
        print("Created project '\(project.name)' in \(options.path).")
        print("Next: assay codebook import FILE")
    }
}

struct ProjectsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "projects", abstract: "List the projects in the database.")

    @OptionGroup var options: StoreOptions

    func run() async throws {
        let store = try options.openStore()
        let projects = try await store.projects()
        if projects.isEmpty { print("No projects yet; create one with: assay init --name NAME") }
        var rows = [["NAME", "STATUS", "CODEBOOK", "DOCUMENTS"]]
        for p in projects {
            let version = try await store.latestCodebook(projectID: p.id).map { "v\($0.version)" } ?? "-"
            let count = try await store.documents(projectID: p.id, status: nil).count
            rows.append([p.name, p.status.rawValue, version, "\(count)"])
        }
        if !projects.isEmpty { print(Table.render(rows)) }
    }
}
