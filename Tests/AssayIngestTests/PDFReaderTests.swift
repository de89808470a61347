import AssayCore
import AssayTestSupport
import Foundation
import Testing

@testable import AssayIngest

/// PDFs made by LibreOffice, qpdf and a scan (Tests/Fixtures/readers/make-fixtures.sh), read
/// through poppler's pdftotext and, for the scan, tesseract.
@Suite struct PDFReaderTests {
    func read(_ name: String, options: IngestOptions = IngestOptions()) throws -> DocumentInput {
        let documents = Ingestor.readFile(at: ReaderFixtures.url(name), externalID: name, options: options)
        return try #require(documents.count == 1 ? documents.first : nil)
    }

    /// The scalar offset of `phrase` in `text`, as evidence offsets count.
    func offset(of phrase: String, in text: String) throws -> Int {
        let range = try #require(text.range(of: phrase))
        return text.unicodeScalars.distance(from: text.startIndex, to: range.lowerBound)
    }

    @Test func threePagesWithTheirOffsets() throws {
        let document = try read("report.pdf")
        #expect(document.status == .ready)
        #expect(document.mediaType == "application/pdf")
        #expect(document.title == "report")
        #expect(document.metadata["pages"] == 3)
        #expect(PageStarts(metadata: document.metadata)?.offsets.count == 3)
        #expect(!document.text.contains("\u{0C}"))
        let text = document.text
        #expect(document.page(atOffset: try offset(of: "Dock workers gathered", in: text)) == 1)
        #expect(document.page(atOffset: try offset(of: "Officers closed the harbour road", in: text)) == 2)
        #expect(document.page(atOffset: try offset(of: "The union called the arrests unlawful", in: text)) == 2)
        #expect(document.page(atOffset: try offset(of: "wage agreement", in: text)) == 3)
        // Each page starts where its text starts.
        for (page, start) in try #require(PageStarts(metadata: document.metadata)).offsets.enumerated() {
            let scalars = Array(text.unicodeScalars)
            let opening = String(String.UnicodeScalarView(scalars[start..<min(start + 9, scalars.count)]))
            #expect(opening == ["Harbour S", "Page two ", "Page thre"][page])
        }
    }

    @Test func uploadedBytesReadTheSame() throws {
        let fromFile = try read("report.pdf")
        let fromBytes = Ingestor.read(try ReaderFixtures.data("report.pdf"), source: "report.pdf")
        #expect(fromBytes == [fromFile])
    }

    @Test func encryptedScannedAndBrokenPDFsFailWithAReason() throws {
        #expect(try read("encrypted.pdf").error == "the PDF is encrypted; save an unprotected copy")
        #expect(try read("scanned.pdf").error == "no text layer — a scanned PDF? add it with --ocr")
        for name in ["truncated.pdf", "random.pdf"] {
            let broken = try read(name)
            #expect(broken.status == .failed)
            #expect(broken.error?.hasPrefix("not a readable PDF (") == true, "\(name): \(broken.error ?? "")")
            #expect(broken.error?.hasSuffix("the file may be truncated or damaged — save or download it again") == true)
        }
    }

    @Test func tooManyPagesIsRefusedWithTheNumbers() throws {
        var options = IngestOptions()
        options.maxPDFPages = 2
        #expect(
            try read("report.pdf", options: options).error
                == "the PDF has 3 pages, over the limit of 2 pages; split it or raise the limit")
    }

    @Test func scannedPDFIsReadByOCRWhenAsked() throws {
        var options = IngestOptions()
        options.ocr = true
        let document = try read("scanned.pdf", options: options)
        #expect(document.status == .ready, "\(document.error ?? "")")
        #expect(document.metadata["ocr"] == true)
        #expect(document.metadata["pages"] == 2)
        let text = document.text
        #expect(document.page(atOffset: try offset(of: "Dock workers", in: text)) == 1)
        #expect(document.page(atOffset: try offset(of: "Officers closed the harbour road", in: text)) == 2)
    }

    @Test func formFeedsBecomePageStarts() {
        let pages = PDFReader.pages(fromFormFeedSeparated: "one\n\u{0C}twö\n\u{0C}\u{0C}")
        #expect(pages == ["one\n", "twö\n", ""])
        let info = PDFInfo(pages: 3, encrypted: false, title: nil)
        let document = PDFReader.document(pages: pages, source: "a.pdf", title: "a", info: info, ocr: false)
        #expect(document.text == "one\n\ntwö\n\n")
        #expect(PageStarts(metadata: document.metadata)?.offsets == [0, 5, 10])
        #expect(document.page(atOffset: 5) == 2)
        #expect(document.metadata["ocr"] == nil)
    }

    @Test func aMissingConverterIsNamed() {
        let result = BoundedProcess.run("assay-no-such-tool", [], timeout: 5, maxOutputBytes: 10)
        #expect(throws: BoundedProcess.Problem.notInstalled(program: "assay-no-such-tool")) { try result.get() }
    }

    @Test func aHangingConverterIsStopped() {
        let result = BoundedProcess.run("sleep", ["60"], timeout: 1, maxOutputBytes: 10)
        #expect(throws: BoundedProcess.Problem.timedOut(program: "sleep", seconds: 1)) { try result.get() }
    }

    @Test func converterOutputIsCapped() throws {
        let result = BoundedProcess.run(
            "pdftotext", ["-enc", "UTF-8", ReaderFixtures.url("report.pdf").path, "-"], timeout: 60, maxOutputBytes: 50)
        #expect(throws: BoundedProcess.Problem.tooMuchOutput(program: "pdftotext", limit: 50)) { try result.get() }
    }
}
