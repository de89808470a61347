import AssayCore
import Foundation

/// How good each variable's values are across the dataset's rows: what a reviewer checks first.
struct QualitySummary {
    struct Line {
        var variable: String
        var rows: Int
        var values: Int
        var meanConfidence: Double?
        /// Shares of rows, 0–100.
        var flagged: Double
        var missing: Double
        var failed: Double
        /// Krippendorff's α over the documents people coded, at the variable's level: among the
        /// people, and with the model as one more coder (see `VariableAgreement`).
        var alphaAmongPeople: Double?
        var alphaWithModel: Double?
    }

    let lines: [Line]

    init(_ dataset: ExportDataset) {
        let rows = DatasetRows(dataset).rows
        let names = Dictionary(dataset.documents.map { ($0.id, $0.externalID) }) { first, _ in first }
        // Codes a variable's level cannot read leave its α empty here; assay agreement says why.
        let agreement = Dictionary(
            ((try? VariableAgreement.all(
                codebook: dataset.codebook, documentNames: names, values: dataset.extractions, humanCodes: dataset.humanCodes)) ?? [])
                .map { ($0.variable.name, $0) }
        ) { first, _ in first }
        lines = dataset.codebook.variables.map { variable in
            var values = 0
            var flagged = 0
            var failed = 0
            var confidences: [Double] = []
            for row in rows {
                guard let value = row.values[variable.name] else { continue }
                if !value.value.isNull { values += 1 }
                if value.status == .flagged { flagged += 1 }
                if value.status == .failed { failed += 1 }
                if let confidence = value.confidence { confidences.append(confidence) }
            }
            func share(_ count: Int) -> Double { rows.isEmpty ? 0 : (Double(count) * 1000 / Double(rows.count)).rounded() / 10 }
            return Line(
                variable: variable.name, rows: rows.count, values: values,
                meanConfidence: confidences.isEmpty ? nil : confidences.reduce(0, +) / Double(confidences.count),
                flagged: share(flagged), missing: share(rows.count - values), failed: share(failed),
                alphaAmongPeople: agreement[variable.name]?.amongPeople?.alpha.value,
                alphaWithModel: agreement[variable.name]?.withModel?.alpha.value)
        }
    }
}
