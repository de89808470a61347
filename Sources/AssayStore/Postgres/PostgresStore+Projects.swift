import AssayCore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Creates a project in status `created`; throws `StoreError.duplicateProject` when the name is taken.
    public func createProject(name: String, description: String?) async throws -> Project {
        try await insertProject(name: name, description: description, owner: nil)
    }

    /// Inserts a project; the UNIQUE index decides whether the name is taken, not a prior SELECT,
    /// so it also holds against other processes.
    func insertProject(name: String, description: String?, owner: String?) async throws -> Project {
        try SQL.refuseNUL(name, field: "name")
        try SQL.refuseNUL(description, field: "description")
        do {
            return try await write { db in
                let row = try await db.row(
                    """
                    INSERT INTO projects (name, description, owner, status, created_at)
                    VALUES (\(name), \(description), \(owner), \(ProjectStatus.created.rawValue), \(Date()))
                    RETURNING *
                    """)
                return try Project(row: row!)
            }
        } catch let error as PostgresError where error.isUniqueViolation {
            throw StoreError.duplicateProject(name)
        }
    }

    /// The project with this id, or nil.
    public func project(id: Int64) async throws -> Project? {
        try await read { db in try await Self.project(db, id: id) }
    }

    /// The project with this exact name, or nil. Projects without an owner (the CLI's and the
    /// built-in failure-patterns project) come first: a service user's project of the same name
    /// never stands in for them.
    public func project(named name: String) async throws -> Project? {
        try await read { db in
            try await db.row("SELECT * FROM projects WHERE name = \(name) ORDER BY owner IS NOT NULL, id LIMIT 1")
                .map(Project.init(row:))
        }
    }

    /// All projects, oldest first.
    public func projects() async throws -> [Project] {
        try await read { db in try await db.rows("SELECT * FROM projects ORDER BY id").map(Project.init(row:)) }
    }

    /// Moves a project along its workflow; throws `StoreError.notFound` for an unknown id.
    public func setProjectStatus(_ status: ProjectStatus, projectID: Int64) async throws {
        try await write { db in try await Self.setProjectStatus(db, status, projectID: projectID) }
    }

    public func setProjectBudget(_ budget: Budget, projectID: Int64) async throws {
        try await write { db in
            let changed = try await db.execute(
                "UPDATE projects SET max_tokens = \(budget.maxTokens), max_cost = \(budget.maxCost) WHERE id = \(projectID) RETURNING 1")
            if changed == 0 { throw StoreError.notFound("project #\(projectID)") }
        }
    }

    public func setProjectUnit(_ unit: UnitOfObservation, entityInstruction: String?, projectID: Int64) async throws {
        try SQL.refuseNUL(entityInstruction, field: "entity_instruction")
        try await write { db in
            let changed = try await db.execute(
                """
                UPDATE projects SET unit = \(unit.rawValue), entity_instruction = \(unit == .entity ? entityInstruction : nil)
                WHERE id = \(projectID) RETURNING 1
                """)
            if changed == 0 { throw StoreError.notFound("project #\(projectID)") }
        }
    }

    static func setProjectStatus(_ db: PostgresSession, _ status: ProjectStatus, projectID: Int64) async throws {
        let changed = try await db.execute("UPDATE projects SET status = \(status.rawValue) WHERE id = \(projectID) RETURNING 1")
        if changed == 0 { throw StoreError.notFound("project #\(projectID)") }
    }

    static func project(_ db: PostgresSession, id: Int64) async throws -> Project? {
        try await db.row("SELECT * FROM projects WHERE id = \(id)").map(Project.init(row:))
    }

    /// Throws `StoreError.notFound` unless the project exists, so callers get that instead of a
    /// foreign-key failure.
    static func requireProject(_ db: PostgresSession, id: Int64) async throws {
        guard try await db.row("SELECT 1 FROM projects WHERE id = \(id)") != nil else {
            throw StoreError.notFound("project #\(id)")
        }
    }
}
