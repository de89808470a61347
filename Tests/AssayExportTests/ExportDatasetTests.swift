import AssayCore
import Foundation
import Testing

@testable import AssayExport

@Suite struct ExportDatasetTests {
    @Test func theLatestOutcomeOfEachDocumentWins() {
        let old = DocumentOutcome(
            documentID: 1, jobID: 1, codebookVersion: 1, contentHash: "h", outcome: .succeeded,
            updatedAt: Date(timeIntervalSince1970: 100))
        let new = DocumentOutcome(
            documentID: 1, jobID: 2, codebookVersion: 2, contentHash: "h", outcome: .failed,
            updatedAt: Date(timeIntervalSince1970: 200))
        let other = DocumentOutcome(
            documentID: 2, jobID: 1, codebookVersion: 1, contentHash: "h", outcome: .flagged,
            updatedAt: Date(timeIntervalSince1970: 100))
        let latest = ExportDataset.latestOutcomes([new, other, old])
        #expect(latest == [1: new, 2: other])
        #expect(ExportDataset.latestOutcomes([old, new]) == [1: new])
    }

    /// What is wrong, in no front end's words: the CLI and the service add their own advice.
    @Test func errorsSayWhatIsWrong() {
        #expect(
            ExportError.noCodebook(project: "protests").description
                == "project protests has no codebook yet, so there is nothing to export")
        #expect(!ExportError.noCodebook(project: "protests").description.contains("assay "))
    }

    @Test func columnSets() {
        #expect(ExportColumns.all.contains([.confidence, .evidence, .status, .codebookVersion]))
        #expect(ExportColumns.none.isEmpty)
        #expect(ExportFormat.allCases.map(\.rawValue) == ["csv", "jsonl", "xlsx", "qdpx", "sav", "dta"])
        #expect(ExportFormat.allCases.filter(\.isBinary) == [.xlsx, .qdpx, .sav, .dta])
        #expect(ExportLayout.allCases.map(\.rawValue) == ["wide", "long"])
    }
}
