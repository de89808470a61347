import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// What only a file-backed SQLite store can show: durability and sharing the file.
@Suite("SQLiteStore")
struct SQLiteStoreTests {
    @Test func dataSurvivesClosingAndReopening() async throws {
        let path = TempFolder.unusedPath("store", file: "assay.sqlite")
        let projectID: Int64
        let jobID: Int64
        do {
            let store = try SQLiteStore(path: path)
            let (project, docs) = try await Fixtures.project(in: store)
            let job = try await Fixtures.job(in: store, project: project)
            try await store.setJobStatus(.running, error: nil, jobID: job.id)
            try await store.record(Fixtures.result(job: job, document: docs[0]))
            try await store.record(Fixtures.result(job: job, document: docs[1], outcome: .failed))
            projectID = project.id
            jobID = job.id
        }
        #expect(FileManager.default.fileExists(atPath: path))

        // Reopening runs the migrator again, which must find nothing to do.
        let reopened = try SQLiteStore(path: path)
        let project = try #require(try await reopened.project(id: projectID))
        #expect(project.name == "grants")
        #expect(try await reopened.latestCodebook(projectID: projectID)?.codebook == Fixtures.codebook)
        #expect(try await reopened.documents(projectID: projectID, status: nil).count == 3)
        #expect(try await reopened.extractions(projectID: projectID, documentID: nil).map(\.value) == ["pos", 500])
        #expect(try await reopened.outcomes(projectID: projectID).map(\.outcome) == [.succeeded, .failed])
        #expect(try await reopened.errorRecords(projectID: projectID, jobID: jobID).count == 1)
        let job = try #require(try await reopened.job(id: jobID))
        #expect(job.status == .running)
        #expect(job.processed == 2)
        #expect(job.startedAt != nil)
        #expect(try await reopened.events(jobID: jobID).count == 3)  // started, two documents
        #expect(try await reopened.documentsNeedingWork(projectID: projectID, codebookVersion: 1).count == 2)

        // The name is still taken after reopening.
        await #expect(throws: StoreError.duplicateProject("grants")) {
            _ = try await reopened.createProject(name: "grants", description: nil)
        }
    }

    @Test func openingAnUnusablePathThrowsUnavailable() async throws {
        // A regular file where the parent directory should be.
        let blocker = TempFolder.unusedPath("store", file: "assay.sqlite")
        try FileManager.default.createDirectory(
            atPath: (blocker as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data("not a directory".utf8).write(to: URL(fileURLWithPath: blocker))
        let error = #expect(throws: StoreError.self) {
            _ = try SQLiteStore(path: blocker + "/inner/assay.sqlite")
        }
        guard case .unavailable = error else {
            Issue.record("expected .unavailable, got \(String(describing: error))")
            return
        }
    }

    @Test func openingAFileThatIsNotADatabaseThrowsUnavailable() async throws {
        let path = TempFolder.unusedPath("store", file: "assay.sqlite")
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(String(repeating: "not sqlite at all. ", count: 100).utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: StoreError.self) {
            _ = try SQLiteStore(path: path)
        }
        guard case .unavailable = error else {
            Issue.record("expected .unavailable, got \(String(describing: error))")
            return
        }
    }

    @Test func twoStoresOnOneFileRecordConcurrently() async throws {
        let path = TempFolder.unusedPath("store", file: "assay.sqlite")
        let perStore = 50
        let first = try SQLiteStore(path: path)
        let second = try SQLiteStore(path: path)
        let (project, docs) = try await Fixtures.project(in: first, documents: perStore * 2)
        let job = try await Fixtures.job(in: second, project: project, total: perStore * 2)

        // Every fifth document of each half is flagged, so the two outcome counters are checked too.
        let isFlagged: @Sendable (Int) -> Bool = { $0 % 5 == 0 }
        let flaggedPerStore = (0..<perStore).filter(isFlagged).count

        // Each store records its half of the documents, all at once, while the other does the same.
        func recordAll(_ documents: ArraySlice<Document>, with store: SQLiteStore) async throws {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (i, document) in documents.enumerated() {
                    let outcome: DocumentOutcomeKind = isFlagged(i) ? .flagged : .succeeded
                    let result = Fixtures.result(job: job, document: document, outcome: outcome, tokensIn: 10, tokensOut: 1)
                    group.addTask { try await store.record(result) }
                }
                try await group.waitForAll()
            }
        }
        async let a: Void = recordAll(docs[0..<perStore], with: first)
        async let b: Void = recordAll(docs[perStore...], with: second)
        _ = try await (a, b)

        for store in [first, second] {
            let counted = try #require(try await store.job(id: job.id))
            #expect(counted.processed == perStore * 2)
            #expect(counted.flagged == 2 * flaggedPerStore)
            #expect(counted.succeeded == 2 * (perStore - flaggedPerStore))
            #expect(counted.failed == 0)
            #expect(counted.tokensIn == 10 * perStore * 2)
            #expect(counted.tokensOut == perStore * 2)
            #expect(try await store.extractions(projectID: project.id, documentID: nil).count == perStore * 2 * 2)
            #expect(try await store.outcomes(projectID: project.id).count == perStore * 2)
            #expect(try await store.events(jobID: job.id).count == perStore * 2 + 1)  // and the start event
            #expect(try await store.documentsNeedingWork(projectID: project.id, codebookVersion: 1).isEmpty)
        }
    }
}
