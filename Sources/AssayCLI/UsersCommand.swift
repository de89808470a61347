import ArgumentParser
import AssayService
import AssayStore
import Foundation

/// Administers the service's accounts in the database: list them, grant a role.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "List the service's accounts and set their roles (assay serve).",
        discussion: """
            Roles decide what an account may see beyond its own projects: the role named by \
            ASSAY_PATTERN_ROLE (default ml_engineer) sees failure patterns and run summaries.
              assay users list
              assay users set-role oncall@example.org ml_engineer
            """,
        subcommands: [List.self, SetRole.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts with their roles.")
        @OptionGroup var options: StoreOptions

        func run() async throws {
            var rows = [["ID", "EMAIL", "ROLE", "CREATED"]]
            for user in try await options.local().accounts.list() {
                rows.append(["\(user.id)", user.email, user.role, Table.date(user.createdAt)])
            }
            print(Table.render(rows))
        }
    }

    struct SetRole: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-role", abstract: "Give an account a role.")
        @Argument(help: "The account's email.") var email: String
        @Argument(help: "The role, e.g. ml_engineer or user.") var role: String
        @OptionGroup var options: StoreOptions

        func run() async throws {
            let user = try await options.local().accounts.setRole(role, email: email)
            print("\(user.email) now has the role \(role).")
        }
    }
}
