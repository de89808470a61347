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
        let project = try await access.project(projectID, for: requester)
        let codes = try await store.humanCodes(projectID: project.id)
        return Dictionary(grouping: codes, by: \.coder).map { coder, codes in
            Listed(coder: coder, codes: codes.count, documents: Set(codes.map(\.documentID)).count)
        }.sorted { $0.coder < $1.coder }
    }

    /// One variable's agreement over the documents people coded: among the people (two or more)
    /// and among the people and the model, side by side.
    package struct VariableAgreement: Sendable {
        package var variable: Variable
        package var level: MeasurementLevel
        package var people: [String]
        package var model: String?
        package var amongPeople: AgreementReport?
        package var withModel: AgreementReport?
        /// Documents people coded and the model gave no value for: at the nominal level a code of
        /// its own (`Coders.noValue`, a disagreement with any person's code), at others missing.
        package var modelGaveNoValue: Int

        package init(
            variable: Variable, level: MeasurementLevel, people: [String], model: String?, amongPeople: AgreementReport?,
            withModel: AgreementReport?, modelGaveNoValue: Int
        ) {
            self.variable = variable
            self.level = level
            self.people = people
            self.model = model
            self.amongPeople = amongPeople
            self.withModel = withModel
            self.modelGaveNoValue = modelGaveNoValue
        }
    }

    /// The model's code where it gave no value, at the nominal level.
    package static let noValue = "(no value)"

    /// - Parameter level: for every variable; without it, each variable's type gives its level
    ///   (numbers interval, everything else nominal).
    package func agreement(
        projectID: Int64, level: MeasurementLevel? = nil, resamples: Int = 1000, seed: UInt64 = 2026,
        for requester: Requester
    ) async throws -> [VariableAgreement] {
        let project = try await access.project(projectID, for: requester)
        let dataset = try await ExportDataset.load(from: store, projectID: project.id)
        let codes = try await store.humanCodes(projectID: project.id)
        let names = Dictionary(dataset.documents.map { ($0.id, $0.externalID) }) { first, _ in first }
        var modelValues: [Int64: [String: Extraction]] = [:]
        for value in dataset.extractions where value.entityIndex == 0 {
            modelValues[value.documentID, default: [:]][value.variable] = value
        }
        var results: [VariableAgreement] = []
        for variable in dataset.codebook.variables {
            let mine = codes.filter { $0.variable == variable.name && names[$0.documentID] != nil }
            guard !mine.isEmpty else { continue }
            let level = level ?? (variable.type == .number ? .interval : .nominal)
            let categories: [String]? =
                variable.type == .boolean ? ["false", "true"] : variable.categories.isEmpty ? nil : variable.categories.map(\.code)
            var rows = mine.map { (unit: names[$0.documentID]!, coder: $0.coder, value: Codes.code($0.value, type: variable.type)) }
            let people = Array(Set(mine.map(\.coder))).sorted()
            let amongPeople =
                people.count >= 2
                ? try AgreementReport(
                    Ratings(rows: rows), level: level, categories: categories, order: categories, resamples: resamples, seed: seed)
                : nil
            let model = dataset.extractions.first { $0.variable == variable.name }?.model
            var withModel: AgreementReport?
            var noValue = 0
            if let model {
                for documentID in Set(mine.map(\.documentID)).sorted() {
                    var code = modelValues[documentID]?[variable.name].flatMap { Codes.code($0.value, type: variable.type) }
                    if code == nil {
                        noValue += 1
                        if level == .nominal { code = Self.noValue }
                    }
                    rows.append((names[documentID]!, "model: \(model)", code))
                }
                withModel = try AgreementReport(
                    Ratings(rows: rows), level: level, categories: categories, order: categories, resamples: resamples, seed: seed)
            }
            results.append(
                VariableAgreement(
                    variable: variable, level: level, people: people, model: model, amongPeople: amongPeople, withModel: withModel,
                    modelGaveNoValue: noValue))
        }
        return results
    }
}

/// The JSON of one variable's agreement (`assay agreement --json`, `GET /projects/{id}/agreement`).
extension Coders.VariableAgreement: Encodable {
    enum CodingKeys: String, CodingKey {
        case variable, level, people, model
        case amongPeople = "among_people"
        case withModel = "with_model"
        case modelGaveNoValue = "model_gave_no_value"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(variable.name, forKey: .variable)
        try container.encode(level, forKey: .level)
        try container.encode(people, forKey: .people)
        try container.encodeIfPresent(model, forKey: .model)
        try container.encodeIfPresent(amongPeople, forKey: .amongPeople)
        try container.encodeIfPresent(withModel, forKey: .withModel)
        try container.encode(modelGaveNoValue, forKey: .modelGaveNoValue)
    }
}
