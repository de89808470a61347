import AssayCore
import AssayStore

/// Where failure patterns and trace-run summaries are kept, beside the documents (traces) and
/// jobs of the ordinary store. The SQLite store keeps them in its own file (tables created by
/// the store's migrations, so one database has one migration history).
public protocol PatternStore: Sendable {
    /// Stores the pattern, replacing any earlier one for the same source trace in the project.
    func savePattern(_ pattern: StoredPattern) async throws
    func patterns(projectID: Int64, filter: PatternFilter) async throws -> [StoredPattern]
    /// Ids of the project's ready documents that have no pattern yet, oldest first.
    func documentsWithoutPattern(projectID: Int64, limit: Int) async throws -> [Int64]
    /// A run's summary (JSON), one per job; saving again replaces it.
    func saveRunSummary(_ json: String, jobID: Int64) async throws
    func runSummaries(projectID: Int64) async throws -> [(jobID: Int64, json: String)]
}

extension SQLiteStore: PatternStore {}
extension PostgresStore: PatternStore {}

extension StoreLocation {
    /// `open()` for the front ends that also keep failure patterns (`assay serve`, `assay traces`):
    /// both stores do.
    public func openWithPatterns() async throws -> any AssayDatabase & PatternStore {
        switch self {
        case .sqlite(let path): try SQLiteStore(path: path)
        case .postgres(let address): try await PostgresStore(address: address)
        }
    }
}
