import AssayCore
import AssayEngine
import AssayIngest
import AssayService
import AssayStore
import Foundation
import Testing

/// Finding documents by reference, uploads, and a project's status (moved here with `Workspace`'s
/// workflow operations).
@Suite struct DocumentsTests {
    /// A reference matches whole path parts only: `a.txt` used to open `data.txt`, its only match by suffix.
    @Test func aReferenceNeverMatchesPartOfAName() async throws {
        let store = try SQLiteStore.inMemory()
        let project = try await Projects(store: store).create(name: "p", for: .local)
        for id in ["notes/data.txt", "notes/sub/b.txt", "export.jsonl#r7", "other/data.txt"] {
            _ = try await store.upsertDocument(
                DocumentInput(externalID: id, mediaType: "text/plain", text: "text of \(id)"), projectID: project.id)
        }
        let documents = Documents(store: store)
        func find(_ reference: String) async throws -> String {
            try await documents.find(reference, projectID: project.id, for: .local).externalID
        }
        await #expect(throws: EngineError.unknownDocuments(["a.txt"])) { try await find("a.txt") }
        #expect(try await find("notes/data.txt") == "notes/data.txt")
        #expect(try await find("sub/b.txt") == "notes/sub/b.txt")
        #expect(try await find("r7") == "export.jsonl#r7")
        let second = try await documents.find("sub/b.txt", projectID: project.id, for: .local)
        #expect(try await find("#\(second.id)") == "notes/sub/b.txt")
        #expect(try await find("\(second.id)") == "notes/sub/b.txt")
        await #expect(throws: EngineError.self) { try await find("data.txt") }  // two match
        await #expect(throws: EngineError.unknownDocuments(["77"])) { try await find("77") }
    }

    @Test(arguments: [
        ("../../etc/passwd.txt", "passwd.txt"), ("C:\\Users\\x\\notes.md", "notes.md"), ("..", "upload"), ("", "upload"),
        ("a\u{0}b\u{1F}.txt", "ab.txt"), ("dir/", "dir"),
    ])
    func fileNamesAreNamesNotPaths(sent: String, kept: String) {
        #expect(Upload(fileName: sent, data: Data()).safeName == kept)
    }

    @Test func veryLongNamesKeepTheirExtension() {
        let name = Upload(fileName: String(repeating: "a", count: 500) + ".txt", data: Data()).safeName
        #expect(name.count == 194 && name.hasSuffix(".txt"))
    }

    @Test func uploadsBecomeDocumentsAndOversizedOnesFail() async throws {
        let store = try SQLiteStore.inMemory()
        let project = try await Projects(store: store).create(name: "p", for: .local)
        let results = try await Documents(store: store).upload(
            [
                Upload(fileName: "a.txt", data: Data("Some text.".utf8)),
                Upload(fileName: "big.txt", data: Data(repeating: 65, count: 100)),
            ], options: IngestOptions(maxFileBytes: 50), projectID: project.id, for: .local)
        #expect(results.map(\.document?.status) == [.ready, .failed])
        #expect(results[1].document?.error?.contains("over the limit") == true)
    }

    @Test func statusCountsResultsAndTheLastJob() async throws {
        let f = try ServiceFixture()
        let (project, document) = try await f.project(of: .local)
        _ = try await f.store.upsertDocument(
            .failed(externalID: "broken.txt", mediaType: "text/plain", reason: "empty file"),
            projectID: project.id)
        _ = try await f.value(for: document, in: project)
        let status = try await Projects(store: f.store).status(projectID: project.id, for: .local)
        #expect(status.documentsByStatus == [.ready: 1, .failed: 1])
        #expect(status.unreadable.map(\.reason) == ["empty file"])
        #expect(status.outcomes == [.succeeded: 1])
        #expect(status.notRun == 0)
        #expect(status.codebookVersion == 1)
        #expect(status.lastJob != nil)
    }
}
