import AssayCore
import Foundation

/// The dataset's values arranged as every layout writes them: documents by id, and within a
/// document one row, or one row per entity when the project codes entities.
struct DatasetRows {
    struct Row {
        var document: Document
        /// Set only when the dataset has entities; nil for a document without values.
        var entityIndex: Int?
        var entityText: String?
        var values: [String: Extraction]
        var outcome: DocumentOutcome?

        /// The codebook version that made the row's values (else the one its latest run used).
        var codebookVersion: Int? {
            values.values.map(\.codebookVersion).max() ?? outcome?.codebookVersion
        }

        /// `succeeded`, `flagged`, `failed`, or `not_run` for a document no run has finished.
        var outcomeText: String { outcome?.outcome.rawValue ?? "not_run" }
    }

    let rows: [Row]
    /// True when the codebook codes entities or some value belongs to one, so rows are per entity
    /// and name it (an entity project whose run found none yet still has the entity columns).
    let hasEntities: Bool

    init(_ dataset: ExportDataset) {
        let byDocument = Dictionary(grouping: dataset.extractions, by: \.documentID)
        hasEntities =
            dataset.codebook.unit == .entity || dataset.extractions.contains { $0.entityIndex > 0 || $0.entityText != nil }
        var rows: [Row] = []
        for document in dataset.documents.sorted(by: { $0.id < $1.id }) {
            let outcome = dataset.outcomes[document.id]
            let extractions = byDocument[document.id] ?? []
            guard hasEntities, !extractions.isEmpty else {
                // Values are unique per (document, variable, entity); without entities that is one per variable.
                let values = Dictionary(extractions.map { ($0.variable, $0) }) { first, second in
                    first.entityIndex <= second.entityIndex ? first : second
                }
                rows.append(Row(document: document, values: values, outcome: outcome))
                continue
            }
            for (index, group) in Dictionary(grouping: extractions, by: \.entityIndex).sorted(by: { $0.key < $1.key }) {
                let values = Dictionary(group.map { ($0.variable, $0) }) { first, _ in first }
                rows.append(
                    Row(
                        document: document, entityIndex: index,
                        entityText: group.lazy.compactMap(\.entityText).first, values: values, outcome: outcome))
            }
        }
        self.rows = rows
    }
}

/// How values read in a cell.
enum Cell {
    static func number(_ value: Double?) -> String {
        value.map { JSONValue.number($0).displayText } ?? ""
    }

    static func integer(_ value: Int?) -> String {
        value.map(String.init) ?? ""
    }
}
