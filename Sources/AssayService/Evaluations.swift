import AssayCore
import AssayExport
import AssayIngest
import AssayStore

/// The project's values against a gold set: per variable, accuracy, κ, α, per-category precision,
/// recall and F1, and calibration (`GoldReport`).
package struct Evaluations: Sendable {
    let store: any Store & ReviewStore
    let access: Access

    package init(store: any Store & ReviewStore) {
        self.store = store
        self.access = Access(store: store)
    }

    package struct Evaluation: Sendable {
        /// The codebook's variables that the gold set codes, in codebook order.
        package var variables: [(variable: Variable, report: GoldReport)]
        /// Gold documents the project does not have, and gold variables the codebook does not.
        package var unknownDocuments: [String]
        package var unknownVariables: [String]
    }

    /// Gold documents are named by external id, or by a unique ending of whole path parts as in
    /// `assay show` (`a.txt` for `docs/a.txt`).
    package func evaluate(_ gold: [CodingsCSV.GoldCode], projectID: Int64, for requester: Requester) async throws -> Evaluation {
        let project = try await access.project(projectID, for: requester, needs: .results)
        try Self.requireDocumentUnit(project)
        let dataset = try await ExportDataset.load(from: store, projectID: project.id)
        let names = DocumentNames(dataset.documents)
        var values: [Int64: [String: Extraction]] = [:]
        for value in dataset.extractions where value.entityIndex == 0 {
            values[value.documentID, default: [:]][value.variable] = value
        }
        var items: [String: [GoldReport.Item]] = [:]
        var unknownDocuments: [String] = []
        let variables = Dictionary(dataset.codebook.variables.map { ($0.name, $0) }) { first, _ in first }
        var unknownVariables: [String] = []
        for code in gold {
            guard let variable = variables[code.variable] else {
                if !unknownVariables.contains(code.variable) { unknownVariables.append(code.variable) }
                continue
            }
            guard let found = names.find(code.document) else {
                if !unknownDocuments.contains(code.document) { unknownDocuments.append(code.document) }
                continue
            }
            guard let goldCode = Codes.code(code.value, type: variable.type) else { continue }
            let value = values[found.id]?[variable.name]
            items[variable.name, default: []].append(
                GoldReport.Item(
                    unit: found.externalID, gold: goldCode, model: value.flatMap { Codes.code($0.value, type: variable.type) },
                    confidence: value?.confidence, modelConfidence: value?.modelConfidence))
        }
        return Evaluation(
            variables: dataset.codebook.variables.compactMap { variable in
                items[variable.name].map {
                    (variable, GoldReport($0, categorical: variable.type == .category || variable.type == .boolean))
                }
            },
            unknownDocuments: unknownDocuments, unknownVariables: unknownVariables)
    }

    /// How well the confidence predicts what reviewers said, per variable: the values with
    /// feedback (the latest verdict per value; `correct` is right, `incorrect` and
    /// `partially_correct` are wrong) in ten confidence bands, with the expected calibration error,
    /// before and after blending when values come from several runs. Accuracy is the share judged
    /// correct; the other figures of a gold set do not apply. Reviewers look at flagged and unsure
    /// values first, so this calibration is of the reviewed values, not of all.
    package func calibrationFromFeedback(
        projectID: Int64, for requester: Requester
    ) async throws -> [(
        variable: Variable, report: GoldReport
    )] {
        let project = try await access.project(projectID, for: requester, needs: .results)
        guard let codebook = try await store.latestCodebook(projectID: project.id)?.codebook else { return [] }
        var latest: [Int64: Feedback] = [:]
        // Feedback on a value since replaced (the document coded again) says nothing of the new one's confidence.
        for feedback in try await store.feedback(projectID: project.id, variable: nil) {
            if let id = feedback.extractionID { latest[id] = feedback }
        }
        var items: [String: [GoldReport.Item]] = [:]
        for (id, feedback) in latest.sorted(by: { $0.key < $1.key }) {
            guard let value = try await store.extraction(id: id) else { continue }
            items[value.variable, default: []].append(
                GoldReport.Item(
                    unit: "\(id)", gold: "right", model: feedback.verdict == .correct ? "right" : "wrong",
                    confidence: value.confidence, modelConfidence: value.modelConfidence))
        }
        return codebook.variables.compactMap { variable in items[variable.name].map { (variable, GoldReport($0, categorical: false)) } }
    }

    /// Gold sets and people's codes name documents, so they compare document-level values: an
    /// entity project's values belong to entities, which a file cannot name yet.
    static func requireDocumentUnit(_ project: Project) throws {
        guard project.unit == .entity else { return }
        throw ServiceError.invalid(
            field: "project",
            reason: "'\(project.name)' codes entities; gold sets and coding sheets compare one value per document and variable")
    }
}
