import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// What PostgreSQL has beyond the conformance suite: its URLs, and several stores (processes) on
/// one database.
@Suite("PostgresStore", .postgresDatabases)
struct PostgresStoreTests {
    /// CI must never skip PostgreSQL silently: where it is required (`CI`, `ASSAY_REQUIRE_POSTGRES`),
    /// a run without a server fails here.
    @Test func postgresIsTestedWhereRequired() {
        if TestPostgres.isRequired {
            #expect(
                TestPostgres.url != nil,
                "PostgreSQL is required here but ASSAY_TEST_POSTGRES_URL is not set: run the tests through scripts/test.sh")
        }
        #expect(StoreKind.allCases.contains(.postgres) == (TestPostgres.url != nil))
    }

    @Test func urlsNameServerUserAndDatabase() throws {
        let full = try PostgresAddress(url: "postgres://ana:s%40cret@db.example.org:6543/assay?sslmode=require")
        #expect(
            full == PostgresAddress(host: "db.example.org", port: 6543, user: "ana", password: "s@cret", database: "assay", tls: .require))
        let bare = try PostgresAddress(url: "postgresql://localhost")
        #expect(bare == PostgresAddress(host: "localhost", port: 5432, user: "postgres", password: nil, database: "postgres", tls: .prefer))
        #expect(try PostgresAddress(url: "postgres://u@h/d?sslmode=disable").tls == .disable)
        #expect(try PostgresAddress(url: "postgres://u@h/d?sslmode=verify-full").tls == .verifyFull)
        #expect(throws: StoreError.self) { try PostgresAddress(url: "postgres://u@h/d?sslmode=sometimes") }
        #expect(throws: StoreError.self) { try PostgresAddress(url: "mysql://u@h/d") }
    }

    @Test func aPasswordIsNeverShown() throws {
        let address = try PostgresAddress(url: "postgres://ana:hunter2@db:5432/assay")
        #expect(address.description == "postgres://ana:***@db:5432/assay")
        #expect(try StoreLocation("postgres://ana:hunter2@db/assay").description == "postgres://ana:***@db:5432/assay")
        do {
            _ = try PostgresAddress(url: "postgres://ana:hunter2@db/a/b")
            Issue.record("a URL with two database names was accepted")
        } catch {
            #expect(!"\(error)".contains("hunter2"))
        }
    }

    @Test func aLocationIsAFileUnlessItIsAPostgresURL() throws {
        #expect(try StoreLocation("assay.sqlite") == .sqlite(path: "assay.sqlite"))
        #expect(try StoreLocation("/data/postgres.sqlite") == .sqlite(path: "/data/postgres.sqlite"))
        #expect(try StoreLocation("POSTGRESQL://h/d") == .postgres(PostgresAddress(host: "h", user: "postgres", database: "d")))
        #expect(try StoreLocation.resolve(nil, environment: [:]) == .sqlite(path: "assay.sqlite"))
        #expect(try StoreLocation.resolve(nil, environment: ["ASSAY_DB": ""]) == .sqlite(path: "assay.sqlite"))
        #expect(
            try StoreLocation.resolve(nil, environment: ["ASSAY_DB": "postgres://h/d"])
                == .postgres(PostgresAddress(host: "h", user: "postgres", database: "d")))
        #expect(try StoreLocation.resolve("x.sqlite", environment: ["ASSAY_DB": "postgres://h/d"]) == .sqlite(path: "x.sqlite"))
    }

    @Test func aServerThatRefusesIsUnavailable() async throws {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        await #expect(throws: StoreError.self) {
            _ = try await PostgresStore(url: "postgres://assay@127.0.0.1:1/assay?sslmode=disable")
        }
    }

    @Test(.enabled(if: TestPostgres.url != nil))
    func dataSurvivesClosingAndReopeningAndMigrationsRunOnce() async throws {
        let (store, url) = try await TestPostgres.makeDatabase()
        let (project, _) = try await Fixtures.project(in: store, documents: 2)
        _ = try await store.createUser(email: "ada@example.org", passwordHash: "h", role: "user")
        try store.close()
        // A closed store refuses, as a closed SQLite store does.
        await #expect(throws: StoreError.self) { _ = try await store.projects() }

        let reopened = try await PostgresStore(url: url, connections: 2)
        defer { try? reopened.close() }
        #expect(try await reopened.project(id: project.id)?.name == "grants")
        #expect(try await reopened.documentCount(projectID: project.id, status: nil) == 2)
        #expect(try await reopened.user(email: "ADA@example.org")?.email == "ada@example.org")
        #expect(try await reopened.latestCodebook(projectID: project.id)?.version == 1)
        let versions = try await reopened.read { db in
            try await db.rows("SELECT version FROM assay_migrations").map { try $0.field("version", as: Int.self) }
        }
        #expect(versions.sorted() == [1, 2, 3, 4, 5])
    }

    @Test(.enabled(if: TestPostgres.url != nil))
    func twoStoresOnOneDatabaseRecordConcurrently() async throws {
        let (first, url) = try await TestPostgres.makeDatabase()
        // The second store opens a database the first migrated: its migrations are a no-op.
        let second = try await PostgresStore(url: url, connections: 4)
        defer { try? second.close() }
        let perStore = 40
        let (project, docs) = try await Fixtures.project(in: first, documents: perStore * 2)
        let job = try await Fixtures.job(in: second, project: project, total: perStore * 2)

        func recordAll(_ documents: ArraySlice<Document>, with store: PostgresStore) async throws {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (i, document) in documents.enumerated() {
                    let outcome: DocumentOutcomeKind = i % 5 == 0 ? .flagged : .succeeded
                    let result = Fixtures.result(job: job, document: document, outcome: outcome, tokensIn: 10, tokensOut: 1)
                    group.addTask { try await store.record(result) }
                }
                try await group.waitForAll()
            }
        }
        async let a: Void = recordAll(docs[0..<perStore], with: first)
        async let b: Void = recordAll(docs[perStore...], with: second)
        _ = try await (a, b)

        let counted = try #require(try await first.job(id: job.id))
        #expect(counted.processed == perStore * 2)
        #expect(counted.flagged == 2 * (perStore / 5))
        #expect(counted.succeeded == 2 * (perStore - perStore / 5))
        #expect(counted.tokensIn == 10 * perStore * 2)
        #expect(try await second.extractions(projectID: project.id, documentID: nil).count == perStore * 2 * 2)
        #expect(try await second.events(jobID: job.id).count == perStore * 2 + 1)
        #expect(try await first.documentsNeedingWork(projectID: project.id, codebookVersion: 1).isEmpty)
    }

    @Test(.enabled(if: TestPostgres.url != nil))
    func concurrentSavesOfNewCodebooksTakeDistinctVersions() async throws {
        let store = try await TestPostgres.makeStore()
        let project = try await store.createProject(name: "grants", description: nil)
        let versions = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<8 {
                group.addTask {
                    try await store.saveCodebook(Fixtures.codebook, promptHash: "p\(i)", projectID: project.id).version.version
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(versions.sorted() == Array(1...8))
    }

    @Test(.enabled(if: TestPostgres.url != nil))
    func concurrentAddsOfOneDocumentStoreItOnce() async throws {
        let store = try await TestPostgres.makeStore()
        let (project, _) = try await Fixtures.project(in: store, documents: 0)
        // Eight adders for each of 25 files at once, as several `assay add` of one folder would.
        let outcomes = try await withThrowingTaskGroup(of: UpsertOutcome.self) { group in
            for file in 0..<25 {
                for _ in 0..<8 {
                    group.addTask { try await store.upsertDocument(Fixtures.input("\(file).txt"), projectID: project.id).outcome }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 == .inserted }.count == 25)
        #expect(outcomes.filter { $0 == .unchanged }.count == 25 * 7)
        #expect(try await store.documentCount(projectID: project.id, status: nil) == 25)
    }

    @Test(.enabled(if: TestPostgres.url != nil))
    func severalProcessesMayOpenANewDatabaseAtOnce() async throws {
        let (url, _, _) = try await TestPostgres.makeEmptyDatabase()
        // Workers starting together: one migrates, the others wait for it and find the schema made.
        let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
            for _ in 0..<4 { group.addTask { try await PostgresStore(url: url, connections: 1) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        defer { for store in stores { try? store.close() } }
        _ = try await stores[0].createProject(name: "grants", description: nil)
        for store in stores { #expect(try await store.projects().map(\.name) == ["grants"]) }
        let versions = try await stores[1].read { db in
            try await db.rows("SELECT version FROM assay_migrations").map { try $0.field("version", as: Int.self) }
        }
        #expect(versions.sorted() == [1, 2, 3, 4, 5])
    }
}
