import AssayCore
import AssayTestSupport
import Foundation
import GRDB
import Testing

@testable import AssayStore

/// Migration "v6: document fingerprints" on a database made before it: its readable documents are
/// fingerprinted once, so duplicates of them are found like those of documents added later.
@Suite("Migration v6")
struct FingerprintMigrationTests {
    @Test func documentsStoredBeforeTheMigrationAreFingerprinted() async throws {
        let path = TempFolder.unusedPath("store", file: "assay.sqlite")
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: path)
        try SQLiteStore.migrator.migrate(queue, upTo: "v5: session revocation")
        try await queue.write { db in
            try db.execute(sql: "INSERT INTO projects (name, status, created_at) VALUES ('old', 'created', 0)")
            for (id, text, status) in [
                ("a.txt", StoreConformanceTests.article, "ready"), ("b.txt", StoreConformanceTests.article, "ready"),
                ("c.pdf", "", "failed"),
            ] {
                try db.execute(
                    sql: """
                        INSERT INTO documents (project_id, external_id, media_type, text, content_hash, word_count,
                                               token_count, status, created_at, updated_at)
                        VALUES (1, ?, 'text/plain', ?, ?, 1, 1, ?, 0, 0)
                        """, arguments: [id, text, Hashing.sha256(text), status])
            }
        }
        try queue.close()

        let store = try SQLiteStore(path: path)
        let pairs = try await store.duplicateCandidatePairs(projectID: 1)
        #expect(pairs.map { [$0.later.externalID, $0.earlier.externalID] } == [["b.txt", "a.txt"]])
        let probe = try #require(Fingerprint(text: StoreConformanceTests.article))
        #expect(try await store.duplicateCandidates(of: probe, projectID: 1).map(\.externalID) == ["a.txt", "b.txt"])
    }
}
