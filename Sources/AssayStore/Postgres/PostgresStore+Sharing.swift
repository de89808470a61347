import AssayCore
import Foundation
import PostgresNIO

extension PostgresStore: SharingStore {
    /// A project's members and the documents given to coders (the SQLite store's v17).
    static let sharingSchema = [
        """
        CREATE TABLE project_members (
            project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
            user_id TEXT COLLATE "C" NOT NULL,
            role TEXT NOT NULL,
            added_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (project_id, user_id)
        )
        """,
        "CREATE INDEX project_members_user ON project_members(user_id)",
        """
        CREATE TABLE assignments (
            document_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            user_id TEXT COLLATE "C" NOT NULL,
            project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
            blind BOOLEAN NOT NULL,
            assigned_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (document_id, user_id)
        )
        """,
        "CREATE INDEX assignments_project ON assignments(project_id, user_id)",
    ]

    public func setMember(projectID: Int64, userID: String, role: ProjectRole) async throws {
        try await write { db in
            try await Self.requireProject(db, id: projectID)
            try await db.execute(
                """
                INSERT INTO project_members (project_id, user_id, role, added_at) VALUES (\(projectID), \(userID), \(role.rawValue), \(Date()))
                ON CONFLICT (project_id, user_id) DO UPDATE SET role = excluded.role
                """)
        }
    }

    public func removeMember(projectID: Int64, userID: String) async throws -> Bool {
        try await write { db in
            try await db.execute("DELETE FROM assignments WHERE project_id = \(projectID) AND user_id = \(userID)")
            return try await db.execute(
                "DELETE FROM project_members WHERE project_id = \(projectID) AND user_id = \(userID) RETURNING 1") > 0
        }
    }

    public func members(projectID: Int64) async throws -> [ProjectMember] {
        try await read { db in
            try await db.rows("SELECT * FROM project_members WHERE project_id = \(projectID) ORDER BY added_at, user_id").map { row in
                ProjectMember(
                    projectID: try row.field("project_id"), userID: try row.field("user_id"), role: try row.enumField("role"),
                    addedAt: try row.field("added_at"))
            }
        }
    }

    public func memberRole(projectID: Int64, userID: String) async throws -> ProjectRole? {
        try await read { db in
            try await db.row("SELECT role FROM project_members WHERE project_id = \(projectID) AND user_id = \(userID)")
                .map { try $0.enumField("role") }
        }
    }

    public func sharedProjects(userID: String) async throws -> [SharedProject] {
        try await read { db in
            try await db.rows(
                """
                SELECT p.*, m.role AS member_role FROM projects p JOIN project_members m ON m.project_id = p.id
                WHERE m.user_id = \(userID) ORDER BY p.id
                """
            ).map { row in SharedProject(project: try Project(row: row), role: try row.enumField("member_role")) }
        }
    }

    public func assign(documentIDs: [Int64], projectID: Int64, userID: String, blind: Bool) async throws -> Int {
        try await write { db in
            var added = 0
            let now = Date()
            for id in documentIDs {
                added += try await db.execute(
                    """
                    INSERT INTO assignments (document_id, user_id, project_id, blind, assigned_at)
                    SELECT id, \(userID), project_id, \(blind), \(now) FROM documents WHERE id = \(id) AND project_id = \(projectID)
                    ON CONFLICT (document_id, user_id) DO NOTHING RETURNING 1
                    """)
            }
            return added
        }
    }

    public func assignments(projectID: Int64, userID: String?) async throws -> [Assignment] {
        try await read { db in
            let rows =
                if let userID {
                    try await db.rows(
                        "SELECT * FROM assignments WHERE project_id = \(projectID) AND user_id = \(userID) ORDER BY user_id, document_id")
                } else {
                    try await db.rows("SELECT * FROM assignments WHERE project_id = \(projectID) ORDER BY user_id, document_id")
                }
            return try rows.map { row in
                Assignment(
                    projectID: try row.field("project_id"), documentID: try row.field("document_id"), userID: try row.field("user_id"),
                    blind: try row.field("blind"), assignedAt: try row.field("assigned_at"))
            }
        }
    }
}
