import AssayCore
import Foundation

/// One row per document (per entity when the project codes entities), a column per variable in
/// codebook order with the chosen extras beside it (and `VAR_run_agreement` when values come from
/// several runs), then `_codebook_version` and `_outcome`.
enum WideCSVExport {
    static func render(_ dataset: ExportDataset, columns: ExportColumns) throws -> String {
        let arranged = DatasetRows(dataset)
        let variables = dataset.codebook.variables.map(\.name)
        let runs = dataset.hasRuns

        var header = ["document_id", "title"]
        if arranged.hasEntities { header += ["entity_index", "entity"] }
        for name in variables {
            header.append(name)
            if columns.contains(.confidence) { header.append("\(name)_confidence") }
            if runs { header.append("\(name)_run_agreement") }
            if columns.contains(.evidence) { header.append("\(name)_evidence") }
            if columns.contains(.status) { header.append("\(name)_status") }
        }
        if columns.contains(.codebookVersion) { header.append("_codebook_version") }
        header.append("_outcome")

        let csv = try CSVText(header: header)
        for row in arranged.rows {
            var cells = [row.document.externalID, row.document.title ?? ""]
            if arranged.hasEntities { cells += [Cell.integer(row.entityIndex), row.entityText ?? ""] }
            for name in variables {
                let value = row.values[name]
                cells.append(value?.value.displayText ?? "")
                if columns.contains(.confidence) { cells.append(Cell.number(value?.confidence)) }
                if runs { cells.append(Cell.number(value?.runAgreement)) }
                if columns.contains(.evidence) { cells.append(value?.evidence?.quote ?? "") }
                if columns.contains(.status) { cells.append(value?.status.rawValue ?? "") }
            }
            if columns.contains(.codebookVersion) { cells.append(Cell.integer(row.codebookVersion)) }
            cells.append(row.outcomeText)
            try csv.append(cells)
        }
        return try csv.finish()
    }
}
