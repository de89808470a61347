import AssayCore
import Foundation
import GRDB

extension SQLiteStore {
    /// Migration "v10: costs": cached tokens and cost in dollars per job and per document
    /// outcome (the document's last run). Jobs and outcomes stored before it have no cost.
    static func registerCosts(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v10: costs") { db in
            try db.execute(
                sql: """
                    ALTER TABLE jobs ADD COLUMN tokens_cached INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE jobs ADD COLUMN cost REAL;
                    ALTER TABLE document_outcomes ADD COLUMN tokens_in INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE document_outcomes ADD COLUMN tokens_out INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE document_outcomes ADD COLUMN tokens_cached INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE document_outcomes ADD COLUMN cost REAL;
                    """)
        }
    }

    public func spending(projectID: Int64) async throws -> Spending {
        try await writer.read { db in
            let jobs = try Row.fetchOne(
                db,
                sql: """
                    SELECT COALESCE(SUM(tokens_in), 0) AS tokens_in, COALESCE(SUM(tokens_out), 0) AS tokens_out,
                        COALESCE(SUM(tokens_cached), 0) AS tokens_cached, SUM(cost) AS cost, COUNT(cost) AS priced_jobs
                    FROM jobs WHERE project_id = ?
                    """,
                arguments: [projectID])
            let documents = try Row.fetchOne(
                db,
                sql: """
                    SELECT COUNT(o.cost) AS priced, SUM(o.cost) AS cost FROM document_outcomes o
                    JOIN documents d ON d.id = o.document_id WHERE d.project_id = ?
                    """,
                arguments: [projectID])
            let priced: Int = documents?["priced"] ?? 0
            let lastRuns: Double? = documents?["cost"]
            return Spending(
                tokensIn: jobs?["tokens_in"] ?? 0, tokensOut: jobs?["tokens_out"] ?? 0, tokensCached: jobs?["tokens_cached"] ?? 0,
                cost: (jobs?["priced_jobs"] ?? 0) > 0 ? jobs?["cost"] : nil,
                costPerDocument: priced > 0 ? lastRuns.map { $0 / Double(priced) } : nil)
        }
    }
}
