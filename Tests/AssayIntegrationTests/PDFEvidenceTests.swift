import AssayCore
import AssayStore
import Foundation
import Testing

/// A PDF coded on the real local model through the real CLI: its values' evidence is located on
/// the page where the PDF has that text, and `assay show` prints the page.
@Suite(.serialized, .timeLimit(.minutes(20))) struct PDFEvidenceTests {
    /// Sentences to copy: a small model copies (with small slips that fuzzy grounding forgives)
    /// much better than it answers, and copying is what places evidence on a page.
    static let codebook = """
        name: Harbour strike
        instructions: Use only what the text says. Copy the exact words of the text as evidence.
        variables:
          - name: opening
            type: text
            instructions: Copy the first sentence of the text, word for word.
          - name: police
            type: text
            instructions: Copy the sentence of the text that mentions officers, word for word.
          - name: arrests
            type: number
            instructions: How many people the police arrested.
        """

    @Test func evidenceIsOnThePageThePDFHasItOn() async throws {
        try await LocalModel.start()
        let dir = try CLIHarness.temporaryDirectory()
        let pdf = URL(fileURLWithPath: "Tests/Fixtures/readers/report.pdf")  // three pages (see make-fixtures.sh)
        let codebook = dir.appendingPathComponent("strike.yaml")
        try Self.codebook.write(to: codebook, atomically: true, encoding: .utf8)
        var cli = CLIHarness(database: dir.appendingPathComponent("assay.sqlite").path)
        cli.environment["ASSAY_BASE_URL"] = LocalModel.baseURL
        for step in [["init", "--name", "Harbour"], ["codebook", "import", codebook.path], ["add", pdf.path]] {
            let result = try await cli.run(step)
            #expect(result.status == 0, "\(step): \(result.output)")
        }
        let run = try await cli.run("run", "--all", "--skip-sample", "--document-timeout", "1200")
        #expect(run.status == 0, "\(run.output)")

        let store = try SQLiteStore(path: cli.database)
        let project = try #require(try await store.projects().first)
        let document = try #require(try await store.documents(projectID: project.id, status: .ready).first)
        #expect(document.mediaType == "application/pdf")
        let values = try await store.extractions(projectID: project.id, documentID: document.id)
        let located = values.compactMap { value in value.evidence.flatMap { e in e.start.map { (value, e, $0) } } }
        #expect(!located.isEmpty, "no evidence located: \(values.map { ($0.variable, $0.evidence?.quote ?? "") })")

        // The oracle is poppler itself, page by page: the located text begins on the page Assay
        // names for its start and ends on the page it names for its end (a quote may run over a
        // page break).
        let pages = try (1...3).map { try Self.pageText($0, of: pdf) }
        let words = { (s: String) in s.split(whereSeparator: \.isWhitespace).map(String.init) }
        let scalars = Array(document.text.unicodeScalars)
        for (value, evidence, start) in located {
            let end = try #require(evidence.end)
            let found = words(String(String.UnicodeScalarView(scalars[start..<end])))
            let first = try #require(document.page(atOffset: start))
            let last = try #require(document.page(atOffset: end - 1))
            let opening = found.prefix(3).joined(separator: " ")
            let closing = found.suffix(3).joined(separator: " ")
            #expect(
                words(pages[first - 1]).joined(separator: " ").contains(opening), "\(value.variable): '\(opening)' not on page \(first)")
            #expect(words(pages[last - 1]).joined(separator: " ").contains(closing), "\(value.variable): '\(closing)' not on page \(last)")
        }
        let show = try await cli.run("show", document.externalID)
        #expect(show.status == 0, "\(show.output)")
        #expect(show.stdout.contains("p. "), "\(show.stdout)")
    }

    /// One page's text as `pdftotext` gives it.
    static func pageText(_ page: Int, of pdf: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
        process.arguments = ["-enc", "UTF-8", "-f", "\(page)", "-l", "\(page)", pdf.path, "-"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
