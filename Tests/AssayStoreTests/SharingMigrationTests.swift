import AssayCore
import AssayTestSupport
import Foundation
import GRDB
import Testing

@testable import AssayStore

/// Migration "v17: sharing" on a database made before it, and beside a migration this build does
/// not know: GRDB's migrations are named, so a database that ran another branch's "v16" (or has
/// not run it yet) is migrated by what it lacks, in order, and opens.
@Suite("Migration v17")
struct SharingMigrationTests {
    @Test func anOlderDatabaseGainsSharingAndAnUnknownMigrationIsNoObstacle() async throws {
        let path = TempFolder.unusedPath("store", file: "assay.sqlite")
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        do {
            let store = try SQLiteStore(path: path)
            _ = try await store.createProject(name: "grants", description: nil, owner: "1")
            try store.close()
        }
        // As before v17, and as if another branch's v16 had run here.
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(
                sql: """
                    DELETE FROM grdb_migrations WHERE identifier = 'v17: sharing';
                    DROP TABLE assignments;
                    DROP TABLE project_members;
                    INSERT INTO grdb_migrations (identifier) VALUES ('v16: from another branch');
                    """)
        }
        try queue.close()

        let store = try SQLiteStore(path: path)
        try await store.setMember(projectID: 1, userID: "2", role: .viewer)
        #expect(try await store.sharedProjects(userID: "2").map(\.project.name) == ["grants"])
        try store.close()
    }
}
