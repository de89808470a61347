import AssayCore
import AssayExport
import Foundation

/// A small coded dataset built in memory: three documents (one never run), values with commas,
/// quotes, newlines, unicode, a list value and a null.
enum ExportFixtures {
    static let codebook = Codebook(
        name: "Protests",
        variables: [
            Variable(name: "violence", type: .boolean),
            Variable(
                name: "organiser", type: .category, categories: [Category(code: "union"), Category(code: "students")],
                ifMultipleValues: .all),
            Variable(name: "crowd_size", type: .number),
            Variable(name: "summary", type: .text),
        ])

    static func document(_ id: Int64, _ externalID: String, title: String?) -> Document {
        Document(
            id: id, projectID: 1, externalID: externalID, title: title, mediaType: "text/plain", text: "…",
            contentHash: "h\(id)", wordCount: 1, tokenCount: 1, status: .ready)
    }

    static func value(
        _ documentID: Int64, _ variable: String, _ value: JSONValue, confidence: Double?,
        status: ExtractionStatus = .validated, evidence: Evidence? = nil, rationale: String? = nil,
        entity: Int = 0, entityText: String? = nil
    ) -> Extraction {
        Extraction(
            documentID: documentID, variable: variable, entityIndex: entity, entityText: entityText, value: value,
            confidence: confidence, evidence: evidence, rationale: rationale, status: status,
            codebookVersion: 2, promptHash: "ph2", model: "qwen", jobID: 9)
    }

    static func outcome(_ documentID: Int64, _ kind: DocumentOutcomeKind) -> DocumentOutcome {
        DocumentOutcome(documentID: documentID, jobID: 9, codebookVersion: 2, contentHash: "h\(documentID)", outcome: kind)
    }

    static let dataset = ExportDataset(
        codebook: codebook, codebookVersion: 2,
        // Out of id order on purpose: exports order by id.
        documents: [
            document(2, "b.txt", title: "Second"),
            document(1, "news/a.txt", title: "First, with comma"),
            document(3, "c.txt", title: nil),
        ],
        extractions: [
            value(2, "violence", false, confidence: 0.8),
            value(1, "summary", "Line one\nLine two — ünïcödé ✓", confidence: 0.5, status: .flagged),
            value(
                1, "violence", true, confidence: 0.9,
                evidence: Evidence(quote: "tear gas", start: 10, end: 18, match: .exact), rationale: "Police used tear gas."),
            value(
                1, "organiser", ["union", "students"], confidence: 0.75, status: .flagged,
                evidence: Evidence(quote: #"He said "go", then left"#, match: .notFound), rationale: "Two groups."),
            value(1, "crowd_size", 2000, confidence: 1),
            value(2, "crowd_size", nil, confidence: nil, status: .failed),
        ],
        outcomes: [1: outcome(1, .flagged), 2: outcome(2, .succeeded)])
}
