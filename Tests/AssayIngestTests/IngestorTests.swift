import AssayCore
import AssayTestSupport
import Foundation
import Testing

@testable import AssayIngest

@Suite struct IngestorTests {
    @Test func textAndMarkdownFilesBecomeReadyDocuments() throws {
        let folder = try TempFolder("ingest")
        try folder.write("notes.txt", "Plain words.\n")
        try folder.write("readme.md", "# Title\n\n*Some* text.\n")
        try folder.write("long.text", "More words.")
        try folder.write("doc.markdown", "_x_")

        let batch = try Ingestor.collect([folder.path], relativeTo: folder.url)
        #expect(batch.documents.map(\.externalID) == ["doc.markdown", "long.text", "notes.txt", "readme.md"])
        #expect(batch.documents.allSatisfy { $0.status == .ready && $0.error == nil })
        let readme = try #require(batch.documents.last)
        #expect(readme.text == "# Title\n\n*Some* text.\n")
        #expect(readme.title == "readme")
        #expect(readme.mediaType == "text/markdown")
        #expect(batch.documents[2].mediaType == "text/plain")
        #expect(batch.documents[2].title == "notes")
        #expect(batch.skipped.isEmpty)
    }

    @Test func foldersAreWalkedRecursivelyInPathOrderSkippingHiddenEntries() throws {
        let folder = try TempFolder("ingest")
        try folder.write("b.txt", "b")
        try folder.write("a/z.txt", "z")
        try folder.write("a/deeper/y.md", "y")
        try folder.write("a.txt", "a")
        try folder.write(".secret.txt", "hidden")
        try folder.write(".git/config.txt", "hidden folder")
        try folder.write("a/.DS_Store", "junk")

        let batch = try Ingestor.collect([folder.path], relativeTo: folder.url)
        #expect(batch.documents.map(\.externalID) == ["a.txt", "a/deeper/y.md", "a/z.txt", "b.txt"])
        #expect(batch.skipped.sorted() == [".git", ".secret.txt", "a/.DS_Store"])
        #expect(batch.failed.isEmpty)
    }

    @Test func anExplicitlyNamedFileIsReadEvenWhenHidden() throws {
        let folder = try TempFolder("ingest")
        let file = try folder.write(".notes.txt", "text")
        let batch = try Ingestor.collect([file.path], relativeTo: folder.url)
        #expect(batch.documents.map(\.externalID) == [".notes.txt"])
    }

    @Test func sameFolderTwiceGivesTheSameExternalIDs() throws {
        let folder = try TempFolder("ingest")
        try folder.write("docs/one.txt", "one")
        try folder.write("docs/two.jsonl", #"{"id": "r1", "text": "first"}"# + "\n")

        let first = try Ingestor.collect([folder.url.appendingPathComponent("docs").path], relativeTo: folder.url)
        // Another spelling of the same folder.
        let second = try Ingestor.collect([folder.path + "/./docs/"], relativeTo: folder.url)
        #expect(first.documents.map(\.externalID) == ["docs/one.txt", "docs/two.jsonl#r1"])
        #expect(first == second)
    }

    @Test func withoutABaseIdsAreAbsolutePaths() throws {
        let folder = try TempFolder("ingest")
        let file = try folder.write("one.txt", "one")
        let batch = try Ingestor.collect([folder.path])
        let expected = file.standardizedFileURL.resolvingSymlinksInPath().path
        #expect(batch.documents.map(\.externalID) == [expected])
        // A base the file is not inside also gives the absolute path.
        let outside = try Ingestor.collect([folder.path], relativeTo: URL(fileURLWithPath: "/nonexistent-base"))
        #expect(outside.documents.map(\.externalID) == [expected])
    }

    @Test func aPathThatDoesNotExistThrowsBeforeAnythingIsRead() throws {
        let folder = try TempFolder("ingest")
        try folder.write("one.txt", "one")
        let missing = folder.url.appendingPathComponent("missing").path
        #expect(throws: IngestError.notFound(missing)) {
            try Ingestor.collect([folder.path, missing])
        }
        #expect(IngestError.notFound("x").description == "no such file or folder: x")
    }

    @Test func aFileGivenTwiceIsReadOnce() throws {
        let folder = try TempFolder("ingest")
        let file = try folder.write("one.txt", "one")
        let batch = try Ingestor.collect([folder.path, file.path], relativeTo: folder.url)
        #expect(batch.documents.map(\.externalID) == ["one.txt"])
    }

    // MARK: - Failures become failed documents

    private func only(_ batch: IngestBatch) throws -> DocumentInput {
        try #require(batch.documents.count == 1)
        return batch.documents[0]
    }

    private func failure(_ relativePath: String, bytes: [UInt8], options: IngestOptions = IngestOptions()) throws -> DocumentInput {
        let folder = try TempFolder("ingest")
        try folder.write(relativePath, bytes: bytes)
        let document = try only(try Ingestor.collect([folder.path], options: options, relativeTo: folder.url))
        #expect(document.status == .failed)
        #expect(document.externalID == relativePath)
        #expect(document.text.isEmpty)
        return document
    }

    @Test func emptyFile() throws {
        #expect(try failure("empty.txt", bytes: []).error == "empty file")
    }

    @Test func fileOverTheSizeLimit() throws {
        let document = try failure("big.txt", bytes: Array(repeating: 0x61, count: 3000), options: IngestOptions(maxFileBytes: 2048))
        #expect(document.error == "file is 2.9 KB, over the 2 KB limit")
        #expect(document.mediaType == "text/plain")
    }

    /// A JSON Lines file holds a whole collection: it has its own, larger limit.
    @Test func jsonLinesFilesHaveTheirOwnLimit() throws {
        let folder = try TempFolder("ingest")
        let lines = (1...40).map { #"{"id": "r\#($0)", "text": "Record number \#($0) with some words in it."}"# }.joined(separator: "\n")
        try folder.write("big.jsonl", lines)
        try folder.write("big.txt", lines)
        let options = IngestOptions(maxFileBytes: 1024, maxRecordsFileBytes: 64 * 1024)
        let batch = try Ingestor.collect([folder.path], options: options, relativeTo: folder.url)
        #expect(batch.ready.count == 40)
        #expect(batch.failed.map(\.externalID) == ["big.txt"])
        let tight = try Ingestor.collect(
            [folder.path + "/big.jsonl"], options: IngestOptions(maxRecordsFileBytes: 1024), relativeTo: folder.url)
        #expect(tight.failed.first?.error?.hasSuffix("over the 1 KB limit") == true)
    }

    /// The plan lists files without reading them, in the order collect reads them.
    @Test func thePlanNamesTheFilesCollectReads() throws {
        let folder = try TempFolder("ingest")
        try folder.write("b.txt", "b")
        try folder.write("a/z.md", "z")
        try folder.write(".hidden.txt", "h")
        let plan = try Ingestor.plan([folder.path], relativeTo: folder.url)
        #expect(plan.files.map(\.externalID) == ["a/z.md", "b.txt"])
        #expect(plan.skipped == [".hidden.txt"])
        #expect(try Ingestor.collect([folder.path], relativeTo: folder.url).documents.map(\.externalID) == plan.files.map(\.externalID))
    }

    @Test func sizeLimitMessageForMegabytes() {
        #expect(Ingestor.overLimit(26_528_972, 20 * 1024 * 1024) == "file is 25.3 MB, over the 20 MB limit")
    }

    @Test func binaryFile() throws {
        #expect(try failure("image.txt", bytes: [0x89, 0x50, 0x4E, 0x47, 0x00, 0x01, 0x02]).error == "binary file, not text")
    }

    @Test func invalidUTF8GivesTheByteAndLine() throws {
        let bytes = Array("ok\nab".utf8) + [0xC3, 0x28] + Array(" rest".utf8)
        #expect(try failure("latin.txt", bytes: bytes).error == "invalid UTF-8 at byte 5 (line 2)")
    }

    @Test func utf16IsNamed() throws {
        let bytes: [UInt8] = [0xFF, 0xFE, 0x61, 0x00, 0x62, 0x00]
        #expect(try failure("wide.txt", bytes: bytes).error == "UTF-16 text; save the file as UTF-8")
    }

    @Test func byteOrderMarkIsDropped() throws {
        let folder = try TempFolder("ingest")
        try folder.write("bom.txt", bytes: [0xEF, 0xBB, 0xBF] + Array("héllo".utf8))
        let document = try only(try Ingestor.collect([folder.path], relativeTo: folder.url))
        #expect(document.text == "héllo")
        #expect(document.status == .ready)
    }

    @Test func whitespaceOnlyFile() throws {
        #expect(try failure("blank.md", bytes: Array(" \n\t\n".utf8)).error == "no text (the file holds only whitespace)")
    }

    @Test func unsupportedFileTypes() throws {
        let slides = try failure("slides.PPTX", bytes: Array("PK".utf8))
        #expect(slides.error == "unsupported file type .pptx (supported: .txt, .md, .json, .jsonl, .pdf, .docx, .odt, .html)")
        let word97 = try failure("old.doc", bytes: Array("x".utf8))
        #expect(word97.mediaType == "application/msword")
        let bare = try failure("LICENSE", bytes: Array("MIT".utf8))
        #expect(bare.error == "unsupported file type (no extension; supported: .txt, .md, .json, .jsonl, .pdf, .docx, .odt, .html)")
    }

    @Test(.enabled(if: getuid() != 0, "root reads every file"))
    func unreadableFile() throws {
        let folder = try TempFolder("ingest")
        let file = try folder.write("locked.txt", "secret")
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: file.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path) }
        let document = try only(try Ingestor.collect([folder.path], relativeTo: folder.url))
        #expect(document.status == .failed)
        #expect(document.error == "cannot read file: permission denied")
    }

    @Test func oneBadFileDoesNotStopTheOthers() throws {
        let folder = try TempFolder("ingest")
        try folder.write("a.txt", "fine")
        try folder.write("b.txt", bytes: [])
        try folder.write("c.pdf", "%PDF")
        try folder.write("d.md", "fine too")
        let batch = try Ingestor.collect([folder.path], relativeTo: folder.url)
        #expect(batch.documents.map(\.externalID) == ["a.txt", "b.txt", "c.pdf", "d.md"])
        #expect(batch.ready.map(\.externalID) == ["a.txt", "d.md"])
        #expect(batch.failed.map(\.externalID) == ["b.txt", "c.pdf"])
    }

    @Test func readingUploadedBytes() {
        let documents = Ingestor.read(Data("an upload".utf8), source: "uploads/memo.txt")
        #expect(documents == [DocumentInput(externalID: "uploads/memo.txt", title: "memo", mediaType: "text/plain", text: "an upload")])
        #expect(
            Ingestor.read(Data("x".utf8), source: "slides.pptx").first?.error
                == "unsupported file type .pptx (supported: .txt, .md, .json, .jsonl, .pdf, .docx, .odt, .html)")
    }
}
