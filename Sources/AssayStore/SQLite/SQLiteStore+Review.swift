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
        if let coder = filter.blindFor {
            conditions.append("NOT EXISTS (SELECT 1 FROM assignments a WHERE a.document_id = e.document_id AND a.user_id = ? AND a.blind)")
            arguments += try .checked([coder])
        }
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
                let value = try Row.fetchOne(
                    db, sql: "SELECT document_id, variable, entity_index, value_json FROM extractions WHERE id = ?",
                    arguments: try .checked([feedback.extractionID]))
            else {
                throw StoreError.notFound("extraction #\(feedback.extractionID.map(String.init) ?? "?")")
            }
            try db.execute(
                sql: """
                    INSERT INTO feedback (extraction_id, document_id, variable, entity_index, reviewed_value_json, verdict,
                        corrected_value_json, note, author, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: try .checked([
                    feedback.extractionID, value["document_id"] as Int64, value["variable"] as String, value["entity_index"] as Int,
                    value["value_json"] as String, feedback.verdict.rawValue, feedback.correctedValue?.serialized(),
                    feedback.note, feedback.author, feedback.createdAt.storedSeconds,
                ]))
            return try Self.feedback(db, id: db.lastInsertedRowID)
        }
    }

    public func feedback(projectID: Int64, variable: String?) async throws -> [Feedback] {
        try await writer.read { db in
            var sql = """
                SELECT f.* FROM feedback f JOIN documents d ON d.id = f.document_id
                WHERE d.project_id = ?
                """
            var arguments: StatementArguments = [projectID]
            if let variable {
                sql += " AND f.variable = ?"
                arguments += try .checked([variable])
            }
            return try Row.fetchAll(db, sql: sql + " ORDER BY f.id", arguments: arguments).map(Feedback.init(row:))
        }
    }
}

extension SQLiteStore {
    static func feedback(_ db: Database, id: Int64) throws -> Feedback {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM feedback WHERE id = ?", arguments: [id]) else {
            throw StoreError.notFound("feedback #\(id)")
        }
        return try Feedback(row: row)
    }

    /// Migration "v15: feedback kept across re-coding": a verdict belongs to its document,
    /// variable and entity and keeps the value as reviewed; the value itself may go (re-coding
    /// replaces it: the link goes NULL) where it used to take the feedback with it.
    static func registerLastingFeedback(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v15: feedback kept across re-coding") { db in
            try db.execute(
                sql: """
                    CREATE TABLE feedback_kept (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        extraction_id INTEGER REFERENCES extractions(id) ON DELETE SET NULL,
                        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                        variable TEXT NOT NULL,
                        entity_index INTEGER NOT NULL DEFAULT 0,
                        reviewed_value_json TEXT,
                        verdict TEXT NOT NULL,
                        corrected_value_json TEXT,
                        note TEXT,
                        author TEXT,
                        created_at REAL NOT NULL
                    );
                    INSERT INTO feedback_kept (id, extraction_id, document_id, variable, entity_index, reviewed_value_json,
                        verdict, corrected_value_json, note, author, created_at)
                    SELECT f.id, f.extraction_id, e.document_id, e.variable, e.entity_index, e.value_json,
                        f.verdict, f.corrected_value_json, f.note, f.author, f.created_at
                    FROM feedback f JOIN extractions e ON e.id = f.extraction_id;
                    DROP TABLE feedback;
                    ALTER TABLE feedback_kept RENAME TO feedback;
                    CREATE INDEX feedback_extraction ON feedback(extraction_id);
                    CREATE INDEX feedback_document ON feedback(document_id, variable);
                    """)
        }
    }
}

extension Feedback {
    init(row: Row) throws {
        let corrected: String? = try row.field("corrected_value_json")
        let reviewed: String? = try row.field("reviewed_value_json")
        self.init(
            id: try row.field("id"), extractionID: try row.field("extraction_id"),
            verdict: try row.enumField("verdict"), correctedValue: try corrected.map { try JSONValue.parse($0) },
            note: try row.field("note"), author: try row.field("author"), variable: try row.field("variable"),
            createdAt: try row.dateField("created_at"))
        documentID = try row.field("document_id")
        entityIndex = try row.field("entity_index")
        reviewedValue = try reviewed.map { try JSONValue.parse($0) }
    }
}
