import OrderedCollections

/// The JSON Schema a reply must match: per variable, the evidence quote, a one-line rationale,
/// the value and a confidence in [0, 1]. Evidence comes first so the model quotes before it answers.
public enum ExtractionSchema {
    public static let evidenceMaxLength = 160
    public static let rationaleMaxLength = 120
    public static let textMaxLength = 200
    /// Confidence levels offered to the model. An enum, not a number range: llama.cpp's grammar
    /// enforces enums but ignores minimum/maximum, and small models otherwise answer 3000.
    public static let confidenceLevels: [Double] = (0...10).map { Double($0) / 10 }

    public static func make(for codebook: Codebook) -> JSONValue {
        var properties = OrderedDictionary<String, JSONValue>()
        for variable in codebook.variables {
            properties[variable.name] = answerSchema(for: variable)
        }
        return [
            "type": "object",
            "properties": .object(properties),
            "required": .array(codebook.variables.map { .string($0.name) }),
            "additionalProperties": false,
        ]
    }

    static func answerSchema(for variable: Variable) -> JSONValue {
        [
            "type": "object",
            "properties": [
                "evidence": ["type": "string", "maxLength": .number(Double(evidenceMaxLength))],
                "rationale": ["type": "string", "maxLength": .number(Double(rationaleMaxLength))],
                "value": valueSchema(for: variable),
                "confidence": [
                    "type": "number", "minimum": 0, "maximum": 1,
                    "enum": .array(confidenceLevels.map { .number($0) }),
                ],
            ],
            "required": ["evidence", "rationale", "value", "confidence"],
            "additionalProperties": false,
        ]
    }

    /// The schema of the value itself; null always allowed (the document may not say).
    /// Variables that keep all values ask for a list; the others for one value.
    public static func valueSchema(for variable: Variable) -> JSONValue {
        let single = singleValueSchema(for: variable)
        guard variable.ifMultipleValues == .all else { return single }
        var list: OrderedDictionary<String, JSONValue> = ["type": ["array", "null"], "items": nonNull(single)]
        if let max = variable.maxValues { list["maxItems"] = .number(Double(max)) }
        return .object(list)
    }

    static func singleValueSchema(for variable: Variable) -> JSONValue {
        switch variable.type {
        case .boolean: return ["type": ["boolean", "null"]]
        case .number: return ["type": ["number", "null"]]
        case .date: return ["type": ["string", "null"], "description": "a date as YYYY-MM-DD"]
        case .text:
            let max = variable.validation?.maxLength ?? textMaxLength
            return ["type": ["string", "null"], "maxLength": .number(Double(max))]
        case .category:
            return ["enum": .array(variable.categories.map { .string($0.code) } + [.null])]
        }
    }

    /// Output tokens a complete reply may need: the string limits at about three characters a
    /// token, plus room for keys and numbers. Too few truncates replies; too many lets a
    /// rambling model run long.
    public static func maxOutputTokens(for codebook: Codebook) -> Int {
        codebook.variables.reduce(64) { total, v in
            let valueChars =
                switch v.type {
                case .text: v.validation?.maxLength ?? textMaxLength
                case .category: v.categories.map(\.code.count).max() ?? 8
                default: 12
                }
            let items = v.ifMultipleValues == .all ? (v.maxValues ?? 5) : 1
            return total + (evidenceMaxLength + rationaleMaxLength + valueChars * items) / 3 + 24
        }
    }

    /// The same schema without null, for list items.
    static func nonNull(_ schema: JSONValue) -> JSONValue {
        guard var object = schema.objectValue else { return schema }
        if let types = object["type"]?.arrayValue {
            // Types are names: the type to drop is the string "null", not a JSON null.
            let kept = types.filter { $0.stringValue != "null" }
            object["type"] = kept.count == 1 ? kept[0] : .array(kept)
        }
        if let options = object["enum"]?.arrayValue {
            object["enum"] = .array(options.filter { !$0.isNull })
        }
        return .object(object)
    }
}
