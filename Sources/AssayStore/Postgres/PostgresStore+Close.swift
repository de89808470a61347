extension PostgresStore: ClosableStore {
    /// Ends the connection pool; later accesses throw. Called once, at the end of a graceful shutdown.
    public func close() throws {
        stop()
    }
}
