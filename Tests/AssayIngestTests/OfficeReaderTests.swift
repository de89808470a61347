import AssayCore
import AssayTestSupport
import Foundation
import Testing

@testable import AssayIngest

/// Word and OpenDocument files made by LibreOffice from notes.fodt (a footnote, a comment, a
/// table, a tracked deletion and insertion), and hostile ZIPs made by Python's zipfile
/// (Tests/Fixtures/readers/make-fixtures.sh and zip-bombs.py).
@Suite struct OfficeReaderTests {
    func read(_ name: String, options: IngestOptions = IngestOptions()) throws -> DocumentInput {
        let documents = Ingestor.readFile(at: ReaderFixtures.url(name), externalID: name, options: options)
        return try #require(documents.count == 1 ? documents.first : nil)
    }

    static let expected = """
        Interview with a dock worker
        The march began at the north gate[1] and went along the quay.
        We were about four hundred people that morning.[comment 1]
        Day | Arrests
        Monday | 12
        The strike ended with a wage agreement.

        Footnotes
        [1] Gate numbering follows the 1998 harbour map.

        Comments
        [comment 1] Bo Coder: Check this count against the police report.
        """

    @Test(arguments: ["notes.docx", "notes.odt"])
    func paragraphsTablesNotesAndAcceptedChanges(_ name: String) throws {
        let document = try read(name)
        #expect(document.status == .ready, "\(document.error ?? "")")
        #expect(document.text == Self.expected)
        #expect(!document.text.contains("REMOVEDPHRASE"))
        #expect(document.title == "notes")
    }

    @Test func mediaTypesAndUploads() throws {
        #expect(try read("notes.docx").mediaType == "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        #expect(try read("notes.odt").mediaType == "application/vnd.oasis.opendocument.text")
        for name in ["notes.docx", "notes.odt"] {
            #expect(Ingestor.read(try ReaderFixtures.data(name), source: name) == [try read(name)])
        }
    }

    @Test func brokenContainersFailWithAReason() throws {
        for name in ["truncated.docx", "random.docx"] {
            #expect(
                try read(name).error
                    == "not a readable DOCX (the ZIP container is truncated or damaged); save it again from the program that made it")
        }
    }

    @Test func aTruncatedODTUploadFails() throws {
        let odt = try ReaderFixtures.data("notes.odt")
        #expect(
            Ingestor.read(odt.prefix(odt.count / 2), source: "notes.odt").first?.error
                == "not a readable ODT (the ZIP container is truncated or damaged); save it again from the program that made it")
    }

    @Test func zipBombsAreRefused() throws {
        let declared = try read("bomb.docx").error ?? ""
        #expect(declared.hasPrefix("refused as a ZIP bomb: "), "\(declared)")
        // Its sizes lie, so only counting while inflating catches it.
        #expect(
            try read("lying-bomb.docx").error
                == "refused as a ZIP bomb: word/document.xml inflates past its declared size of 4000 bytes")
        // The same bound on the inflated part, with honest headers.
        var options = IngestOptions()
        options.zipLimits.maxPartBytes = 1000
        #expect(try read("notes.docx", options: options).error == "refused as a ZIP bomb: word/document.xml inflates past 1000 bytes")
        options = IngestOptions()
        options.zipLimits.maxEntries = 5
        #expect(try read("notes.docx", options: options).error == "refused as a ZIP bomb: more than 5 entries in the DOCX")
    }

    @Test func entityBombIsRefused() throws {
        #expect(
            try read("laughs.docx").error
                == "not a readable DOCX: word/document.xml declares a DTD, which office files never do (an entity-expansion attack?)")
    }

    @Test func deeplyNestedXMLIsRefusedNotRecursed() throws {
        let deep = String(repeating: "<w:p>", count: 5000) + String(repeating: "</w:p>", count: 5000)
        let xml = #"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"# + deep + "</w:document>"
        #expect(throws: LibXMLDocument.Problem.self) { try LibXMLDocument.xml(Data(xml.utf8), name: "word/document.xml") }
    }
}
