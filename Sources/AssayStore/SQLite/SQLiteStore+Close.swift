import GRDB

/// A store that holds a connection to close on shutdown.
public protocol ClosableStore: Sendable {
    func close() throws
}

extension SQLiteStore: ClosableStore {
    /// Closes the database; later accesses throw. Called once, at the end of a graceful shutdown.
    public func close() throws {
        try writer.close()
    }
}
