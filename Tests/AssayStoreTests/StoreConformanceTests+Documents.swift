import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// The store contract, continued: documents: upserts, lists, work to do.
extension StoreConformanceTests {
    // MARK: Documents

    @Test(arguments: StoreKind.allCases)
    func upsertInsertsLeavesAloneAndUpdates(kind: StoreKind) async throws {
        let store = try await kind.make()
        let project = try await store.createProject(name: "grants", description: nil)
        let input = Fixtures.input("a.txt", text: "Please fund our lab.", metadata: ["year": 2024, "tags": ["x", "y"]])

        let (inserted, o1) = try await store.upsertDocument(input, projectID: project.id)
        #expect(o1 == .inserted)
        #expect(inserted.projectID == project.id)
        #expect(inserted.externalID == "a.txt")
        #expect(inserted.title == "Title a.txt")
        #expect(inserted.mediaType == "text/plain")
        #expect(inserted.text == "Please fund our lab.")
        #expect(inserted.contentHash == input.contentHash)
        #expect(inserted.wordCount == input.wordCount)
        #expect(inserted.tokenCount == input.tokenCount)
        #expect(inserted.status == .ready)
        #expect(inserted.error == nil)
        #expect(inserted.metadata == ["year": 2024, "tags": ["x", "y"]])

        let (unchanged, o2) = try await store.upsertDocument(input, projectID: project.id)
        #expect(o2 == .unchanged)
        #expect(unchanged == inserted)

        var edited = input
        edited.text = "Please fund our lab and our library."
        edited.title = "New title"
        let (updated, o3) = try await store.upsertDocument(edited, projectID: project.id)
        #expect(o3 == .updated)
        #expect(updated.id == inserted.id)
        #expect(updated.text == edited.text)
        #expect(updated.title == "New title")
        #expect(updated.contentHash == edited.contentHash)
        #expect(updated.contentHash != inserted.contentHash)
        #expect(updated.wordCount == edited.wordCount)
        #expect(try await store.documents(projectID: project.id, status: nil).count == 1)

        // Same content in another state is an update too.
        var parsed = edited
        parsed.status = .parsed
        let (reparsed, o4) = try await store.upsertDocument(parsed, projectID: project.id)
        #expect(o4 == .updated)
        #expect(reparsed.status == .parsed)
    }

    @Test(arguments: StoreKind.allCases)
    func failedDocumentReAddedWithGoodContentBecomesReady(kind: StoreKind) async throws {
        let store = try await kind.make()
        let project = try await store.createProject(name: "grants", description: nil)
        let (failed, o1) = try await store.upsertDocument(
            .failed(externalID: "scan.pdf", mediaType: "application/pdf", reason: "no text layer"), projectID: project.id)
        #expect(o1 == .inserted)
        #expect(failed.status == .failed)
        #expect(failed.error == "no text layer")

        // The same failure again changes nothing.
        let (_, again) = try await store.upsertDocument(
            .failed(externalID: "scan.pdf", mediaType: "application/pdf", reason: "no text layer"), projectID: project.id)
        #expect(again == .unchanged)

        let good = DocumentInput(externalID: "scan.pdf", mediaType: "application/pdf", text: "Now with OCR text.")
        let (fixed, o2) = try await store.upsertDocument(good, projectID: project.id)
        #expect(o2 == .updated)
        #expect(fixed.id == failed.id)
        #expect(fixed.status == .ready)
        #expect(fixed.error == nil)
        #expect(fixed.text == "Now with OCR text.")
    }

    @Test(arguments: StoreKind.allCases)
    func listsAndFindsDocuments(kind: StoreKind) async throws {
        let store = try await kind.make()
        let project = try await store.createProject(name: "grants", description: nil)
        let other = try await store.createProject(name: "other", description: nil)
        let a = try await store.upsertDocument(Fixtures.input("a"), projectID: project.id).document
        let b = try await store.upsertDocument(Fixtures.input("b", status: .parsed), projectID: project.id).document
        let c = try await store.upsertDocument(Fixtures.input("c"), projectID: project.id).document
        // The same external id in another project is another document.
        let otherA = try await store.upsertDocument(Fixtures.input("a"), projectID: other.id)
        #expect(otherA.outcome == .inserted)
        #expect(otherA.document.id != a.id)

        #expect(try await store.documents(projectID: project.id, status: nil).map(\.id) == [a.id, b.id, c.id])
        #expect(try await store.documents(projectID: project.id, status: .ready).map(\.id) == [a.id, c.id])
        #expect(try await store.documents(projectID: project.id, status: .parsed).map(\.id) == [b.id])
        #expect(try await store.documents(projectID: project.id, status: .failed).isEmpty)
        #expect(try await store.document(id: b.id) == b)
        #expect(try await store.document(id: 9_999) == nil)
        #expect(try await store.document(externalID: "c", projectID: project.id) == c)
        #expect(try await store.document(externalID: "a", projectID: other.id) == otherA.document)
        #expect(try await store.document(externalID: "zzz", projectID: project.id) == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func documentsNeedingWork(kind: StoreKind) async throws {
        let store = try await kind.make()
        let (project, docs) = try await Fixtures.project(in: store, documents: 4)
        _ = try await store.upsertDocument(Fixtures.input("not-ready", status: .parsed), projectID: project.id)
        let ids = docs.map(\.id)
        #expect(try await store.documentsNeedingWork(projectID: project.id, codebookVersion: 1).map(\.id) == ids)

        let job = try await Fixtures.job(in: store, project: project)
        try await store.record(Fixtures.result(job: job, document: docs[0], outcome: .succeeded))
        try await store.record(Fixtures.result(job: job, document: docs[1], outcome: .flagged))
        try await store.record(Fixtures.result(job: job, document: docs[2], outcome: .failed))

        // Done (succeeded, flagged) documents drop out; failed ones are retried; unready ones never appear.
        #expect(
            try await store.documentsNeedingWork(projectID: project.id, codebookVersion: 1).map(\.id)
                == [docs[2].id, docs[3].id])

        // A new codebook version redoes everything.
        #expect(try await store.documentsNeedingWork(projectID: project.id, codebookVersion: 2).map(\.id) == ids)

        // Changed content is redone under the same version.
        var edited = Fixtures.input("d1", text: "Entirely new text for d1.")
        edited.status = .ready
        #expect(try await store.upsertDocument(edited, projectID: project.id).outcome == .updated)
        #expect(
            try await store.documentsNeedingWork(projectID: project.id, codebookVersion: 1).map(\.id)
                == [docs[0].id, docs[2].id, docs[3].id])
    }

    @Test(arguments: StoreKind.allCases)
    func pendingWorkMatchesDocumentsNeedingWorkWithoutTexts(kind: StoreKind) async throws {
        let store = try await kind.make()
        let (project, docs) = try await Fixtures.project(in: store, documents: 3)
        _ = try await store.upsertDocument(Fixtures.input("é-accent", text: "Café — naïve"), projectID: project.id)
        let job = try await Fixtures.job(in: store, project: project)
        try await store.record(Fixtures.result(job: job, document: docs[0], outcome: .succeeded))

        let needing = try await store.documentsNeedingWork(projectID: project.id, codebookVersion: 1)
        let pending = try await store.pendingWork(projectID: project.id, codebookVersion: 1)
        #expect(pending == needing.map(WorkItem.init))
        // Lengths are Unicode scalars, as the token estimate counts them.
        #expect(pending.last?.characters == "Café — naïve".unicodeScalars.count)
    }

    @Test(arguments: StoreKind.allCases)
    func workItemsAndDocumentsByIDKeepTheOrderGiven(kind: StoreKind) async throws {
        let store = try await kind.make()
        let (project, docs) = try await Fixtures.project(in: store, documents: 3)
        let other = try await store.createProject(name: "other", description: nil)
        let foreign = try await store.upsertDocument(Fixtures.input("x"), projectID: other.id).document
        let unready = try await store.upsertDocument(Fixtures.input("u", status: .parsed), projectID: project.id).document
        let ids = [docs[2].id, docs[0].id, foreign.id, unready.id, 9_999]

        // Only the project's ready documents are work.
        #expect(try await store.workItems(documentIDs: ids, projectID: project.id).map(\.documentID) == [docs[2].id, docs[0].id])
        #expect(try await store.documents(ids: ids).map(\.id) == [docs[2].id, docs[0].id, foreign.id, unready.id])
        // Names alone, by id, for whatever exists.
        let names = try await store.documentNames(ids: ids)
        #expect(names == [docs[2].id: docs[2].externalID, docs[0].id: docs[0].externalID, foreign.id: "x", unready.id: "u"])
        #expect(try await store.documentNames(ids: []).isEmpty)
        #expect(try await store.documents(ids: []).isEmpty)
        #expect(try await store.documentCount(projectID: project.id, status: .ready) == 3)
        #expect(try await store.documentCount(projectID: project.id, status: nil) == 4)
    }

    @Test(arguments: StoreKind.allCases)
    func largeIDListsArePaged(kind: StoreKind) async throws {
        let store = try await kind.make()
        let (project, docs) = try await Fixtures.project(in: store, documents: 2)
        // More ids than SQLite binds in one statement by default on older builds.
        let ids = Array(repeating: docs.map(\.id), count: 700).flatMap { $0 }
        #expect(try await store.documents(ids: ids).count == ids.count)
        #expect(try await store.workItems(documentIDs: ids, projectID: project.id).count == ids.count)
    }
}
