import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// Text with a NUL character reaches SQLite as a C string, cut at the NUL: "a\0b" was stored as
/// "a", and a lookup of "a\0b" found "a". The store refuses such text instead, in every statement.
@Suite("Store: text with a NUL character", .postgresDatabases)
struct NULTextTests {
    @Test(arguments: StoreKind.allCases)
    func aProjectNameWithANULIsRefusedNotCut(kind: StoreKind) async throws {
        let store = try await kind.make()
        await #expect(throws: StoreError.nulCharacter(field: "name")) {
            _ = try await store.createProject(name: "a\u{0}b", description: nil)
        }
        #expect(try await store.projects().isEmpty)
        // A lookup does not find "a" for "a\0b" either.
        _ = try await store.createProject(name: "a", description: nil)
        await #expect(throws: StoreError.nulCharacter(field: "text")) { _ = try await store.project(named: "a\u{0}b") }
    }

    @Test(arguments: StoreKind.allCases)
    func documentTextWithANULIsRefusedNotStoredHalf(kind: StoreKind) async throws {
        let store = try await kind.make()
        let (project, _) = try await Fixtures.project(in: store, documents: 0)
        await #expect(throws: StoreError.nulCharacter(field: "text")) {
            _ = try await store.upsertDocument(Fixtures.input("nul", text: "Visible part.\u{0}Hidden part"), projectID: project.id)
        }
        #expect(try await store.documents(projectID: project.id, status: nil).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func aResultWithANULWritesNothing(kind: StoreKind) async throws {
        let store = try await kind.make()
        let (project, documents) = try await Fixtures.project(in: store, documents: 1)
        let job = try await Fixtures.job(in: store, project: project, total: 1)
        var result = Fixtures.result(job: job, document: documents[0])
        result.extractions[0].rationale = "stated\u{0}and more"
        await #expect(throws: StoreError.nulCharacter(field: "text")) { try await store.record(result) }
        // One transaction: no value, outcome or counter of the refused result was written.
        #expect(try await store.extractions(projectID: project.id, documentID: nil).isEmpty)
        #expect(try await store.outcomes(projectID: project.id).isEmpty)
        #expect(try await store.job(id: job.id)?.processed == 0)
    }

    @Test func theErrorSaysWhatToDo() {
        #expect(
            StoreError.nulCharacter(field: "name").description
                == "the name contains a NUL character (\\u0000), which cannot be stored; remove it")
    }
}
