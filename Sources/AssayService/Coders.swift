import AssayCore
import AssayExport
import AssayIngest
import AssayStore

/// People as coders beside the model: their codes imported from a coding sheet, listed, and the
/// agreement per variable among the people and among the people with the model.
package struct Coders: Sendable {
    let store: any Store & ReviewStore
    let access: Access

    package init(store: any Store & ReviewStore) {
        self.store = store
        self.access = Access(store: store)
    }

    package struct ImportReport: Sendable {
        package var stored = 0
        package var coders: [String] = []
        /// Documents the project does not have and variables its codebook does not, left out.
        package var unknownDocuments: [String] = []
        package var unknownVariables: [String] = []
    }

    /// Stores the codes (empty cells are left out); a coder's new code replaces the earlier one.
    package func importCodes(_ codes: [CodingsCSV.Coded], projectID: Int64, for requester: Requester) async throws -> ImportReport {
        let project = try await access.project(projectID, for: requester)
        guard let codebook = try await store.latestCodebook(projectID: project.id)?.codebook else {
            throw ExportError.noCodebook(project: project.name)
        }
        let names = DocumentNames(try await store.documents(projectID: project.id, status: .ready))
        let variables = Set(codebook.variables.map(\.name))
        var report = ImportReport()
        var stored: [HumanCode] = []
        for code in codes {
            guard variables.contains(code.variable) else {
                if !report.unknownVariables.contains(code.variable) { report.unknownVariables.append(code.variable) }
                continue
            }
            guard let document = names.find(code.unit) else {
                if !report.unknownDocuments.contains(code.unit) { report.unknownDocuments.append(code.unit) }
                continue
            }
            guard let value = code.value else { continue }
            stored.append(HumanCode(documentID: document.id, variable: code.variable, coder: code.coder, value: value))
            if !report.coders.contains(code.coder) { report.coders.append(code.coder) }
        }
        try await store.saveHumanCodes(stored)
        report.stored = stored.count
        return report
    }

    /// A coder and how much they coded.
    package struct Listed: Sendable, Hashable {
        package var coder: String
        package var codes: Int
        package var documents: Int
    }

    package func list(projectID: Int64, for requester: Requester) async throws -> [Listed] {
        let project = try await access.project(projectID, for: requester, needs: .results)
        let codes = try await store.humanCodes(projectID: project.id)
        return Dictionary(grouping: codes, by: \.coder).map { coder, codes in
            Listed(coder: coder, codes: codes.count, documents: Set(codes.map(\.documentID)).count)
        }.sorted { $0.coder < $1.coder }
    }

    package typealias VariableAgreement = AssayCore.VariableAgreement

    /// - Parameter level: for every variable; without it, each variable's type gives its level
    ///   (numbers interval, everything else nominal).
    package func agreement(
        projectID: Int64, level: MeasurementLevel? = nil, resamples: Int = 1000, seed: UInt64 = 2026,
        for requester: Requester
    ) async throws -> [VariableAgreement] {
        let project = try await access.project(projectID, for: requester, needs: .results)
        try Evaluations.requireDocumentUnit(project)
        let dataset = try await ExportDataset.load(from: store, projectID: project.id)
        let names = Dictionary(dataset.documents.map { ($0.id, $0.externalID) }) { first, _ in first }
        return try VariableAgreement.all(
            codebook: dataset.codebook, documentNames: names, values: dataset.extractions, humanCodes: dataset.humanCodes,
            level: level,
            resamples: resamples, seed: seed)
    }
}
