import AssayCore
import AssayExport
import Foundation
import Testing

/// Evidence in a paged document (a PDF) carries its page in the long CSV and in JSONL.
@Suite struct EvidencePageTests {
    static let dataset: ExportDataset = {
        var pdf = ExportFixtures.document(1, "report.pdf", title: "Report")
        pdf.metadata = ["pages": 2, "page_starts": [0, 20]]
        return ExportDataset(
            codebook: Codebook(name: "P", variables: [Variable(name: "violence", type: .boolean)]), codebookVersion: 2,
            documents: [pdf, ExportFixtures.document(2, "memo.txt", title: "Memo")],
            extractions: [
                ExportFixtures.value(
                    1, "violence", true, confidence: 0.9, evidence: Evidence(quote: "tear gas", start: 25, end: 33, match: .exact)),
                ExportFixtures.value(
                    2, "violence", true, confidence: 0.9, evidence: Evidence(quote: "tear gas", start: 25, end: 33, match: .exact)),
            ],
            outcomes: [:])
    }()

    @Test func longCSVHasTheEvidencePage() throws {
        let text = try DatasetExporter.render(Self.dataset, format: .csv, layout: .long, columns: .none)
        let rows = text.split(separator: "\r\n").map(String.init)
        #expect(rows.count == 3)
        #expect(rows[1].hasPrefix("report.pdf,Report,violence,0,true,0.9,validated,tear gas,25,33,2,"))
        #expect(rows[2].hasPrefix("memo.txt,Memo,violence,0,true,0.9,validated,tear gas,25,33,,"))
    }

    @Test func jsonlEvidenceHasThePage() throws {
        let lines = try DatasetExporter.render(Self.dataset, format: .jsonl).split(separator: "\n")
        let pdf = try JSONValue.parse(String(lines[0]))
        #expect(pdf["values"]?["violence"]?["evidence"]?["page"] == 2)
        let memo = try JSONValue.parse(String(lines[1]))
        #expect(memo["values"]?["violence"]?["evidence"]?["page"] == .null)
    }
}
