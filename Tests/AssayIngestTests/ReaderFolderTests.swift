import AssayCore
import AssayTestSupport
import Foundation
import Testing

@testable import AssayIngest

/// A researcher's folder: a PDF, a Word file, a web page and a text file, each with a broken twin.
@Suite struct ReaderFolderTests {
    @Test func readableFilesAreReadyAndBrokenOnesFailWithReasons() throws {
        let folder = try TempFolder("readers")
        for name in ["report.pdf", "notes.docx", "news.html", "truncated.pdf", "truncated.docx", "random.html"] {
            try FileManager.default.copyItem(at: ReaderFixtures.url(name), to: folder.file(name))
        }
        try folder.write("memo.txt", "A plain memo.")
        try folder.write("broken.txt", bytes: [0x66, 0x6F, 0xFF, 0xFE, 0x6F])

        let batch = try Ingestor.collect([folder.path], relativeTo: folder.url)
        #expect(batch.ready.map(\.externalID) == ["memo.txt", "news.html", "notes.docx", "report.pdf"])
        #expect(batch.failed.map(\.externalID) == ["broken.txt", "random.html", "truncated.docx", "truncated.pdf"])
        #expect(batch.failed.allSatisfy { !($0.error ?? "").isEmpty })
        #expect(batch.ready.first { $0.externalID == "report.pdf" }?.text.contains("Officers closed the harbour road") == true)
        #expect(batch.ready.first { $0.externalID == "notes.docx" }?.text.contains("Monday | 12") == true)
        #expect(batch.ready.first { $0.externalID == "news.html" }?.text.contains("Subscribe") == false)
    }
}
