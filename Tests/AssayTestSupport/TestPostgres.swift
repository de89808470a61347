import AssayStore
import Foundation
import NIOConcurrencyHelpers
import PostgresNIO
import Testing

/// PostgreSQL for the store tests: the server at `ASSAY_TEST_POSTGRES_URL` (scripts/postgres.sh
/// starts one; scripts/test.sh exports it). Each test gets a database of its own, created empty
/// and dropped when the test ends, so tests run in parallel and leave nothing behind.
package enum TestPostgres {
    /// The server's URL, or nil when the tests run without PostgreSQL (a developer's quick run).
    package static var url: String? {
        ProcessInfo.processInfo.environment["ASSAY_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether leaving PostgreSQL out is a failure: in CI (`CI`) and wherever `ASSAY_REQUIRE_POSTGRES` is set.
    package static var isRequired: Bool {
        let environment = ProcessInfo.processInfo.environment
        return ["CI", "ASSAY_REQUIRE_POSTGRES"].contains { environment[$0].map { !$0.isEmpty && $0 != "0" && $0 != "false" } ?? false }
    }

    /// A new, empty database on the server, migrated. Inside a test with the
    /// `.postgresDatabases` trait it is dropped when the test ends.
    package static func makeStore() async throws -> PostgresStore {
        let (store, _) = try await makeDatabase()
        return store
    }

    /// `makeStore()`, with the database's URL (for a process that opens it itself, such as the CLI).
    package static func makeDatabase() async throws -> (store: PostgresStore, url: String) {
        let (url, address, name) = try await makeEmptyDatabase()
        let store = try await PostgresStore(address: address, connections: 4)
        TestDatabases.current?.add(store: store, name: name, address: address)
        return (store, url)
    }

    /// A new database with nothing in it, not even Assay's tables: its URL. Dropped as `makeStore()`'s.
    package static func makeEmptyDatabase() async throws -> (url: String, address: PostgresAddress, name: String) {
        guard let url else { throw StoreError.unavailable("ASSAY_TEST_POSTGRES_URL is not set (scripts/postgres.sh start)") }
        var address = try PostgresAddress(url: url)
        // Lowercase letters and digits only: safe to write into CREATE DATABASE as it is.
        let name = "assay_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await admin(address).query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
        address.database = name
        if let current = TestDatabases.current {
            current.add(store: nil, name: name, address: address)
        } else {
            Issue.record("a PostgreSQL test database outside the .postgresDatabases trait is never dropped: add the trait to the suite")
        }
        var databaseURL = URLComponents(string: url)!
        databaseURL.path = "/" + name
        return (databaseURL.string!, address, name)
    }

    /// Drops a test's database, closing its store first.
    static func drop(_ name: String, store: PostgresStore?, address: PostgresAddress) async throws {
        try store?.close()
        // FORCE ends the connections the closing pool may still hold.
        try await admin(address).query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
    }

    /// One pool on the server's own database for creating and dropping, running for the process's life.
    private static func admin(_ address: PostgresAddress) -> PostgresClient {
        adminClient.withLockedValue { client in
            if let client { return client }
            var configuration = PostgresClient.Configuration(
                host: address.host, port: address.port, username: address.user, password: address.password,
                database: address.database, tls: .disable)
            configuration.options.maximumConnections = 4
            let created = PostgresClient(configuration: configuration)
            Task.detached { await created.run() }
            client = created
            return created
        }
    }

    private static let adminClient = NIOLockedValueBox<PostgresClient?>(nil)
}

/// The PostgreSQL databases one test created, dropped when it ends.
final class TestDatabases: Sendable {
    @TaskLocal static var current: TestDatabases?

    /// Each database by name, with the store that opened it (closed before the drop).
    private let created = NIOLockedValueBox<[String: (store: PostgresStore?, address: PostgresAddress)]>([:])

    func add(store: PostgresStore?, name: String, address: PostgresAddress) {
        created.withLockedValue { created in
            if store != nil || created[name] == nil { created[name] = (store, address) }
        }
    }

    func dropAll() async throws {
        for (name, database) in created.withLockedValue({ $0 }) {
            try await TestPostgres.drop(name, store: database.store, address: database.address)
        }
    }
}

/// Drops the PostgreSQL databases each test (each case of a parameterised one) created; put it on
/// every suite whose tests call `TestPostgres.makeStore()` (through `StoreKind.postgres`).
package struct PostgresDatabasesTrait: SuiteTrait, TestTrait, TestScoping {
    package var isRecursive: Bool { true }

    package func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        testCase == nil ? nil : self
    }

    package func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let databases = TestDatabases()
        do {
            try await TestDatabases.$current.withValue(databases) { try await function() }
        } catch {
            try await databases.dropAll()
            throw error
        }
        try await databases.dropAll()
    }
}

extension Trait where Self == PostgresDatabasesTrait {
    /// Each test's PostgreSQL databases are dropped when it ends.
    package static var postgresDatabases: Self { PostgresDatabasesTrait() }
}
