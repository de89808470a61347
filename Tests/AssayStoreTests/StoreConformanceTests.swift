import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// The contract of `Store`, run against every backend in `StoreKind`: projects and codebooks here;
/// documents, jobs and results in the extensions beside this file.
@Suite("Store conformance", .postgresDatabases)
struct StoreConformanceTests {
    // MARK: Projects

    @Test(arguments: StoreKind.allCases)
    func createsAndFindsProjects(kind: StoreKind) async throws {
        let store = try await kind.make()
        let first = try await store.createProject(name: "grants", description: "letters")
        let second = try await store.createProject(name: "speeches", description: nil)

        #expect(first.name == "grants")
        #expect(first.description == "letters")
        #expect(first.status == .created)
        #expect(first.unit == .document)
        #expect(second.description == nil)
        #expect(first.id != second.id)
        #expect(try await store.project(id: first.id) == first)
        #expect(try await store.project(named: "speeches") == second)
        #expect(try await store.project(named: "nope") == nil)
        #expect(try await store.project(id: 9_999) == nil)
        #expect(try await store.projects().map(\.name) == ["grants", "speeches"])
    }

    @Test(arguments: StoreKind.allCases)
    func duplicateProjectNameThrows(kind: StoreKind) async throws {
        let store = try await kind.make()
        _ = try await store.createProject(name: "grants", description: nil)
        await #expect(throws: StoreError.duplicateProject("grants")) {
            _ = try await store.createProject(name: "grants", description: "again")
        }
        #expect(try await store.projects().count == 1)
    }

    @Test(arguments: StoreKind.allCases)
    func setsProjectStatus(kind: StoreKind) async throws {
        let store = try await kind.make()
        let project = try await store.createProject(name: "grants", description: nil)
        try await store.setProjectStatus(.sampleComplete, projectID: project.id)
        #expect(try await store.project(id: project.id)?.status == .sampleComplete)
        await #expect(throws: StoreError.self) {
            try await store.setProjectStatus(.complete, projectID: 9_999)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func setsAndLiftsTheProjectsBudget(kind: StoreKind) async throws {
        let store = try await kind.make()
        let project = try await store.createProject(name: "grants", description: nil)
        #expect(project.budget == .none)
        try await store.setProjectBudget(Budget(maxTokens: 5_000, maxCost: 2.5), projectID: project.id)
        #expect(try await store.project(id: project.id)?.budget == Budget(maxTokens: 5_000, maxCost: 2.5))
        try await store.setProjectBudget(Budget(maxCost: 1), projectID: project.id)
        #expect(try await store.project(id: project.id)?.budget == Budget(maxCost: 1))
        try await store.setProjectBudget(.none, projectID: project.id)
        #expect(try await store.project(id: project.id)?.budget == Budget.none)
        await #expect(throws: StoreError.self) { try await store.setProjectBudget(Budget(maxTokens: 1), projectID: 9_999) }
    }

    // MARK: Codebooks

    @Test(arguments: StoreKind.allCases)
    func savesCodebookVersions(kind: StoreKind) async throws {
        let store = try await kind.make()
        let project = try await store.createProject(name: "grants", description: nil)
        #expect(try await store.latestCodebook(projectID: project.id) == nil)

        let (v1, new1) = try await store.saveCodebook(Fixtures.codebook, promptHash: "p1", projectID: project.id)
        #expect(new1)
        #expect(v1.version == 1)
        #expect(v1.projectID == project.id)
        #expect(v1.codebook == Fixtures.codebook)
        #expect(v1.codebookHash == Fixtures.codebook.contentHash)
        #expect(v1.promptHash == "p1")

        // Same codebook, same prompt: the version in force, not a new one.
        let (same, newSame) = try await store.saveCodebook(Fixtures.codebook, promptHash: "p1", projectID: project.id)
        #expect(!newSame)
        #expect(same == v1)

        // A changed codebook is version 2.
        let (v2, new2) = try await store.saveCodebook(Fixtures.changedCodebook, promptHash: "p2", projectID: project.id)
        #expect(new2)
        #expect(v2.version == 2)
        #expect(v2.codebook == Fixtures.changedCodebook)

        // Same codebook but the prompt it generates changed (e.g. a new template): also a new version.
        let (v3, new3) = try await store.saveCodebook(Fixtures.changedCodebook, promptHash: "p3", projectID: project.id)
        #expect(new3)
        #expect(v3.version == 3)

        #expect(try await store.latestCodebook(projectID: project.id) == v3)
        #expect(try await store.codebookVersions(projectID: project.id).map(\.version) == [1, 2, 3])

        // Versions are per project.
        let other = try await store.createProject(name: "other", description: nil)
        let (otherV1, _) = try await store.saveCodebook(Fixtures.codebook, promptHash: "p1", projectID: other.id)
        #expect(otherV1.version == 1)
    }
}
