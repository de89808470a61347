import AssayCore
import AssayTestSupport
import Foundation
import Testing

@testable import AssayIngest

/// Web pages: a news page with the usual furniture (written as a page author would), pages in
/// declared and undeclared encodings, LibreOffice's HTML export, and hostile input.
@Suite struct HTMLReaderTests {
    func read(_ name: String) throws -> DocumentInput {
        let documents = Ingestor.readFile(at: ReaderFixtures.url(name), externalID: name, options: IngestOptions())
        return try #require(documents.count == 1 ? documents.first : nil)
    }

    @Test func mainTextWithoutBoilerplate() throws {
        let page = try read("news.html")
        #expect(page.status == .ready, "\(page.error ?? "")")
        #expect(page.mediaType == "text/html")
        #expect(page.title == "Harbour strike ends after three days | Coast Gazette")
        #expect(page.metadata["source_url"] == "https://gazette.example/2026/03/harbour-strike-ends")
        #expect(
            page.text == """
                Harbour strike ends after three days
                By Ana Ruiz
                Dock workers gathered at the north gate before dawn on Monday. About four hundred people joined the march.
                Police arrested twelve people, and the union called the arrests unlawful.
                Day | Arrests
                Monday | 12
                - Wage rise of 4%
                - No dismissals
                """)
    }

    @Test func encodings() throws {
        let latin1 = try read("latin1.html")
        #expect(latin1.title == "Grève au port")
        #expect(latin1.text == "Les dockers ont défilé jusqu'au quai.")
        let undeclared = try read("undeclared-utf8.html")
        #expect(undeclared.title == "Sans déclaration")
        #expect(undeclared.text == "Café des dockers, €12.")
        #expect(undeclared.metadata["source_url"] == nil)
    }

    @Test func libreOfficeExport() throws {
        let page = try read("libreoffice.html")
        #expect(page.status == .ready)
        #expect(page.text.contains("The march began at the north gate"))
        #expect(page.text.contains("Monday | 12"))
        #expect(page.title == "libreoffice")  // its <title> is empty
    }

    @Test func brokenAndHostilePages() throws {
        #expect(try read("random.html").error == "not an HTML page (binary data, or no markup)")
        let furnitureOnly = Ingestor.read(Data("<html><body><nav>Home</nav><script>x()</script></body></html>".utf8), source: "n.html")
        #expect(furnitureOnly.first?.error == "no readable text in the HTML page (only navigation, scripts or markup)")
        // Deep nesting is walked without recursion.
        let deep = String(repeating: "<div>", count: 100_000) + "bottom" + String(repeating: "</div>", count: 100_000)
        let nested = Ingestor.read(Data(("<html><body>" + deep + "</body></html>").utf8), source: "deep.html")
        #expect(nested.count == 1)
        // An external entity is never fetched or expanded.
        let external = #"<!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]><html><body><p>a &x; b</p></body></html>"#
        let read = Ingestor.read(Data(external.utf8), source: "x.html")
        #expect(read.first?.text.contains("root:") == false)
    }
}
