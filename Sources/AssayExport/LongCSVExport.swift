import AssayCore
import Foundation

/// One row per stored value, ordered by document id, then codebook variable order (variables no
/// longer in the codebook last, by name), then entity index. `evidence_page` is the evidence's
/// page in a paged document (a PDF), empty otherwise. `temperature` is the model's (empty for
/// values coded before it was recorded); with several runs, `run_values` is what each run said as
/// a JSON array (null where a run gave no value), `run_agreement` the share that gave the stored
/// value, and `model_confidence` the model's own confidence before blending.
enum LongCSVExport {
    static let header = [
        "document_id", "title", "variable", "entity_index", "value", "confidence", "status", "evidence",
        "evidence_start", "evidence_end", "evidence_page", "rationale", "codebook_version", "prompt_hash", "model",
        "temperature", "runs", "run_agreement", "run_values", "model_confidence",
    ]

    static func render(_ dataset: ExportDataset) throws -> String {
        let documents = Dictionary(dataset.documents.map { ($0.id, $0) }) { first, _ in first }
        let order = Dictionary(dataset.codebook.variables.enumerated().map { ($1.name, $0) }) { first, _ in first }
        let values = dataset.extractions.filter { documents[$0.documentID] != nil }.sorted { a, b in
            if a.documentID != b.documentID { return a.documentID < b.documentID }
            let (ia, ib) = (order[a.variable] ?? Int.max, order[b.variable] ?? Int.max)
            if ia != ib { return ia < ib }
            if a.variable != b.variable { return a.variable < b.variable }
            return a.entityIndex < b.entityIndex
        }

        let csv = try CSVText(header: header)
        for value in values {
            let document = documents[value.documentID]!
            try csv.append([
                document.externalID, document.title ?? "", value.variable, String(value.entityIndex),
                value.value.displayText, Cell.number(value.confidence), value.status.rawValue,
                value.evidence?.quote ?? "", Cell.integer(value.evidence?.start), Cell.integer(value.evidence?.end),
                Cell.integer(value.evidence?.start.flatMap(document.page(atOffset:))), value.rationale ?? "", String(value.codebookVersion),
                value.promptHash, value.model, Cell.number(value.settings?.temperature), String(value.runs),
                Cell.number(value.runAgreement),
                value.runValues.map { JSONValue.array($0.map { $0 ?? .null }).serialized() } ?? "", Cell.number(value.modelConfidence),
            ])
        }
        return try csv.finish()
    }
}
