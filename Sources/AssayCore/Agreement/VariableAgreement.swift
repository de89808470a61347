import Foundation

/// One variable's agreement over the documents people coded: among the people (two or more) and
/// among the people with the model counted as one more coder, side by side.
public struct VariableAgreement: Sendable {
    public var variable: Variable
    public var level: MeasurementLevel
    public var people: [String]
    public var model: String?
    public var amongPeople: AgreementReport?
    public var withModel: AgreementReport?
    /// Documents people coded and the model gave no value for: at the nominal level a code of its
    /// own (`noValue`, a disagreement with any person's code), at others missing.
    public var modelGaveNoValue: Int

    /// The model's code where it gave no value, at the nominal level.
    public static let noValue = "(no value)"

    public init(
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

    /// Every variable of the codebook that people coded, in codebook order.
    /// - Parameters:
    ///   - documentNames: the documents that count, by id (their names are the units).
    ///   - values: the model's stored values; entity values (index > 0) are left out.
    ///   - level: for every variable; without it, each variable's type gives its level (numbers
    ///     interval, everything else nominal).
    public static func all(
        codebook: Codebook, documentNames: [Int64: String], values: [Extraction], humanCodes: [HumanCode],
        level: MeasurementLevel? = nil, resamples: Int = 1000, seed: UInt64 = 2026
    ) throws(Agreement.AlphaError) -> [VariableAgreement] {
        var modelValues: [Int64: [String: Extraction]] = [:]
        for value in values where value.entityIndex == 0 {
            modelValues[value.documentID, default: [:]][value.variable] = value
        }
        var results: [VariableAgreement] = []
        for variable in codebook.variables {
            let mine = humanCodes.filter { $0.variable == variable.name && documentNames[$0.documentID] != nil }
            guard !mine.isEmpty else { continue }
            let level = level ?? (variable.type == .number ? .interval : .nominal)
            let categories: [String]? =
                variable.type == .boolean ? ["false", "true"] : variable.categories.isEmpty ? nil : variable.categories.map(\.code)
            var rows = mine.map { (unit: documentNames[$0.documentID]!, coder: $0.coder, value: Codes.code($0.value, type: variable.type)) }
            let people = Array(Set(mine.map(\.coder))).sorted()
            let amongPeople =
                people.count >= 2
                ? try AgreementReport(
                    Ratings(rows: rows), level: level, categories: categories, order: categories, resamples: resamples, seed: seed)
                : nil
            let model = values.first { $0.variable == variable.name && $0.entityIndex == 0 }?.model
            var withModel: AgreementReport?
            var noValue = 0
            if let model {
                for documentID in Set(mine.map(\.documentID)).sorted() {
                    var code = modelValues[documentID]?[variable.name].flatMap { Codes.code($0.value, type: variable.type) }
                    if code == nil {
                        noValue += 1
                        if level == .nominal { code = Self.noValue }
                    }
                    rows.append((documentNames[documentID]!, "model: \(model)", code))
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
extension VariableAgreement: Encodable {
    enum CodingKeys: String, CodingKey {
        case variable, level, people, model
        case amongPeople = "among_people"
        case withModel = "with_model"
        case modelGaveNoValue = "model_gave_no_value"
    }

    public func encode(to encoder: any Encoder) throws {
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
