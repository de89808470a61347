import AssayCore
import Foundation
import GRDB

/// The embedded `Store`: one SQLite file (or memory) through GRDB.
///
/// Every method is one GRDB access, and every write is one IMMEDIATE transaction, so writes from
/// several `SQLiteStore` instances (or processes) on the same file serialize on SQLite's write
/// lock and wait for it (`busyMode`) instead of failing.
public final class SQLiteStore: Store {
    /// The connection (pool or queue) all accesses go through.
    package let writer: any DatabaseWriter
    /// Who claims work through this handle (`WorkClaims`): this process, unless opened as another.
    public let worker: String

    /// Opens (creating if needed) the database file at `path` in WAL mode and brings its schema up to date.
    /// The parent directory is created when missing. Throws `StoreError.unavailable` when the file
    /// cannot be opened or is not an Assay database.
    public convenience init(path: String, worker: String = Worker.current) throws {
        let url = URL(fileURLWithPath: path)
        let pool: DatabasePool
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            // A pool is WAL: readers never block the writer, and other processes can share the file.
            pool = try DatabasePool(path: url.path, configuration: Self.configuration())
            try Self.migrator.migrate(pool)
        } catch {
            throw StoreError.unavailable("cannot open \(path): \(error)")
        }
        self.init(migrated: pool, worker: worker)
    }

    /// A fresh, empty database that lives as long as the returned store; for tests and dry runs.
    public static func inMemory() throws -> SQLiteStore {
        let queue = try DatabaseQueue(configuration: configuration())
        try migrator.migrate(queue)
        return SQLiteStore(migrated: queue)
    }

    /// Wraps a connection whose schema is up to date.
    private init(migrated writer: any DatabaseWriter, worker: String = Worker.current) {
        self.writer = writer
        self.worker = worker
    }

    /// Another handle on the same database that claims work as `worker`: two workers in one
    /// process (tests), each holding its own claims.
    public func asWorker(_ worker: String) -> SQLiteStore {
        SQLiteStore(migrated: writer, worker: worker)
    }

    static func configuration() -> Configuration {
        var config = Configuration()
        // Another store on the same file may hold the write lock for a moment; wait rather than fail.
        config.busyMode = .timeout(10)
        // Cascading deletes depend on it; GRDB's default, stated so it is never lost.
        config.foreignKeysEnabled = true
        return config
    }
}
