import ArgumentParser
import AssayCore
import Testing

@testable import AssayCLI

/// `assay show` prints the page of evidence in a paged document (a PDF); `assay add --ocr` asks for OCR.
@Suite struct PagedShowTests {
    @Test func evidenceCarriesItsPage() {
        let pages = PageStarts([0, 120, 300])
        let evidence = Evidence(quote: "twelve people", start: 150, end: 163, match: .exact)
        #expect(ShowCommand.place(of: evidence, pages: pages) == "p. 2, chars 150–163, exact")
        #expect(ShowCommand.place(of: evidence, pages: nil) == "chars 150–163, exact")
        #expect(ShowCommand.place(of: Evidence(quote: "x", match: .notFound), pages: pages) == "not_found")
    }

    @Test func addTakesOCR() throws {
        #expect(try AddCommand.parse(["scans/", "--ocr"]).ocr)
        #expect(try !AddCommand.parse(["scans/"]).ocr)
    }
}
