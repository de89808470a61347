import AssayCore

/// Our JSON Schema rewritten into the OpenAPI subset Gemini's `responseSchema` accepts.
///
/// Gemini refuses the whole request over one keyword it does not know, so only known keywords
/// pass; `type: [X, "null"]` and a null in an enum become `nullable`; enums must be strings, so a
/// number enum (confidence levels) becomes a hint in the description; and `propertyOrdering` keeps
/// our order, because Gemini otherwise writes properties alphabetically and the evidence would no
/// longer come before the value. `$ref` is not supported and our schemas do not use it.
enum GeminiSchema {
    /// Keywords copied unchanged when present.
    static let kept = [
        "title", "description", "minimum", "maximum", "minItems", "maxItems",
        "minLength", "maxLength", "pattern", "minProperties", "maxProperties",
    ]

    static func convert(_ schema: JSONValue) -> JSONValue {
        guard let object = schema.objectValue else { return [:] }
        var nullable = object["nullable"]?.boolValue ?? false
        var types: [String] =
            switch object["type"] {
            case .string(let type)?: [type]
            case .array(let list)?: list.compactMap(\.stringValue)
            default: []
            }
        if types.contains("null") { nullable = true }
        types.removeAll { $0 == "null" }

        var options = object["enum"]?.arrayValue ?? object["const"].map { [$0] }
        if let values = options {
            if values.contains(where: \.isNull) { nullable = true }
            options = values.filter { !$0.isNull }
            if types.isEmpty, let inferred = inferredType(of: options ?? []) { types = [inferred] }
        }

        // Several types at once (rare): one alternative per type, constraints left out.
        if types.count > 1 {
            var out: OrderedDictionary<String, JSONValue> = ["anyOf": .array(types.map { ["type": .string($0.uppercased())] })]
            if nullable { out["nullable"] = true }
            if let description = object["description"] { out["description"] = description }
            return .object(out)
        }

        var out = OrderedDictionary<String, JSONValue>()
        if let type = types.first { out["type"] = .string(type.uppercased()) }
        if nullable { out["nullable"] = true }
        for key in kept { if let value = object[key] { out[key] = value } }
        if let format = object["format"]?.stringValue, supportedFormat(format, type: types.first) {
            out["format"] = .string(format)
        }
        if let options, !options.isEmpty {
            if options.allSatisfy({ $0.stringValue != nil }) {
                out["enum"] = .array(options)
            } else {
                let hint = "one of " + options.map(\.displayText).joined(separator: ", ")
                let description = object["description"]?.stringValue.map { "\($0); \(hint)" } ?? hint
                out["description"] = .string(description)
            }
        }
        if let properties = object["properties"]?.objectValue {
            out["properties"] = .object(properties.mapValues(convert))
            out["propertyOrdering"] = .array(properties.keys.map { .string($0) })
        }
        if let required = object["required"] { out["required"] = required }
        if let items = object["items"] { out["items"] = convert(items) }
        if let alternatives = (object["anyOf"] ?? object["oneOf"])?.arrayValue {
            out["anyOf"] = .array(alternatives.map(convert))
        }
        return .object(out)
    }

    static func inferredType(of values: [JSONValue]) -> String? {
        if values.allSatisfy({ $0.stringValue != nil }) { return "string" }
        if values.allSatisfy({ $0.boolValue != nil }) { return "boolean" }
        if values.allSatisfy({ $0.doubleValue != nil }) {
            return values.allSatisfy({ $0.doubleValue.map { $0 == $0.rounded() } ?? false }) ? "integer" : "number"
        }
        return nil
    }

    /// The formats Gemini accepts; any other fails the request.
    static func supportedFormat(_ format: String, type: String?) -> Bool {
        switch type {
        case "string": ["enum", "date-time"].contains(format)
        case "number": ["float", "double"].contains(format)
        case "integer": ["int32", "int64"].contains(format)
        default: false
        }
    }
}
