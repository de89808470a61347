import AssayCore
import Foundation
import GRDB

extension SQLiteStore: ReviewStore {
    public func createProject(name: String, description: String?, owner: String) async throws -> Project {
        try StatementArguments.refuseNUL(name, field: "name")
        try StatementArguments.refuseNUL(description, field: "description")
        do {
            return try await writer.write { db in
                try db.execute(
                    sql: "INSERT INTO projects (name, description, owner, status, created_at) VALUES (?, ?, ?, ?, ?)",
                    arguments: try .checked([name, description, owner, ProjectStatus.created.rawValue, Date().storedSeconds]))
                return try Self.project(db, id: db.lastInsertedRowID)!
            }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw StoreError.duplicateProject(name)
        }
    }

    public func projects(owner: String) async throws -> [Project] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM projects WHERE owner = ? ORDER BY id", arguments: try .checked([owner]))
                .map(Project.init(row:))
        }
    }

    public func updateProject(id: Int64, name: String?, description: String?) async throws -> Project {
        try StatementArguments.refuseNUL(name, field: "name")
        try StatementArguments.refuseNUL(description, field: "description")
        do {
            return try await writer.write { db in
                guard let current = try Self.project(db, id: id) else { throw StoreError.notFound("project #\(id)") }
                try db.execute(
                    sql: "UPDATE projects SET name = ?, description = ? WHERE id = ?",
                    arguments: try .checked([name ?? current.name, description ?? current.description, id]))
                return try Self.project(db, id: id)!
            }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw StoreError.duplicateProject(name ?? "")
        }
    }

    public func deleteProject(id: Int64) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM projects WHERE id = ?", arguments: try .checked([id]))
            if db.changesCount == 0 { throw StoreError.notFound("project #\(id)") }
        }
    }

    public func deleteDocument(id: Int64) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM documents WHERE id = ?", arguments: try .checked([id]))
            if db.changesCount == 0 { throw StoreError.notFound("document #\(id)") }
        }
    }

    public func extraction(id: Int64) async throws -> Extraction? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM extractions WHERE id = ?", arguments: try .checked([id])).map(Extraction.init(row:))
        }
    }

    public func extractions(
        projectID: Int64, filter: ExtractionFilter, limit: Int, offset: Int
    ) async throws
        -> (items: [Extraction], total: Int)
    {
        var conditions = ["d.project_id = ?"]
        var arguments: StatementArguments = [projectID]
        if let variable = filter.variable {
            conditions.append("e.variable = ?")
            arguments += try .checked([variable])
        }
        if let status = filter.status {
            conditions.append("e.status = ?")
            arguments += try .checked([status.rawValue])
        }
        if let document = filter.documentID {
            conditions.append("e.document_id = ?")
            arguments += try .checked([document])
        }
        if let job = filter.jobID {
            conditions.append("e.job_id = ?")
            arguments += try .checked([job])
        }
        if let below = filter.confidenceBelow {
            conditions.append("e.confidence < ?")
            arguments += try .checked([below])
        }
        if filter.runsDisagree { conditions.append("e.run_agreement < 1") }
        let order =
            switch filter.order {
            case .id: "e.id"
            case .review:
                """
                CASE e.status WHEN 'failed' THEN 0 WHEN 'flagged' THEN 1 ELSE 2 END,
                COALESCE(e.run_agreement, 1), e.confidence IS NOT NULL, e.confidence, e.id
                """
            }
        let from = "FROM extractions e JOIN documents d ON d.id = e.document_id WHERE " + conditions.joined(separator: " AND ")
        let matching = arguments
        return try await writer.read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) " + from, arguments: matching) ?? 0
            var page = matching
            page += [max(0, limit), max(0, offset)]
            let items = try Row.fetchAll(db, sql: "SELECT e.* " + from + " ORDER BY \(order) LIMIT ? OFFSET ?", arguments: page)
                .map(Extraction.init(row:))
            return (items, total)
        }
    }

    public func addFeedback(_ feedback: Feedback) async throws -> Feedback {
        try await writer.write { db in
            guard
                let variable = try String.fetchOne(
                    db, sql: "SELECT variable FROM extractions WHERE id = ?",
                    arguments: try .checked([feedback.extractionID]))
            else {
                throw StoreError.notFound("extraction #\(feedback.extractionID)")
            }
            try db.execute(
                sql: """
                    INSERT INTO feedback (extraction_id, verdict, corrected_value_json, note, author, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: try .checked([
                    feedback.extractionID, feedback.verdict.rawValue, feedback.correctedValue?.serialized(),
                    feedback.note, feedback.author, feedback.createdAt.storedSeconds,
                ]))
            var stored = feedback
            stored.id = db.lastInsertedRowID
            stored.variable = variable
            return stored
        }
    }

    public func feedback(projectID: Int64, variable: String?) async throws -> [Feedback] {
        try await writer.read { db in
            var sql = """
                SELECT f.*, e.variable FROM feedback f
                JOIN extractions e ON e.id = f.extraction_id JOIN documents d ON d.id = e.document_id
                WHERE d.project_id = ?
                """
            var arguments: StatementArguments = [projectID]
            if let variable {
                sql += " AND e.variable = ?"
                arguments += try .checked([variable])
            }
            return try Row.fetchAll(db, sql: sql + " ORDER BY f.id", arguments: arguments).map(Feedback.init(row:))
        }
    }
}

extension Feedback {
    init(row: Row) throws {
        let corrected: String? = try row.field("corrected_value_json")
        self.init(
            id: try row.field("id"), extractionID: try row.field("extraction_id"),
            verdict: try row.enumField("verdict"), correctedValue: try corrected.map { try JSONValue.parse($0) },
            note: try row.field("note"), author: try row.field("author"), variable: try row.field("variable"),
            createdAt: try row.dateField("created_at"))
    }
}
