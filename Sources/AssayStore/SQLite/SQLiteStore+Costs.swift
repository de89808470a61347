import AssayCore
import Foundation
import GRDB

extension SQLiteStore {
    /// Migration "v10: costs": cached tokens and cost in dollars per job and per document
    /// outcome (the document's last run). Jobs and outcomes stored before it have no cost.
    /// Migration "v11: project budgets": what a project's jobs together may spend.
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
        // The seed schema's token_budget (8192 for every project) was never read: a project's
        // budget is what its jobs together may spend, in tokens or dollars, and has none at first.
        migrator.registerMigration("v11: project budgets") { db in
            try db.execute(
                sql: """
                    ALTER TABLE projects ADD COLUMN max_tokens INTEGER;
                    ALTER TABLE projects ADD COLUMN max_cost REAL;
                    ALTER TABLE projects DROP COLUMN token_budget;
                    """)
        }
    }

    public func setProjectBudget(_ budget: Budget, projectID: Int64) async throws {
        try await writer.write { db in
            try db.execute(
                sql: "UPDATE projects SET max_tokens = ?, max_cost = ? WHERE id = ?",
                arguments: [budget.maxTokens, budget.maxCost, projectID])
            guard db.changesCount > 0 else { throw StoreError.notFound("project #\(projectID)") }
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
