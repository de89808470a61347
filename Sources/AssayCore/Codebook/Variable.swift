import Foundation

/// One thing to code in every document: its type, the instructions the model follows, and
/// what to do with uncertain, multiple or invalid answers.
public struct Variable: Sendable, Hashable, Codable {
    public var name: String
    public var displayName: String?
    public var type: VariableType
    /// What the concept is, in a sentence or two (Halterman & Keith's definition); nil when not given.
    public var definition: String?
    public var instructions: String
    /// Cases that count although one might doubt it (the codebook's inclusion rules); nil when none.
    public var include: [String]?
    /// Cases that do not count although they look alike (exclusion rules); nil when none.
    public var exclude: [String]?
    public var categories: [Category]
    public var required: Bool
    public var confidenceThreshold: Double
    public var ifUncertain: IfUncertain
    public var ifMultipleValues: IfMultipleValues
    public var maxValues: Int?
    public var defaultValue: JSONValue?
    public var validation: ValidationRules?
    public var dependsOn: Dependency?
    public var examples: [Example]
    /// The model that codes this variable, whatever model codes the rest; nil for the project's.
    public var model: String?

    public init(
        name: String, displayName: String? = nil, type: VariableType, instructions: String = "",
        categories: [Category] = [], required: Bool = false, confidenceThreshold: Double = 0.7,
        ifUncertain: IfUncertain = .flag, ifMultipleValues: IfMultipleValues = .first, maxValues: Int? = nil,
        defaultValue: JSONValue? = nil, validation: ValidationRules? = nil, dependsOn: Dependency? = nil,
        examples: [Example] = [], model: String? = nil, definition: String? = nil, include: [String]? = nil,
        exclude: [String]? = nil
    ) {
        self.model = model
        self.definition = definition
        self.include = include
        self.exclude = exclude
        self.name = name
        self.displayName = displayName
        self.type = type
        self.instructions = instructions
        self.categories = categories
        self.required = required
        self.confidenceThreshold = confidenceThreshold
        self.ifUncertain = ifUncertain
        self.ifMultipleValues = ifMultipleValues
        self.maxValues = maxValues
        self.defaultValue = defaultValue
        self.validation = validation
        self.dependsOn = dependsOn
        self.examples = examples
    }

    /// The label shown to people: the display name, or the name.
    public var label: String { displayName ?? name }

    enum CodingKeys: String, CodingKey {
        case name, type, definition, instructions, include, exclude, categories, required, validation, examples
        case displayName = "display_name"
        case confidenceThreshold = "confidence_threshold"
        case ifUncertain = "if_uncertain"
        case ifMultipleValues = "if_multiple_values"
        case maxValues = "max_values"
        case defaultValue = "default"
        case dependsOn = "depends_on"
        case model
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        displayName = try c.decodeIfPresent(String.self, forKey: .displayName)
        type = try c.decode(VariableType.self, forKey: .type)
        definition = try c.decodeIfPresent(String.self, forKey: .definition)
        instructions = try c.decodeIfPresent(String.self, forKey: .instructions) ?? ""
        include = try Self.rules(c, .include)
        exclude = try Self.rules(c, .exclude)
        categories = try c.decodeIfPresent([Category].self, forKey: .categories) ?? []
        required = try c.decodeIfPresent(Bool.self, forKey: .required) ?? false
        confidenceThreshold = try c.decodeIfPresent(Double.self, forKey: .confidenceThreshold) ?? 0.7
        // `if_uncertain: null` names the choice "null"; decodeIfPresent would read it as absent.
        ifUncertain = c.contains(.ifUncertain) ? try c.decode(IfUncertain.self, forKey: .ifUncertain) : .flag
        ifMultipleValues = try c.decodeIfPresent(IfMultipleValues.self, forKey: .ifMultipleValues) ?? .first
        maxValues = try c.decodeIfPresent(Int.self, forKey: .maxValues)
        defaultValue = try c.decodeIfPresent(JSONValue.self, forKey: .defaultValue)
        validation = try c.decodeIfPresent(ValidationRules.self, forKey: .validation)
        dependsOn = try c.decodeIfPresent(Dependency.self, forKey: .dependsOn)
        examples = try c.decodeIfPresent([Example].self, forKey: .examples) ?? []
        model = try c.decodeIfPresent(String.self, forKey: .model)
    }

    /// Inclusion or exclusion rules: a list of sentences, or one sentence alone.
    private static func rules(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> [String]? {
        if let one = try? c.decodeIfPresent(String.self, forKey: key) { return [one] }
        return try c.decodeIfPresent([String].self, forKey: key)
    }
}

/// The five value types a variable can hold.
public enum VariableType: String, Sendable, Hashable, Codable, CaseIterable {
    case boolean, category, date, number, text

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let value = VariableType(rawValue: raw.lowercased()) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "unknown type '\(raw)' (expected one of \(Self.allCases.map(\.rawValue).joined(separator: ", ")))"))
        }
        self = value
    }
}

/// What to do when the model's confidence is below the variable's threshold.
public enum IfUncertain: String, Sendable, Hashable, Codable, CaseIterable {
    /// Store no value (null) and say why.
    case null
    /// Store nothing for this variable.
    case skip
    /// Store the value with status `flagged` for review.
    case flag

    public init(from decoder: any Decoder) throws {
        self = try decodeChoice(decoder)
    }
}

/// What to do when the model returns several values for one variable.
public enum IfMultipleValues: String, Sendable, Hashable, Codable, CaseIterable {
    case first, last, all, summarize

    public init(from decoder: any Decoder) throws {
        self = try decodeChoice(decoder)
    }
}

func decodeChoice<T: RawRepresentable & CaseIterable>(_ decoder: any Decoder) throws -> T where T.RawValue == String {
    let container = try decoder.singleValueContainer()
    // YAML `null` arrives as nil; the choice named "null" is meant.
    if container.decodeNil(), let value = T(rawValue: "null") { return value }
    let raw = try container.decode(String.self)
    guard let value = T(rawValue: raw.lowercased()) else {
        throw DecodingError.dataCorrupted(
            .init(
                codingPath: decoder.codingPath,
                debugDescription: "unknown value '\(raw)' (expected one of \(T.allCases.map(\.rawValue).joined(separator: ", ")))"))
    }
    return value
}

/// One allowed answer of a category variable. In YAML a bare string is shorthand for a code.
public struct Category: Sendable, Hashable, Codable {
    public var code: String
    public var label: String?
    public var description: String?

    public init(code: String, label: String? = nil, description: String? = nil) {
        self.code = code
        self.label = label
        self.description = description
    }

    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let code = try? single.decode(String.self) {
            self.init(code: code)
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // Codes may be written as numbers in YAML (1, 2, 3): keep them as text.
        let code: String
        if let text = try? c.decode(String.self, forKey: .code) {
            code = text
        } else if let number = try? c.decode(Int.self, forKey: .code) {
            code = String(number)
        } else {
            code = try c.decode(String.self, forKey: .code)
        }
        self.init(
            code: code, label: try c.decodeIfPresent(String.self, forKey: .label),
            description: try c.decodeIfPresent(String.self, forKey: .description))
    }
}

/// Checks a coerced value must pass. Dates are ISO 8601 (`YYYY-MM-DD`).
public struct ValidationRules: Sendable, Hashable, Codable {
    public var min: Double?
    public var max: Double?
    public var pattern: String?
    public var minLength: Int?
    public var maxLength: Int?
    public var minDate: String?
    public var maxDate: String?

    public init(
        min: Double? = nil, max: Double? = nil, pattern: String? = nil, minLength: Int? = nil,
        maxLength: Int? = nil, minDate: String? = nil, maxDate: String? = nil
    ) {
        self.min = min
        self.max = max
        self.pattern = pattern
        self.minLength = minLength
        self.maxLength = maxLength
        self.minDate = minDate
        self.maxDate = maxDate
    }

    enum CodingKeys: String, CodingKey {
        case min, max, pattern
        case minLength = "min_length"
        case maxLength = "max_length"
        case minDate = "min_date"
        case maxDate = "max_date"
    }
}

/// A variable that only applies when another one has a given value: `depends_on: {variable: violence,
/// equals: true}`, or `in: [a, b]`, or `present: true` (any non-null value).
public struct Dependency: Sendable, Hashable, Codable {
    public var variable: String
    public var equals: JSONValue?
    public var oneOf: [JSONValue]?
    public var present: Bool?

    public init(variable: String, equals: JSONValue? = nil, oneOf: [JSONValue]? = nil, present: Bool? = nil) {
        self.variable = variable
        self.equals = equals
        self.oneOf = oneOf
        self.present = present
    }

    enum CodingKeys: String, CodingKey {
        case variable, equals, present
        case oneOf = "in"
    }

    /// A readable form for prompts and messages, such as `violence = true`.
    public var conditionText: String {
        if let equals { return "\(variable) = \(equals.displayText)" }
        if let oneOf { return "\(variable) in [\(oneOf.map(\.displayText).joined(separator: ", "))]" }
        if present == false { return "\(variable) is empty" }
        return "\(variable) has a value"
    }
}

/// A worked example shown to the model: a short text and the value it should yield. A negative
/// example is a text that looks like a case but is not one (its value, when given, is what to code
/// instead, often null or false).
public struct Example: Sendable, Hashable, Codable {
    public var text: String
    public var value: JSONValue
    public var evidence: String?
    /// Positive (nil, as every example before negatives existed) or negative.
    public var kind: ExampleKind?

    public init(text: String, value: JSONValue, evidence: String? = nil, kind: ExampleKind? = nil) {
        self.text = text
        self.value = value
        self.evidence = evidence
        self.kind = kind
    }

    enum CodingKeys: String, CodingKey {
        case text, value, evidence, kind
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        text = try c.decode(String.self, forKey: .text)
        evidence = try c.decodeIfPresent(String.self, forKey: .evidence)
        kind = try c.decodeIfPresent(ExampleKind.self, forKey: .kind)
        // A negative example may leave its value out: it is no case, so nothing is coded.
        value =
            kind == .negative
            ? try c.decodeIfPresent(JSONValue.self, forKey: .value) ?? .null : try c.decode(JSONValue.self, forKey: .value)
    }

    public var isNegative: Bool { kind == .negative }
}

/// Whether an example shows a case (positive) or a look-alike that is not one (negative).
public enum ExampleKind: String, Sendable, Hashable, Codable, CaseIterable {
    case positive, negative

    public init(from decoder: any Decoder) throws {
        self = try decodeChoice(decoder)
    }
}
