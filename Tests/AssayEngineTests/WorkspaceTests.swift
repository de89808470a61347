import AssayCore
@testable import AssayEngine
import AssayIngest
import AssayProviders
import AssayStore
import AssayTestSupport
import Foundation
import Testing

@Suite struct WorkspaceTests {
    @Test func projectResolution() async throws {
        let workspace = Workspace(store: try SQLiteStore.inMemory())
        await #expect(throws: EngineError.noProject("")) { try await workspace.project(named: nil) }
        let a = try await workspace.createProject(name: "  A  ")
        #expect(a.name == "A")
        #expect(try await workspace.project(named: nil).id == a.id)
        _ = try await workspace.createProject(name: "B")
        await #expect(throws: EngineError.ambiguousProject(["A", "B"])) { try await workspace.project(named: nil) }
        await #expect(throws: EngineError.noProject("C")) { try await workspace.project(named: "C") }
        await #expect(throws: StoreError.duplicateProject("B")) { try await workspace.createProject(name: "B") }
    }

    @Test func changedCodebookMakesANewVersionAndResetsStatus() async throws {
        let f = try await EngineFixture(documents: 2)
        let workspace = Workspace(store: f.store)
        #expect(try await workspace.importCodebook(Protests.codebook, projectID: f.project.id).isNew == false)
        _ = try await f.engine(ScriptedProvider(steps: [], then: FakeModel.good)).run(projectID: f.project.id, options: .init())
        #expect(try await f.store.project(id: f.project.id)?.status == .complete)

        var changed = Protests.codebook
        changed.variables[0].instructions = "The city, not the country."
        let (version, isNew) = try await workspace.importCodebook(changed, projectID: f.project.id)
        #expect(isNew && version.version == 2)
        #expect(try await f.store.project(id: f.project.id)?.status == .schemaDefined)
        // Every document is due again under the new version.
        #expect(try await f.store.documentsNeedingWork(projectID: f.project.id, codebookVersion: 2).count == 2)

        let bad = Codebook(variables: [Variable(name: "x", type: .category)])
        await #expect(throws: CodebookError.self) { try await workspace.importCodebook(bad, projectID: f.project.id) }
    }

    @Test func documentReferences() async throws {
        let f = try await EngineFixture(documents: 3)
        let workspace = Workspace(store: f.store)
        let second = try await workspace.document("doc2.txt", projectID: f.project.id)
        #expect(try await workspace.document("#\(second.id)", projectID: f.project.id).id == second.id)
        #expect(try await workspace.document("\(second.id)", projectID: f.project.id).externalID == "doc2.txt")
        await #expect(throws: EngineError.self) { try await workspace.document(".txt", projectID: f.project.id) }
        await #expect(throws: EngineError.unknownDocuments(["nope"])) { try await workspace.document("nope", projectID: f.project.id) }
    }

    /// A reference matches whole path parts only: `a.txt` used to open `data.txt`, its only match by suffix.
    @Test func aReferenceNeverMatchesPartOfAName() async throws {
        let store = try SQLiteStore.inMemory()
        let workspace = Workspace(store: store)
        let project = try await workspace.createProject(name: "p")
        for id in ["notes/data.txt", "notes/sub/b.txt", "export.jsonl#r7"] {
            _ = try await store.upsertDocument(DocumentInput(externalID: id, mediaType: "text/plain", text: "text of \(id)"), projectID: project.id)
        }
        await #expect(throws: EngineError.unknownDocuments(["a.txt"])) { try await workspace.document("a.txt", projectID: project.id) }
        #expect(try await workspace.document("data.txt", projectID: project.id).externalID == "notes/data.txt")
        #expect(try await workspace.document("sub/b.txt", projectID: project.id).externalID == "notes/sub/b.txt")
        #expect(try await workspace.document("r7", projectID: project.id).externalID == "export.jsonl#r7")
        await #expect(throws: EngineError.unknownDocuments(["7"])) { try await workspace.document("7", projectID: project.id) }
    }

    @Test func statusCountsResultsAndFailuresOfTheLastJob() async throws {
        let f = try await EngineFixture(documents: 3)
        _ = try await f.store.upsertDocument(.failed(externalID: "broken.txt", mediaType: "text/plain", reason: "empty file"), projectID: f.project.id)
        let provider = ScriptedProvider(steps: [.reply("not json"), .reply("still not")], then: FakeModel.good)
        _ = try await f.engine(provider).run(projectID: f.project.id, options: .init(concurrency: 1))
        let status = try await Workspace(store: f.store).status(projectID: f.project.id)
        #expect(status.documentsByStatus == [.ready: 3, .failed: 1])
        #expect(status.unreadable.map(\.reason) == ["empty file"])
        #expect(status.outcomes == [.succeeded: 2, .failed: 1])
        #expect(status.notRun == 0)
        #expect(status.failuresByKind == [.invalidJSON: 1])
        #expect(status.recentFailures.first?.document == "doc1.txt")
        #expect(status.codebookVersion == 1)
    }
}

@Suite("Uploads")
struct UploadNameTests {
    @Test(arguments: [
        ("../../etc/passwd.txt", "passwd.txt"), ("C:\\Users\\x\\notes.md", "notes.md"), ("..", "upload"), ("", "upload"),
        ("a\u{0}b\u{1F}.txt", "ab.txt"), ("dir/", "dir"),
    ])
    func fileNamesAreNamesNotPaths(sent: String, kept: String) {
        #expect(Workspace.Upload(fileName: sent, data: Data()).safeName == kept)
    }

    @Test func veryLongNamesKeepTheirExtension() {
        let name = Workspace.Upload(fileName: String(repeating: "a", count: 500) + ".txt", data: Data()).safeName
        #expect(name.count == 194 && name.hasSuffix(".txt"))
    }

    @Test func uploadsBecomeDocumentsAndOversizedOnesFail() async throws {
        let store = try SQLiteStore.inMemory()
        let workspace = Workspace(store: store)
        let project = try await workspace.createProject(name: "p")
        let results = try await workspace.addUploads([
            Workspace.Upload(fileName: "a.txt", data: Data("Some text.".utf8)),
            Workspace.Upload(fileName: "big.txt", data: Data(repeating: 65, count: 100)),
        ], options: IngestOptions(maxFileBytes: 50), projectID: project.id)
        #expect(results.map(\.document.status) == [.ready, .failed])
        #expect(results[1].document.error?.contains("over the limit") == true)
    }
}

@Suite("Workspace on a served database")
struct ServedWorkspaceTests {
    @Test func theOnlyProjectIgnoresTheServiceUsersProjects() async throws {
        let store = try SQLiteStore.inMemory()
        let workspace = Workspace(store: store)
        _ = try await store.createProject(name: "theirs", description: nil, owner: "7")
        let mine = try await workspace.createProject(name: "mine")
        #expect(try await workspace.project(named: nil) == mine)
        #expect(try await workspace.project(named: "theirs").owner == "7")
    }
}
