import AssayCore
import AssayIngest
import AssayService
import AssayStore
import Foundation
import Testing

/// `assay add` of a researcher's folder through the use case: a PDF, a Word file, a web page and a
/// text file are stored ready with their text, a broken twin of each failed with its reason, and
/// the rest of the add goes on. The files are Tests/Fixtures/readers (made by LibreOffice and others).
@Suite struct ResearchFilesTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/readers")

    @Test func aFolderOfPapersIsAddedAndBrokenOnesAreStoredAsFailed() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-papers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["report.pdf", "notes.docx", "notes.odt", "news.html", "random.pdf", "bomb.docx", "random.html"] {
            try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        try Data("A plain memo.".utf8).write(to: folder.appendingPathComponent("memo.txt"))
        try Data([0x66, 0xFF, 0xFE]).write(to: folder.appendingPathComponent("broken.txt"))

        let store = try SQLiteStore.inMemory()
        let project = try await Projects(store: store).create(name: "papers", for: .local)
        let documents = Documents(store: store)
        let report = try await documents.add([folder.path], relativeTo: folder, projectID: project.id, for: .local)
        #expect(report.inserted == 5)
        #expect(report.failed.map(\.externalID) == ["bomb.docx", "broken.txt", "random.html", "random.pdf"])

        let stored = try await documents.list(projectID: project.id, for: .local).map(\.document)
        let ready = stored.filter { $0.status == .ready }
        #expect(ready.map(\.externalID).sorted() == ["memo.txt", "news.html", "notes.docx", "notes.odt", "report.pdf"])
        let pdf = try #require(ready.first { $0.externalID == "report.pdf" })
        let range = try #require(pdf.text.range(of: "Officers closed"))
        #expect(pdf.page(atOffset: pdf.text.unicodeScalars.distance(from: pdf.text.startIndex, to: range.lowerBound)) == 2)
        let failed = stored.filter { $0.status == .failed }
        #expect(failed.first { $0.externalID == "bomb.docx" }?.error?.hasPrefix("refused as a ZIP bomb") == true)
        #expect(failed.allSatisfy { !($0.error ?? "").isEmpty })
    }
}
