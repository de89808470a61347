import AssayCore
import AssayTestSupport
import Foundation
import GRDB
import Testing

@testable import AssayStore

/// Migration "v4: accounts" on a database made by an earlier version: the projects table is
/// rebuilt, so everything that points at it must still point at it.
@Suite("Migration v4")
struct AccountsMigrationTests {
    @Test func anEarlierDatabaseKeepsItsProjectsAndTheirLinks() async throws {
        let path = TempFolder.unusedPath("store", file: "assay.sqlite")
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: path)
        try SQLiteStore.migrator.migrate(queue, upTo: "v3: failure patterns and run summaries")
        try await queue.write { db in
            for name in ["kept", "deleted"] {
                try db.execute(sql: "INSERT INTO projects (name, status, created_at) VALUES (?, 'created', 0)", arguments: [name])
            }
            try db.execute(sql: "DELETE FROM projects WHERE name = 'deleted'")
            try db.execute(
                sql: """
                    INSERT INTO documents (project_id, external_id, media_type, text, content_hash, word_count, token_count,
                                           status, created_at, updated_at) VALUES (1, 'a.txt', 'text/plain', 'x', 'h', 1, 1, 'ready', 0, 0)
                    """)
        }
        try queue.close()

        let store = try SQLiteStore(path: path)
        let kept = try #require(try await store.project(named: "kept"))
        #expect(kept.id == 1)
        #expect(try await store.documents(projectID: 1, status: nil).map(\.externalID) == ["a.txt"])
        // AUTOINCREMENT still never hands out the deleted project's id.
        let next = try await store.createProject(name: "new", description: nil)
        #expect(next.id == 3)
        // The documents' foreign key now refers to the rebuilt table: deleting the project cascades.
        try await store.deleteProject(id: 1)
        #expect(try await store.document(externalID: "a.txt", projectID: 1) == nil)
        let violations = try store.writer.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") }
        #expect(violations.isEmpty)
    }
}
