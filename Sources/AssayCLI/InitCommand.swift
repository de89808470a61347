import ArgumentParser
import AssayCore
import AssayService
import AssayStore
import Foundation

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a database (if needed) and a project in it.",
        discussion: """
            Each row of the dataset is a document, unless the project codes entities: then Assay first \
            finds the entities --entities describes in each document, and codes every variable once \
            per entity (one row per entity in every export). A codebook can also say so itself \
            (unit: entity, entity_instruction: ...).

            Examples:
              assay init --name "Protest coverage" --db protests.sqlite
              assay init --name "Protest events" --unit entity --entities "each protest event the article reports"
            """)

    @Option(help: "The project's name.") var name: String
    @Option(help: "What the project is about.") var description: String?
    @Option(help: "What one row describes: document or entity.") var unit: UnitOfObservation = .document
    @Option(help: ArgumentHelp("With --unit entity: which entities to find in each document.", valueName: "instruction"))
    var entities: String?
    @OptionGroup var options: StoreOptions

    func validate() throws {
        if unit == .entity, (entities ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--unit entity needs --entities \"which entities to find\"")
        }
        if unit == .document, entities != nil { throw ValidationError("--entities needs --unit entity") }
    }

    func run() async throws {
        let location = try options.location()
        let local = Local(store: try await location.open())
        let project = try await local.projects.create(
            name: name, description: description, unit: unit, entityInstruction: entities, for: .local)
        print("Created project '\(project.name)' in \(location).")
        if project.unit == .entity { print("Each row is an entity: \(project.entityInstruction ?? "")") }
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
extension UnitOfObservation: ExpressibleByArgument {}
