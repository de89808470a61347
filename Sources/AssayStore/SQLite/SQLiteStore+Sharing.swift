import AssayCore
import Foundation
import GRDB

extension SQLiteStore: SharingStore {
    /// Migration "v17: sharing": a project's members with their roles, and the documents given to
    /// coders (blind or not). Removed with their project or document.
    static func registerSharing(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v17: sharing") { db in
            try db.execute(
                sql: """
                    CREATE TABLE project_members (
                        project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                        user_id TEXT NOT NULL,
                        role TEXT NOT NULL,
                        added_at REAL NOT NULL,
                        PRIMARY KEY (project_id, user_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX project_members_user ON project_members(user_id);
                    CREATE TABLE assignments (
                        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                        user_id TEXT NOT NULL,
                        project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                        blind INTEGER NOT NULL,
                        assigned_at REAL NOT NULL,
                        PRIMARY KEY (document_id, user_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX assignments_project ON assignments(project_id, user_id);
                    """)
        }
    }

    public func setMember(projectID: Int64, userID: String, role: ProjectRole) async throws {
        try await writer.write { db in
            guard try Self.project(db, id: projectID) != nil else { throw StoreError.notFound("project #\(projectID)") }
            try db.execute(
                sql: """
                    INSERT INTO project_members (project_id, user_id, role, added_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (project_id, user_id) DO UPDATE SET role = excluded.role
                    """,
                arguments: try .checked([projectID, userID, role.rawValue, Date().storedSeconds]))
        }
    }

    public func removeMember(projectID: Int64, userID: String) async throws -> Bool {
        try await writer.write { db in
            try db.execute(
                sql: "DELETE FROM assignments WHERE project_id = ? AND user_id = ?", arguments: try .checked([projectID, userID]))
            try db.execute(
                sql: "DELETE FROM project_members WHERE project_id = ? AND user_id = ?", arguments: try .checked([projectID, userID]))
            return db.changesCount > 0
        }
    }

    public func members(projectID: Int64) async throws -> [ProjectMember] {
        try await writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM project_members WHERE project_id = ? ORDER BY added_at, user_id", arguments: [projectID]
            ).map(Self.member)
        }
    }

    public func memberRole(projectID: Int64, userID: String) async throws -> ProjectRole? {
        try await writer.read { db in
            try String.fetchOne(
                db, sql: "SELECT role FROM project_members WHERE project_id = ? AND user_id = ?",
                arguments: try .checked([projectID, userID])
            ).flatMap(ProjectRole.init(rawValue:))
        }
    }

    public func sharedProjects(userID: String) async throws -> [SharedProject] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT p.*, m.role AS member_role FROM projects p JOIN project_members m ON m.project_id = p.id
                    WHERE m.user_id = ? ORDER BY p.id
                    """,
                arguments: try .checked([userID])
            ).compactMap { row in
                guard let role = ProjectRole(rawValue: row["member_role"]) else { return nil }
                return SharedProject(project: try Project(row: row), role: role)
            }
        }
    }

    public func assign(documentIDs: [Int64], projectID: Int64, userID: String, blind: Bool) async throws -> Int {
        try await writer.write { db in
            var added = 0
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO assignments (document_id, user_id, project_id, blind, assigned_at)
                    SELECT id, ?, project_id, ?, ? FROM documents WHERE id = ? AND project_id = ?
                    ON CONFLICT (document_id, user_id) DO NOTHING
                    """)
            let now = Date().storedSeconds
            for id in documentIDs {
                try insert.execute(arguments: try .checked([userID, blind, now, id, projectID]))
                added += db.changesCount
            }
            return added
        }
    }

    public func assignments(projectID: Int64, userID: String?) async throws -> [Assignment] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM assignments WHERE project_id = ? AND (? IS NULL OR user_id = ?)
                    ORDER BY user_id, document_id
                    """,
                arguments: try .checked([projectID, userID, userID])
            ).map { row in
                Assignment(
                    projectID: row["project_id"], documentID: row["document_id"], userID: row["user_id"], blind: row["blind"],
                    assignedAt: Date(timeIntervalSince1970: row["assigned_at"]))
            }
        }
    }

    private static func member(_ row: Row) -> ProjectMember {
        ProjectMember(
            projectID: row["project_id"], userID: row["user_id"], role: ProjectRole(rawValue: row["role"]) ?? .viewer,
            addedAt: Date(timeIntervalSince1970: row["added_at"]))
    }
}
