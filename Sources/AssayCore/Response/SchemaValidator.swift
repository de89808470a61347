import Foundation

/// One way a JSON value breaks a schema, with the path to it (`$.city.value`).
public struct SchemaViolation: Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// Validates JSON values against the subset of JSON Schema that Assay generates and providers
/// accept: type (single or list), enum, const, properties, required, additionalProperties, items,
/// min/maxItems, minimum/maximum, min/maxLength, pattern, format `date-time` (RFC 3339), anyOf,
/// oneOf, allOf. Other formats and annotations (`description`, `$id`) are ignored.
/// Hand-written because no mirrored package validates JSON Schema; the subset is small and fixed.
public enum SchemaValidator {
    public static func violations(of value: JSONValue, against schema: JSONValue, at path: String = "$") -> [SchemaViolation] {
        guard let rules = schema.objectValue else { return [] }  // `{}` or `true` accepts anything
        var found: [SchemaViolation] = []
        func fail(_ message: String) { found.append(SchemaViolation(path: path, message: message)) }

        if let type = rules["type"] {
            let allowed = type.arrayValue?.compactMap(\.stringValue) ?? type.stringValue.map { [$0] } ?? []
            if !allowed.isEmpty, !allowed.contains(where: { matches(value, type: $0) }) {
                fail("expected \(allowed.joined(separator: " or ")), got \(typeName(value))")
                return found  // further checks on the wrong type only add noise
            }
        }
        if let options = rules["enum"]?.arrayValue, !options.contains(where: { equal($0, value) }) {
            fail("\(short(value)) is not one of \(options.map(short).joined(separator: ", "))")
        }
        if let constant = rules["const"], !equal(constant, value) {
            fail("must be \(short(constant))")
        }
        switch value {
        case .object(let object):
            let properties = rules["properties"]?.objectValue ?? [:]
            for key in rules["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[key] == nil {
                found.append(SchemaViolation(path: "\(path).\(key)", message: "missing"))
            }
            for (key, member) in object {
                if let sub = properties[key] {
                    found += violations(of: member, against: sub, at: "\(path).\(key)")
                } else if let extra = rules["additionalProperties"] {
                    if extra == .bool(false) {
                        found.append(SchemaViolation(path: "\(path).\(key)", message: "unexpected property"))
                    } else {
                        found += violations(of: member, against: extra, at: "\(path).\(key)")
                    }
                }
            }
        case .array(let items):
            if let min = rules["minItems"]?.doubleValue, Double(items.count) < min { fail("needs at least \(Int(min)) items") }
            if let max = rules["maxItems"]?.doubleValue, Double(items.count) > max { fail("allows at most \(Int(max)) items") }
            if let itemSchema = rules["items"] {
                for (i, item) in items.enumerated() {
                    found += violations(of: item, against: itemSchema, at: "\(path)[\(i)]")
                }
            }
        case .number(let number):
            if let min = rules["minimum"]?.doubleValue, number < min { fail("\(short(value)) is below the minimum \(short(.number(min)))") }
            if let max = rules["maximum"]?.doubleValue, number > max { fail("\(short(value)) is above the maximum \(short(.number(max)))") }
        case .string(let text):
            let length = text.count
            if let min = rules["minLength"]?.doubleValue, Double(length) < min { fail("shorter than \(Int(min)) characters") }
            if let max = rules["maxLength"]?.doubleValue, Double(length) > max { fail("longer than \(Int(max)) characters") }
            if let pattern = rules["pattern"]?.stringValue, text.range(of: pattern, options: .regularExpression) == nil {
                fail("does not match the pattern \(pattern)")
            }
            if rules["format"]?.stringValue == "date-time", RFC3339.parse(text) == nil {
                fail("is not an RFC 3339 date-time")
            }
        default: break
        }
        if let all = rules["allOf"]?.arrayValue {
            for sub in all { found += violations(of: value, against: sub, at: path) }
        }
        if let any = rules["anyOf"]?.arrayValue, !any.contains(where: { violations(of: value, against: $0, at: path).isEmpty }) {
            fail("matches none of the allowed forms")
        }
        if let one = rules["oneOf"]?.arrayValue {
            let count = one.filter { violations(of: value, against: $0, at: path).isEmpty }.count
            if count != 1 { fail(count == 0 ? "matches none of the allowed forms" : "matches more than one allowed form") }
        }
        return found
    }

    static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string),
            ("array", .array), ("object", .object):
            true
        case ("integer", .number(let n)): n.rounded() == n
        default: false
        }
    }

    static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// JSON equality where 1 and 1.0 are the same number.
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool { a == b }

    static func short(_ value: JSONValue) -> String {
        let text = value.serialized()
        return text.count > 40 ? String(text.prefix(37)) + "..." : text
    }
}
