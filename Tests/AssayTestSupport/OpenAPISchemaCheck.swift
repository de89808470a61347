import AssayCore

/// Checks JSON against the schemas of an OpenAPI 3.1 document, so tests can hold the service's
/// response types to `docs/openapi.json`.
///
/// Hand-written: no JSON Schema package is available to this build. It knows the keywords the
/// document uses (`type` — a name or a list, so `["string", "null"]` — `properties`, `required`,
/// `additionalProperties`, `items`, `$ref` to `#/components/schemas/…`, `enum`, `format` date-time
/// and int64, `minLength`/`maxLength`, `minimum`/`maximum`, and the annotations) and reports any
/// other keyword as a problem rather than passing what it cannot check.
///
/// One rule is stricter than JSON Schema: an object whose schema lists `properties` may carry no
/// other key unless `additionalProperties` allows it. A key the code sends and the document does
/// not describe is a mismatch either way.
package struct OpenAPISchemaCheck: Sendable {
    package let document: JSONValue

    package init(_ document: JSONValue) { self.document = document }

    private static let keywords: Set = [
        "type", "properties", "required", "additionalProperties", "items", "$ref", "enum", "format",
        "minLength", "maxLength", "minimum", "maximum", "description", "default", "example", "title",
    ]
    private static let componentPrefix = "#/components/schemas/"

    /// The component schema called `name`.
    package func schema(named name: String) -> JSONValue? { document["components"]?["schemas"]?[name] }

    /// The schema of a route's JSON response (`"get"`, `"/projects"`, `"200"`), with the response
    /// itself possibly a `$ref` to `#/components/responses/…`.
    package func responseSchema(_ method: String, _ path: String, status: String) -> JSONValue? {
        var response = document["paths"]?[path]?[method]?["responses"]?[status]
        if let ref = response?["$ref"]?.stringValue, ref.hasPrefix("#/components/responses/") {
            response = document["components"]?["responses"]?[String(ref.dropFirst("#/components/responses/".count))]
        }
        guard let content = response?["content"]?.objectValue else { return nil }
        return content.first { $0.key.hasSuffix("json") }?.value["schema"]
    }

    /// What is wrong with `value` as an instance of the component schema `name`, one line per
    /// problem led by its JSON path (`$.items[0].status`); empty when it conforms.
    package func problems(_ value: JSONValue, schema name: String) -> [String] {
        guard let schema = schema(named: name) else { return ["$: no schema \(name) in components.schemas"] }
        return problems(value, against: schema)
    }

    /// What is wrong with `value` as an instance of `schema`.
    package func problems(_ value: JSONValue, against schema: JSONValue) -> [String] {
        var found: [String] = []
        check(value, schema, at: "$", into: &found)
        return found
    }

    private func check(_ value: JSONValue, _ schema: JSONValue, at path: String, into found: inout [String]) {
        guard let keywords = schema.objectValue else {
            found.append("\(path): the schema is not an object")
            return
        }
        for keyword in keywords.keys where !Self.keywords.contains(keyword) {
            found.append("\(path): the check does not know the keyword \(keyword)")
        }
        if let ref = schema["$ref"]?.stringValue {
            guard ref.hasPrefix(Self.componentPrefix), let target = self.schema(named: String(ref.dropFirst(Self.componentPrefix.count)))
            else {
                found.append("\(path): $ref \(ref) names no schema")
                return
            }
            check(value, target, at: path, into: &found)
        }
        if let type = schema["type"] {
            let allowed = type.stringValue.map { [$0] } ?? type.arrayValue?.compactMap(\.stringValue) ?? []
            guard allowed.contains(where: { Self.value(value, is: $0) }) else {
                found.append("\(path): \(Self.kind(of: value)) where the schema has \(allowed.joined(separator: " or "))")
                return
            }
        }
        if let options = schema["enum"]?.arrayValue, !options.contains(value) {
            found.append("\(path): \(value.serialized()) is not one of \(JSONValue.array(options).serialized())")
        }
        checkFormatAndBounds(value, schema, at: path, into: &found)
        switch value {
        case .object(let object):
            for name in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[name] == nil {
                found.append("\(path): the required property \(name) is missing")
            }
            let properties = schema["properties"]?.objectValue
            for (key, item) in object {
                if let property = properties?[key] {
                    check(item, property, at: "\(path).\(key)", into: &found)
                } else if let extra = schema["additionalProperties"], extra != .bool(true) {
                    if extra == .bool(false) {
                        found.append("\(path).\(key): not a property of the schema (additionalProperties is false)")
                    } else {
                        check(item, extra, at: "\(path).\(key)", into: &found)
                    }
                } else if properties != nil, schema["additionalProperties"] == nil {
                    found.append("\(path).\(key): not declared in the schema's properties")
                }
            }
        case .array(let items):
            guard let itemSchema = schema["items"] else { break }
            for (index, item) in items.enumerated() { check(item, itemSchema, at: "\(path)[\(index)]", into: &found) }
        default:
            break
        }
    }

    private func checkFormatAndBounds(_ value: JSONValue, _ schema: JSONValue, at path: String, into found: inout [String]) {
        switch (value, schema["format"]?.stringValue) {
        case (.string(let text), "date-time") where RFC3339.parse(text) == nil:
            found.append("\(path): \(text) is not an RFC 3339 date-time")
        case (.number(let number), "int64") where !(Double(Int64.min)...Double(Int64.max)).contains(number):
            found.append("\(path): \(number) is outside int64")
        default:
            break
        }
        if case .string(let text) = value {
            let length = text.unicodeScalars.count
            if let min = schema["minLength"]?.doubleValue, Double(length) < min { found.append("\(path): shorter than \(Int(min))") }
            if let max = schema["maxLength"]?.doubleValue, Double(length) > max { found.append("\(path): longer than \(Int(max))") }
        }
        if case .number(let number) = value {
            if let min = schema["minimum"]?.doubleValue, number < min { found.append("\(path): \(number) is below \(min)") }
            if let max = schema["maximum"]?.doubleValue, number > max { found.append("\(path): \(number) is above \(max)") }
        }
    }

    private static func value(_ value: JSONValue, is type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string), ("array", .array), ("object", .object):
            return true
        case ("integer", .number(let number)):
            return number.isFinite && number.rounded() == number
        default:
            return false
        }
    }

    private static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number(let number): "the number \(number)"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
