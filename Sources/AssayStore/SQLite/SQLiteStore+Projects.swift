import AssayCore
import Foundation
import GRDB

extension SQLiteStore {
    /// Creates a project in status `created`; throws `StoreError.duplicateProject` when the name is taken.
    public func createProject(name: String, description: String?) async throws -> Project {
        try StatementArguments.refuseNUL(name, field: "name")
        try StatementArguments.refuseNUL(description, field: "description")
        do {
            return try await writer.write { db in
                try db.execute(
                    sql: "INSERT INTO projects (name, description, status, created_at) VALUES (?, ?, ?, ?)",
                    arguments: try .checked([name, description, ProjectStatus.created.rawValue, Date().storedSeconds]))
                return try Self.project(db, id: db.lastInsertedRowID)!
            }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            // The UNIQUE index decides, not a prior SELECT: it also holds against other processes.
            throw StoreError.duplicateProject(name)
        }
    }

    /// The project with this id, or nil.
    public func project(id: Int64) async throws -> Project? {
        try await writer.read { db in try Self.project(db, id: id) }
    }

    /// The project with this exact name, or nil. Projects without an owner (the CLI's and the
    /// built-in failure-patterns project) come first: a service user's project of the same name
    /// never stands in for them.
    public func project(named name: String) async throws -> Project? {
        try await writer.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM projects WHERE name = ? ORDER BY owner IS NOT NULL, id LIMIT 1",
                arguments: try .checked([name])
            ).map(Project.init(row:))
        }
    }

    /// All projects, oldest first.
    public func projects() async throws -> [Project] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM projects ORDER BY id").map(Project.init(row:))
        }
    }

    /// Moves a project along its workflow; throws `StoreError.notFound` for an unknown id.
    public func setProjectStatus(_ status: ProjectStatus, projectID: Int64) async throws {
        try await writer.write { db in try Self.setProjectStatus(db, status, projectID: projectID) }
    }

    public func setProjectUnit(_ unit: UnitOfObservation, entityInstruction: String?, projectID: Int64) async throws {
        try StatementArguments.refuseNUL(entityInstruction, field: "entity_instruction")
        try await writer.write { db in
            try db.execute(
                sql: "UPDATE projects SET unit = ?, entity_instruction = ? WHERE id = ?",
                arguments: try .checked([unit.rawValue, unit == .entity ? entityInstruction : nil, projectID]))
            if db.changesCount == 0 { throw StoreError.notFound("project #\(projectID)") }
        }
    }

    static func setProjectStatus(_ db: Database, _ status: ProjectStatus, projectID: Int64) throws {
        try db.execute(sql: "UPDATE projects SET status = ? WHERE id = ?", arguments: try .checked([status.rawValue, projectID]))
        if db.changesCount == 0 { throw StoreError.notFound("project #\(projectID)") }
    }

    static func project(_ db: Database, id: Int64) throws -> Project? {
        try Row.fetchOne(db, sql: "SELECT * FROM projects WHERE id = ?", arguments: try .checked([id])).map(Project.init(row:))
    }

    /// Throws `StoreError.notFound` unless the project exists, so callers get that instead of a
    /// foreign-key failure.
    static func requireProject(_ db: Database, id: Int64) throws {
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM projects WHERE id = ?)", arguments: try .checked([id])) == true
        else {
            throw StoreError.notFound("project #\(id)")
        }
    }
}
