import AssayCore
import Foundation

/// One JSON object per document (per entity when the project codes entities) and line, with every
/// codebook variable under `values` in codebook order; a variable without a value has nulls.
enum JSONLExport {
    static func render(_ dataset: ExportDataset) -> String {
        let arranged = DatasetRows(dataset)
        var out = ""
        for row in arranged.rows {
            var object: OrderedDictionary<String, JSONValue> = [
                "document_id": .string(row.document.externalID),
                "title": row.document.title.map(JSONValue.string) ?? .null,
            ]
            if arranged.hasEntities {
                object["entity_index"] = row.entityIndex.map { .number(Double($0)) } ?? .null
                object["entity"] = row.entityText.map(JSONValue.string) ?? .null
            }
            object["outcome"] = .string(row.outcomeText)
            object["codebook_version"] = row.codebookVersion.map { .number(Double($0)) } ?? .null
            var values: OrderedDictionary<String, JSONValue> = [:]
            for variable in dataset.codebook.variables {
                values[variable.name] = entry(row.values[variable.name], in: row.document)
            }
            object["values"] = .object(values)
            out += JSONValue.object(object).serialized() + "\n"
        }
        return out
    }

    /// A value with its evidence; the evidence's `page` is set for paged documents (PDFs), else null.
    private static func entry(_ value: Extraction?, in document: Document) -> JSONValue {
        let evidence: JSONValue =
            value?.evidence.map { evidence in
                .object([
                    "quote": .string(evidence.quote),
                    "start": evidence.start.map { .number(Double($0)) } ?? .null,
                    "end": evidence.end.map { .number(Double($0)) } ?? .null,
                    "page": evidence.start.flatMap(document.page(atOffset:)).map { .number(Double($0)) } ?? .null,
                ])
            } ?? .null
        var entry: OrderedDictionary<String, JSONValue> = [
            "value": value?.value ?? .null,
            "confidence": value?.confidence.map(JSONValue.number) ?? .null,
            "status": value.map { .string($0.status.rawValue) } ?? .null,
            "evidence": evidence,
            "rationale": value?.rationale.map(JSONValue.string) ?? .null,
        ]
        // Several runs: what each said, their agreement and the model's own confidence.
        if let value, let runs = value.runValues {
            entry["run_values"] = .array(runs.map { $0 ?? .null })
            entry["run_agreement"] = value.runAgreement.map(JSONValue.number) ?? .null
            entry["model_confidence"] = value.modelConfidence.map(JSONValue.number) ?? .null
        }
        return .object(entry)
    }
}
