import AssayCore
import AssayTestSupport
import Foundation
import GRDB
import Testing

@testable import AssayStore

/// Migration "v15: feedback kept across re-coding" on a database made before it: each verdict
/// keeps its value's document, variable, entity and the value as it was reviewed.
@Suite("Migration v15")
struct FeedbackMigrationTests {
    @Test func feedbackGivenBeforeTheMigrationKeepsWhatItJudged() async throws {
        let path = TempFolder.unusedPath("store", file: "assay.sqlite")
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        do {
            let store = try SQLiteStore(path: path)
            let (project, documents) = try await Fixtures.project(in: store)
            let job = try await Fixtures.job(in: store, project: project)
            try await store.record(Fixtures.result(job: job, document: documents[1], values: [("amount", 500)]))
            try store.close()
        }
        // Back to the table as it was before v15, with one verdict in it.
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(
                sql: """
                    DELETE FROM grdb_migrations WHERE identifier = 'v15: feedback kept across re-coding';
                    DROP TABLE feedback;
                    CREATE TABLE feedback (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        extraction_id INTEGER NOT NULL REFERENCES extractions(id) ON DELETE CASCADE,
                        verdict TEXT NOT NULL, corrected_value_json TEXT, note TEXT, author TEXT, created_at REAL NOT NULL);
                    INSERT INTO feedback (extraction_id, verdict, corrected_value_json, note, author, created_at)
                    SELECT id, 'incorrect', '450', 'typo', 'ada', 0 FROM extractions WHERE variable = 'amount';
                    """)
        }
        try queue.close()

        let store = try SQLiteStore(path: path)
        let kept = try #require(try await store.feedback(projectID: 1, variable: nil).first)
        #expect(kept.variable == "amount" && kept.documentID == 2 && kept.reviewedValue == 500 && kept.correctedValue == 450)
        #expect(kept.extractionID != nil && kept.note == "typo" && kept.author == "ada")
    }
}
