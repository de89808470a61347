import ArgumentParser
import AssayCore
import AssayService
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
        let local = Local(store: try SQLiteStore(path: options.path))
        let project = try await local.projects.create(name: name, description: description, for: .local)
        print("Created project '\(project.name)' in \(options.path).")
        print("Next: assay codebook import FILE")
    }
}

struct ProjectsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "projects", abstract: "List the projects in the database.")

    @OptionGroup var options: StoreOptions

    func run() async throws {
        let projects = try await options.local().projects.overview(for: .local)
        if projects.isEmpty { print("No projects yet; create one with: assay init --name NAME") }
        var rows = [["NAME", "STATUS", "CODEBOOK", "DOCUMENTS"]]
        for line in projects {
            let p = line.project
            rows.append([p.name, p.status.rawValue, line.codebookVersion.map { "v\($0)" } ?? "-", "\(line.documents)"])
        }
        if !projects.isEmpty { print(Table.render(rows)) }
    }
}
