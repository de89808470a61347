import AssayCore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// What the project's jobs spent, in all and per document (each document's last run).
    public func spending(projectID: Int64) async throws -> Spending {
        try await read { db in
            // SUM of BIGINT is NUMERIC in PostgreSQL: cast back to what the counters are.
            let jobs = try await db.row(
                """
                SELECT COALESCE(SUM(tokens_in), 0)::BIGINT AS tokens_in, COALESCE(SUM(tokens_out), 0)::BIGINT AS tokens_out,
                    COALESCE(SUM(tokens_cached), 0)::BIGINT AS tokens_cached, SUM(cost) AS cost, COUNT(cost) AS priced_jobs
                FROM jobs WHERE project_id = \(projectID)
                """)
            let documents = try await db.row(
                """
                SELECT COUNT(o.cost) AS priced, SUM(o.cost) AS cost FROM document_outcomes o
                JOIN documents d ON d.id = o.document_id WHERE d.project_id = \(projectID)
                """)
            let priced = try documents?.field("priced", as: Int.self) ?? 0
            let lastRuns = try documents?.field("cost", as: Double?.self)
            let pricedJobs = try jobs?.field("priced_jobs", as: Int.self) ?? 0
            return Spending(
                tokensIn: try jobs?.field("tokens_in", as: Int.self) ?? 0, tokensOut: try jobs?.field("tokens_out", as: Int.self) ?? 0,
                tokensCached: try jobs?.field("tokens_cached", as: Int.self) ?? 0,
                cost: pricedJobs > 0 ? try jobs?.field("cost", as: Double?.self) : nil,
                costPerDocument: priced > 0 ? lastRuns.map { $0 / Double(priced) } : nil)
        }
    }
}
