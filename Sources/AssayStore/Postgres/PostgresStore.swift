import AssayCore
import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// The server `Store`: a PostgreSQL database through postgres-nio's connection pool, which
/// several processes (and later several machines) share.
///
/// Every method is one pooled connection's work, and every write is one transaction (`write`), so
/// what belongs together commits together, as with `SQLiteStore`. The pool runs in a task the
/// store owns, from `init` until `close()`.
public final class PostgresStore: Store {
    package let client: PostgresClient
    package let logger: Logger
    /// Where the database is (its description leaves out the password).
    public let address: PostgresAddress
    /// `PostgresClient.run()`: nothing is leased without it; cancelled by `close()`. A handle
    /// made by `asWorker` shares its owner's pool and keeps the owner alive.
    private let pool: Task<Void, Never>
    private let owner: PostgresStore?
    /// Who claims work through this handle (`WorkClaims`): this process, unless opened as another.
    public let worker: String

    /// Connects to the database at `address` and brings its schema up to date (`migrations`).
    /// Throws `StoreError.unavailable` when the server cannot be reached or refuses.
    /// - Parameters:
    ///   - connections: the most connections the pool opens to the server.
    ///   - logger: postgres-nio's background events (connections opened and lost); silent by default.
    public init(
        address: PostgresAddress, connections: Int = 16,
        logger: Logger = Logger(label: "assay.postgres", factory: { _ in SwiftLogNoOpLogHandler() }),
        worker: String = Worker.current
    ) async throws {
        // One connection first, for the migrations: a server that refuses, or a wrong password,
        // fails the open at once with its reason, where the pool would keep retrying in the background.
        do {
            let connection = try await PostgresConnection.connect(
                configuration: try Self.connectionConfiguration(address), id: 0, logger: logger)
            do {
                try await Self.migrate(PostgresSession(connection: connection, logger: logger))
                try await connection.close()
            } catch {
                try? await connection.close()
                throw error
            }
        } catch {
            throw StoreError.unavailable("cannot open \(address): \(Self.reason(error))")
        }
        var configuration = PostgresClient.Configuration(
            host: address.host, port: address.port, username: address.user, password: address.password,
            database: address.database, tls: Self.tls(address.tls))
        configuration.options.maximumConnections = max(1, connections)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        self.address = address
        self.pool = Task { await client.run() }
        self.owner = nil
        self.worker = worker
    }

    private init(sharing owner: PostgresStore, worker: String) {
        (client, logger, address, pool) = (owner.client, owner.logger, owner.address, owner.pool)
        self.owner = owner
        self.worker = worker
    }

    /// Another handle on the same pool that claims work as `worker`: two workers in one
    /// process (tests), each holding its own claims.
    public func asWorker(_ worker: String) -> PostgresStore {
        PostgresStore(sharing: owner ?? self, worker: worker)
    }

    /// Opens the database a `postgres://` URL names.
    public convenience init(url: String, connections: Int = 16) async throws {
        try await self.init(address: PostgresAddress(url: url), connections: connections)
    }

    /// Ends the pool: connections close, later accesses throw.
    package func stop() { pool.cancel() }

    /// A store dropped without `close()` still lets its connections go.
    deinit { if owner == nil { pool.cancel() } }

    private static func tls(_ mode: PostgresAddress.TLSMode) -> PostgresClient.Configuration.TLS {
        switch mode {
        case .disable: .disable
        case .prefer: .prefer(tlsConfiguration(mode))
        case .require, .verifyCA, .verifyFull: .require(tlsConfiguration(mode))
        }
    }

    /// What `sslmode` checks of the server's certificate, as libpq does.
    private static func tlsConfiguration(_ mode: PostgresAddress.TLSMode) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification =
            switch mode {
            case .disable, .prefer, .require: .none
            case .verifyCA: .noHostnameVerification
            case .verifyFull: .fullVerification
            }
        return configuration
    }

    private static func connectionConfiguration(_ address: PostgresAddress) throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS =
            switch address.tls {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: tlsConfiguration(address.tls)))
            case .require, .verifyCA, .verifyFull: .require(try NIOSSLContext(configuration: tlsConfiguration(address.tls)))
            }
        return PostgresConnection.Configuration(
            host: address.host, port: address.port, username: address.user, password: address.password,
            database: address.database, tls: tls)
    }

    // MARK: Access

    /// Runs `body` on one pooled connection, outside a transaction.
    package func read<Result: Sendable>(_ body: (PostgresSession) async throws -> Result) async throws -> Result {
        var leased = false
        do {
            return try await client.withConnection { connection in
                leased = true
                return try await body(PostgresSession(connection: connection, logger: logger))
            }
        } catch {
            throw Self.translate(error, leased: leased)
        }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws
    /// (its error passes through unchanged).
    package func write<Result: Sendable>(_ body: (PostgresSession) async throws -> Result) async throws -> Result {
        // A deadlock or serialization failure rolled the whole transaction back: run it again
        // (the server chose it as the victim; the other transaction went through).
        for attempt in 1... {
            do {
                return try await writeOnce(body)
            } catch let error as PostgresError where error.isRetryable && attempt < 5 {
                try await Task.sleep(for: .milliseconds(10 * attempt))
            }
        }
        fatalError("unreachable")
    }

    private func writeOnce<Result: Sendable>(_ body: (PostgresSession) async throws -> Result) async throws -> Result {
        var leased = false
        do {
            return try await client.withConnection { connection in
                leased = true
                // As `PostgresSession.transaction`, written out: the closure cannot be passed on from here.
                let session = PostgresSession(connection: connection, logger: logger)
                try await session.execute("BEGIN")
                do {
                    let result = try await body(session)
                    try await session.execute("COMMIT")
                    return result
                } catch {
                    await session.rollback()
                    throw error
                }
            }
        } catch {
            throw Self.translate(error, leased: leased)
        }
    }

    /// The store's own errors pass; no connection (the pool closed, the server gone) or a
    /// connection that failed is `StoreError.unavailable`; a server error becomes `PostgresError`
    /// (postgres-nio's own hides its message).
    static func translate(_ error: any Error, leased: Bool) -> any Error {
        if !leased, !(error is PSQLError) { return StoreError.unavailable("no connection to the database: \(error)") }
        guard let error = error as? PSQLError else { return error }
        if let server = error.serverInfo {
            // Text PostgreSQL cannot store (a NUL the checks above missed) is the same refusal as SQLite's.
            if server[.sqlState] == "22021" || server[.sqlState] == "22P05" { return StoreError.nulCharacter(field: "text") }
            return PostgresError(sqlState: server[.sqlState] ?? "", message: server[.message] ?? "", constraint: server[.constraintName])
        }
        return StoreError.unavailable(reason(error))
    }

    /// What went wrong, in words, without the password (postgres-nio never prints it).
    static func reason(_ error: any Error) -> String {
        if let error = error as? StoreError { return error.description }
        if let error = error as? PostgresError { return error.description }
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            if let underlying = error.underlying { return "\(error.code): \(underlying)" }
            return "\(error.code)"
        }
        return "\(error)"
    }
}

/// An error the PostgreSQL server reported, with its SQLSTATE code.
public struct PostgresError: Error, Sendable, Equatable, CustomStringConvertible {
    public var sqlState: String
    public var message: String
    public var constraint: String?

    /// 23505: a UNIQUE constraint or index refused the row.
    public var isUniqueViolation: Bool { sqlState == "23505" }
    /// 40P01 (deadlock) or 40001 (serialization failure): the transaction was rolled back and
    /// may be run again as it was.
    public var isRetryable: Bool { sqlState == "40P01" || sqlState == "40001" }

    public var description: String { "PostgreSQL: \(message) (SQLSTATE \(sqlState))" }
}

/// One leased connection: statements run on it in order (inside `write`, in its transaction).
package struct PostgresSession {
    let connection: PostgresConnection
    let logger: Logger

    /// The rows `sql` returns.
    @discardableResult
    package func rows(_ sql: SQL) async throws -> [PostgresRandomAccessRow] {
        let query = try sql.checked()
        var rows: [PostgresRandomAccessRow] = []
        for try await row in try await connection.query(query, logger: logger) {
            rows.append(row.makeRandomAccess())
        }
        return rows
    }

    /// Each row `sql` returns made into a value as it arrives, without keeping the rows.
    package func map<T>(_ sql: SQL, _ transform: (PostgresRandomAccessRow) throws -> T) async throws -> [T] {
        let query = try sql.checked()
        var values: [T] = []
        for try await row in try await connection.query(query, logger: logger) {
            values.append(try transform(row.makeRandomAccess()))
        }
        return values
    }

    /// The first row `sql` returns, or nil.
    package func row(_ sql: SQL) async throws -> PostgresRandomAccessRow? {
        try await rows(sql).first
    }

    /// Runs `body` in a transaction on this connection: committed when it returns, rolled back
    /// when it throws (its error passes through unchanged, where postgres-nio's own
    /// `withTransaction` would wrap it).
    func transaction<Result: Sendable>(_ body: (PostgresSession) async throws -> Result) async throws -> Result {
        try await execute("BEGIN")
        do {
            let result = try await body(self)
            try await execute("COMMIT")
            return result
        } catch {
            await rollback()
            throw error
        }
    }

    /// Ends the open transaction. When even that fails (the connection broke, the task was
    /// cancelled mid-statement) the connection is closed, so the pool never hands out one that
    /// is still inside a transaction.
    func rollback() async {
        do {
            try await execute("ROLLBACK")
        } catch {
            try? await connection.close()
        }
    }

    /// Runs `sql`; how many rows it returned (`… RETURNING 1` counts the rows a statement changed).
    @discardableResult
    package func execute(_ sql: SQL) async throws -> Int {
        try await rows(sql).count
    }
}
