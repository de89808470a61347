import AssayCore

/// Documents as a person names them in a file: by external id, or by a unique ending of whole
/// path parts (`a.txt` for `docs/a.txt`, a record id for `data.jsonl#r7`), as `assay show` does.
struct DocumentNames {
    let byExternalID: [String: Document]
    let documents: [Document]

    init(_ documents: [Document]) {
        self.documents = documents
        byExternalID = Dictionary(documents.map { ($0.externalID, $0) }) { first, _ in first }
    }

    func find(_ name: String) -> Document? {
        if let exact = byExternalID[name] { return exact }
        let endings = documents.filter { $0.externalID.hasSuffix("/" + name) || $0.externalID.hasSuffix("#" + name) }
        return endings.count == 1 ? endings[0] : nil
    }
}
