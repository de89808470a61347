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
        // A quote over a page break names both pages; one ending right at a page start does not.
        let across = Evidence(quote: "people. Page three", start: 280, end: 320, match: .fuzzy)
        #expect(ShowCommand.place(of: across, pages: pages) == "pp. 2–3, chars 280–320, fuzzy")
        let upToBreak = Evidence(quote: "the end of page two", start: 280, end: 300, match: .exact)
        #expect(ShowCommand.place(of: upToBreak, pages: pages) == "p. 2, chars 280–300, exact")
    }

    @Test func addTakesOCR() throws {
        #expect(try AddCommand.parse(["scans/", "--ocr"]).ocr)
        #expect(try !AddCommand.parse(["scans/"]).ocr)
    }
}
