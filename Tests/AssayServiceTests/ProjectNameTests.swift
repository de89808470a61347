import AssayCore
import AssayService
import AssayStore
import Testing

/// One rule for a project's name, the same for `assay init` and `POST /projects` (they used to
/// differ: the CLI took any length, the service 200 characters).
@Suite struct ProjectNameTests {
    @Test(arguments: [
        ("  Protests  ", "Protests"), ("Protestos em Lisboa", "Protestos em Lisboa"),
        (String(repeating: "é", count: 200), String(repeating: "é", count: 200)),
    ])
    func acceptedNamesAreTrimmed(_ given: String, _ stored: String) throws {
        #expect(try ProjectName.checked(given) == stored)
    }

    @Test(arguments: [
        ("", ProjectNameError.empty), (" \n\t", .empty), (String(repeating: "x", count: 201), .tooLong(characters: 201)),
        ("two\nlines", .controlCharacter), ("bell\u{7}", .controlCharacter),
    ])
    func refusedNamesSayWhy(_ given: String, _ why: ProjectNameError) {
        #expect(throws: why) { try ProjectName.checked(given) }
    }

    /// Both requesters get the rule through the projects use case, as an error about the field `name`.
    @Test(arguments: [Requester.local, .account(userID: 1, email: "ada@example.org", seesPatterns: false)])
    func everyRequesterGetsTheSameRule(_ requester: Requester) async throws {
        let projects = Projects(store: try SQLiteStore.inMemory())
        await #expect(throws: ServiceError.invalid(field: "name", reason: ProjectNameError.tooLong(characters: 201).description)) {
            try await projects.create(name: String(repeating: "x", count: 201), for: requester)
        }
        await #expect(throws: ServiceError.invalid(field: "name", reason: ProjectNameError.empty.description)) {
            try await projects.create(name: "   ", for: requester)
        }
        let created = try await projects.create(name: "  Protests ", for: requester)
        #expect(created.name == "Protests")
        await #expect(throws: ServiceError.invalid(field: "name", reason: ProjectNameError.controlCharacter.description)) {
            try await projects.update(created.id, name: "a\tb", description: nil, for: requester)
        }
        #expect(try await projects.get(created.id, for: requester).name == "Protests")
    }
}
