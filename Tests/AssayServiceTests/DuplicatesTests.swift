import AssayCore
import AssayIngest
import AssayService
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// Exact and near duplicates at `add` and upload: reported with the document they duplicate, kept
/// or skipped, and listed afterwards.
@Suite struct DuplicatesTests {
    static let article = """
        Thousands of teachers marched through Lisbon on Saturday to demand higher pay and smaller \
        classes, in the largest education protest in Portugal for a decade. The unions said more than \
        fifty thousand people took part; the police gave no figure. Marchers carried banners and \
        blocked the Avenida da Liberdade for three hours. The education minister said talks would \
        resume on Monday. Schools in Porto and Coimbra were also closed as staff joined local rallies.
        """
    static let reprint = "TEACHERS MARCH\n\n" + article.replacingOccurrences(of: "for three hours", with: "all afternoon")
    static let other = "Farmers blocked roads near Lyon with tractors to protest fuel taxes; prefects met their unions."

    /// The same notes saved by LibreOffice as Word and as OpenDocument read to the same text: an
    /// exact duplicate. Its web-page export is not one: it keeps a tracked deletion and drops the
    /// comment, which in a 50-word text is well under the default threshold.
    @Test func theSameNotesAsWordAndOpenDocumentAreExactDuplicates() async throws {
        let folder = try TempFolder("duplicates")
        for name in ["notes.docx", "notes.odt", "libreoffice.html", "report.pdf"] {
            try FileManager.default.copyItem(at: ReaderFixtures.url(name), to: folder.file(name))
        }
        let store = try SQLiteStore.inMemory()
        let project = try await Projects(store: store).create(name: "papers", for: .local)
        let documents = Documents(store: store)
        let report = try await documents.add([folder.path], relativeTo: folder.url, projectID: project.id, for: .local)
        #expect(report.inserted == 4)
        #expect(report.duplicates.map(\.externalID) == ["notes.odt"])
        #expect(report.duplicates.map(\.originalExternalID) == ["notes.docx"])
        #expect(report.duplicates.first?.exact == true && report.duplicates.first?.documentID != nil)

        let listed = try await documents.duplicates(projectID: project.id, for: .local)
        #expect(listed == report.duplicates)
    }

    func setUp() async throws -> (store: SQLiteStore, project: Project, documents: Documents, folder: TempFolder) {
        let store = try SQLiteStore.inMemory()
        let project = try await Projects(store: store).create(name: "news", for: .local)
        let folder = try TempFolder("duplicates")
        try folder.write("1-wire.txt", Self.article)
        try folder.write("2-reprint.txt", Self.reprint)
        try folder.write("3-copy.txt", Self.article)
        try folder.write("4-other.txt", Self.other)
        return (store, project, Documents(store: store), folder)
    }

    @Test func duplicatesAreAddedAndReportedUnlessSkipped() async throws {
        let (_, project, documents, folder) = try await setUp()
        let kept = try await documents.add([folder.path], relativeTo: folder.url, projectID: project.id, for: .local)
        #expect(kept.inserted == 4 && kept.duplicatesSkipped == 0)
        #expect(kept.duplicates.map(\.externalID) == ["2-reprint.txt", "3-copy.txt"])
        #expect(kept.duplicates.map(\.originalExternalID) == ["1-wire.txt", "1-wire.txt"])
        #expect(kept.duplicates.map(\.exact) == [false, true])
        #expect(kept.duplicates[0].similarity >= 0.8 && kept.duplicates[0].similarity < 1)

        // Adding the same folder again changes nothing and reports nothing: no document is its own duplicate.
        let again = try await documents.add(
            [folder.path], duplicates: DuplicatePolicy(skip: true), relativeTo: folder.url, projectID: project.id, for: .local)
        #expect(again.unchanged == 4 && again.duplicates.isEmpty)
        #expect(try await documents.list(projectID: project.id, for: .local).count == 4)
    }

    @Test func skippedDuplicatesAreNotStoredAndAStricterThresholdKeepsTheReprint() async throws {
        let (_, project, documents, folder) = try await setUp()
        let report = try await documents.add(
            [folder.path], duplicates: DuplicatePolicy(threshold: 1, skip: true), relativeTo: folder.url,
            projectID: project.id, for: .local)
        #expect(report.inserted == 3 && report.duplicatesSkipped == 1 && report.total == 4)
        #expect(report.duplicates.map(\.externalID) == ["3-copy.txt"])
        #expect(report.duplicates.first?.documentID == nil)
        let stored = try await documents.list(projectID: project.id, for: .local).map(\.document.externalID)
        #expect(stored == ["1-wire.txt", "2-reprint.txt", "4-other.txt"])
        #expect(try await documents.duplicates(projectID: project.id, threshold: 1, for: .local).isEmpty)
        #expect(try await documents.duplicates(projectID: project.id, for: .local).map(\.externalID) == ["2-reprint.txt"])
    }

    /// Records of one JSONL file are compared with each other as they are stored.
    @Test func recordsInOneFileAreCheckedAgainstEachOther() async throws {
        let (_, project, documents, _) = try await setUp()
        let folder = try TempFolder("records")
        let lines = [("r1", Self.article), ("r2", Self.other), ("r3", Self.reprint)].map { id, text in
            String(decoding: try! JSONEncoder().encode(["id": id, "text": text]), as: UTF8.self)
        }
        try folder.write("feed.jsonl", lines.joined(separator: "\n"))
        let report = try await documents.add(
            [folder.path], duplicates: DuplicatePolicy(skip: true), relativeTo: folder.url, projectID: project.id, for: .local)
        #expect(report.inserted == 2)
        #expect(report.duplicates.map(\.externalID) == ["feed.jsonl#r3"])
        #expect(report.duplicates.map(\.originalExternalID) == ["feed.jsonl#r1"])
    }

    /// A document already stored is never left out, even when its new content duplicates another.
    @Test func aChangedDocumentThatNowDuplicatesAnotherIsUpdatedAndReported() async throws {
        let (_, project, documents, folder) = try await setUp()
        _ = try await documents.add([folder.path], relativeTo: folder.url, projectID: project.id, for: .local)
        try folder.write("4-other.txt", Self.article)
        let report = try await documents.add(
            [folder.file("4-other.txt").path], duplicates: DuplicatePolicy(skip: true), relativeTo: folder.url,
            projectID: project.id, for: .local)
        #expect(report.updated == 1)
        #expect(report.duplicates.map(\.summary) == ["an exact duplicate of 1-wire.txt"])
        #expect(report.duplicates.first?.documentID != nil)
    }

    @Test func uploadsSkipDuplicatesOfStoredDocumentsAndOfEachOther() async throws {
        let (_, project, documents, _) = try await setUp()
        let results = try await documents.upload(
            [
                Upload(fileName: "a.txt", data: Data(Self.article.utf8)),
                Upload(fileName: "b.txt", data: Data(Self.reprint.utf8)),
                Upload(fileName: "c.txt", data: Data(Self.other.utf8)),
            ], duplicates: DuplicatePolicy(skip: true), projectID: project.id, for: .local)
        #expect(results.map(\.outcome) == [.inserted, nil, .inserted])
        #expect(results[1].document == nil && results[1].externalID == "b.txt")
        #expect(results[1].duplicate?.originalExternalID == "a.txt")
        #expect(results[0].duplicate == nil && results[2].duplicate == nil)
    }

    @Test func aThresholdOutsideTheRangeIsRefusedBeforeAnythingIsRead() async throws {
        let (_, project, documents, folder) = try await setUp()
        await #expect(throws: ServiceError.invalid(field: "duplicate_threshold", reason: "must be between 0.6 and 1.0, not 0.2")) {
            _ = try await documents.add(
                [folder.path], duplicates: DuplicatePolicy(threshold: 0.2), relativeTo: folder.url, projectID: project.id,
                for: .local)
        }
        #expect(try await documents.list(projectID: project.id, for: .local).isEmpty)
        await #expect(throws: ServiceError.self) {
            _ = try await documents.duplicates(projectID: project.id, threshold: 2, for: .local)
        }
    }

    @Test func anotherAccountsProjectHasNoDuplicatesToShow() async throws {
        let (_, project, documents, _) = try await setUp()
        let bob = Requester.account(userID: 2, email: "bob@example.org", seesPatterns: false)
        await #expect(throws: ServiceError.notFound(.project(project.id))) {
            _ = try await documents.duplicates(projectID: project.id, for: bob)
        }
    }
}
