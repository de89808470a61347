import AssayCore
import Foundation
import PostgresNIO

extension PostgresStore: ReviewStore {
    public func createProject(name: String, description: String?, owner: String) async throws -> Project {
        try await insertProject(name: name, description: description, owner: owner)
    }

    public func projects(owner: String) async throws -> [Project] {
        try await read { db in
            try await db.rows("SELECT * FROM projects WHERE owner = \(owner) ORDER BY id").map(Project.init(row:))
        }
    }

    public func updateProject(id: Int64, name: String?, description: String?) async throws -> Project {
        try SQL.refuseNUL(name, field: "name")
        try SQL.refuseNUL(description, field: "description")
        do {
            return try await write { db in
                guard let current = try await Self.project(db, id: id) else { throw StoreError.notFound("project #\(id)") }
                let row = try await db.row(
                    """
                    UPDATE projects SET name = \(name ?? current.name), description = \(description ?? current.description)
                    WHERE id = \(id) RETURNING *
                    """)
                return try Project(row: row!)
            }
        } catch let error as PostgresError where error.isUniqueViolation {
            throw StoreError.duplicateProject(name ?? "")
        }
    }

    public func deleteProject(id: Int64) async throws {
        try await write { db in
            if try await db.execute("DELETE FROM projects WHERE id = \(id) RETURNING 1") == 0 {
                throw StoreError.notFound("project #\(id)")
            }
        }
    }

    public func deleteDocument(id: Int64) async throws {
        try await write { db in
            if try await db.execute("DELETE FROM documents WHERE id = \(id) RETURNING 1") == 0 {
                throw StoreError.notFound("document #\(id)")
            }
        }
    }

    public func extraction(id: Int64) async throws -> Extraction? {
        try await read { db in try await db.row("SELECT * FROM extractions WHERE id = \(id)").map(Extraction.init(row:)) }
    }

    public func extractions(
        projectID: Int64, filter: ExtractionFilter, limit: Int, offset: Int
    ) async throws
        -> (items: [Extraction], total: Int)
    {
        var from: SQL = "FROM extractions e JOIN documents d ON d.id = e.document_id WHERE d.project_id = \(projectID)"
        if let variable = filter.variable { from.append(" AND e.variable = \(variable)") }
        if let status = filter.status { from.append(" AND e.status = \(status.rawValue)") }
        if let document = filter.documentID { from.append(" AND e.document_id = \(document)") }
        if let job = filter.jobID { from.append(" AND e.job_id = \(job)") }
        if let below = filter.confidenceBelow { from.append(" AND e.confidence < \(below)") }
        if filter.runsDisagree { from.append(" AND e.run_agreement < 1") }
        if let coder = filter.blindFor {
            from.append(
                " AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.document_id = e.document_id AND a.user_id = \(coder) AND a.blind)")
        }
        let order =
            switch filter.order {
            case .id: "e.id"
            case .review:
                // As SQLite orders: NULL confidences (IS NOT NULL is false) first, then the least confident.
                """
                CASE e.status WHEN 'failed' THEN 0 WHEN 'flagged' THEN 1 ELSE 2 END,
                COALESCE(e.run_agreement, 1), e.confidence IS NOT NULL, e.confidence, e.id
                """
            }
        let count: SQL = "SELECT COUNT(*) AS n " + from
        let page: SQL = "SELECT e.* " + from + " ORDER BY \(unescaped: order) LIMIT \(max(0, limit)) OFFSET \(max(0, offset))"
        return try await read { db in
            let total = try await db.row(count)?.field("n", as: Int.self) ?? 0
            return (try await db.rows(page).map(Extraction.init(row:)), total)
        }
    }

    public func addFeedback(_ feedback: Feedback) async throws -> Feedback {
        try await write { db in
            guard let extractionID = feedback.extractionID,
                try await db.row("SELECT 1 FROM extractions WHERE id = \(extractionID)") != nil
            else {
                throw StoreError.notFound("extraction #\(feedback.extractionID.map(String.init) ?? "?")")
            }
            let row = try await db.row(
                """
                INSERT INTO feedback (extraction_id, document_id, variable, entity_index, reviewed_value_json, verdict,
                    corrected_value_json, note, author, created_at)
                SELECT id, document_id, variable, entity_index, value_json, \(feedback.verdict.rawValue),
                    \(feedback.correctedValue?.serialized()), \(feedback.note), \(feedback.author), \(feedback.createdAt)
                FROM extractions WHERE id = \(extractionID)
                RETURNING *
                """)
            return try Feedback(row: row!)
        }
    }

    public func feedback(projectID: Int64, variable: String?) async throws -> [Feedback] {
        var sql: SQL = """
            SELECT f.* FROM feedback f JOIN documents d ON d.id = f.document_id
            WHERE d.project_id = \(projectID)
            """
        if let variable { sql.append(" AND f.variable = \(variable)") }
        sql.append(" ORDER BY f.id")
        let query = sql
        return try await read { db in try await db.rows(query).map(Feedback.init(row:)) }
    }
}
