import AssayCore
import Testing

@testable import AssayProviders

@Suite struct GeminiSchemaTests {
    /// Every key anywhere in a schema, to check nothing Gemini refuses slipped through.
    func keys(_ value: JSONValue) -> Set<String> {
        switch value {
        case .object(let object):
            object.reduce(into: Set(object.keys)) { all, entry in
                // Property names are names, not keywords.
                if entry.key == "properties", let properties = entry.value.objectValue {
                    for child in properties.values { all.formUnion(keys(child)) }
                } else {
                    all.formUnion(keys(entry.value))
                }
            }
        case .array(let items): items.reduce(into: Set()) { $0.formUnion(keys($1)) }
        default: []
        }
    }

    @Test func nullableTypesBecomeNullable() {
        #expect(
            GeminiSchema.convert(["type": ["string", "null"], "maxLength": 200]) == ["type": "STRING", "nullable": true, "maxLength": 200])
        #expect(GeminiSchema.convert(["type": "boolean"]) == ["type": "BOOLEAN"])
        #expect(
            GeminiSchema.convert(["type": ["array", "null"], "items": ["type": "integer"], "maxItems": 3]) == [
                "type": "ARRAY", "nullable": true, "maxItems": 3, "items": ["type": "INTEGER"],
            ])
    }

    @Test func unsupportedKeywordsAreDropped() {
        let schema: JSONValue = [
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object", "additionalProperties": false,
            "properties": [
                "when": ["type": "string", "format": "date-time", "const": "x", "examples": ["y"]],
                "mail": ["type": "string", "format": "email"],
            ],
        ]
        let converted = GeminiSchema.convert(schema)
        #expect(converted["$schema"] == nil)
        #expect(converted["additionalProperties"] == nil)
        #expect(converted["properties"]?["when"] == ["type": "STRING", "format": "date-time", "enum": ["x"]])
        // Gemini accepts only a few formats and fails the request for others.
        #expect(converted["properties"]?["mail"] == ["type": "STRING"])
    }

    @Test func enumsAreStringsAndNullMovesToNullable() {
        #expect(GeminiSchema.convert(["enum": ["yes", "no", nil]]) == ["type": "STRING", "nullable": true, "enum": ["yes", "no"]])
        // Numbers cannot be an enum in Gemini: the choices survive as a hint, the range as bounds.
        #expect(
            GeminiSchema.convert(["type": "number", "minimum": 0, "maximum": 1, "enum": [0, 0.5, 1]]) == [
                "type": "NUMBER", "minimum": 0, "maximum": 1, "description": "one of 0, 0.5, 1",
            ])
        #expect(GeminiSchema.convert(["enum": [1, 2]])["type"] == "INTEGER")
    }

    @Test func severalTypesBecomeAlternatives() {
        #expect(
            GeminiSchema.convert(["type": ["string", "number", "null"]]) == [
                "anyOf": [["type": "STRING"], ["type": "NUMBER"]], "nullable": true,
            ])
        #expect(
            GeminiSchema.convert(["oneOf": [["type": "string"], ["type": "boolean"]]]) == [
                "anyOf": [["type": "STRING"], ["type": "BOOLEAN"]]
            ])
    }

    @Test func theExtractionSchemaKeepsItsOrderAndLosesWhatGeminiRefuses() throws {
        let codebook = Codebook(variables: [
            Variable(name: "topic", type: .category, categories: [Category(code: "tax"), Category(code: "health")]),
            Variable(name: "people", type: .text, ifMultipleValues: .all, maxValues: 4),
            Variable(name: "year", type: .number),
        ])
        let converted = GeminiSchema.convert(ExtractionSchema.make(for: codebook))
        let allowed: Set<String> = [
            "type", "nullable", "description", "enum", "properties", "propertyOrdering",
            "required", "items", "minimum", "maximum", "maxLength", "maxItems",
        ]
        #expect(keys(converted).subtracting(allowed).isEmpty, "left in: \(keys(converted).subtracting(allowed))")
        #expect(converted["propertyOrdering"] == ["topic", "people", "year"])
        #expect(converted["required"] == ["topic", "people", "year"])

        let topic = try #require(converted["properties"]?["topic"])
        // Evidence before value: Gemini would otherwise write keys alphabetically.
        #expect(topic["propertyOrdering"] == ["evidence", "rationale", "value", "confidence"])
        #expect(topic["properties"]?["value"] == ["type": "STRING", "nullable": true, "enum": ["tax", "health"]])
        #expect(topic["properties"]?["confidence"]?["type"] == "NUMBER")
        #expect(topic["properties"]?["confidence"]?["maximum"] == 1)

        let people = try #require(converted["properties"]?["people"]?["properties"]?["value"])
        #expect(people["type"] == "ARRAY")
        #expect(people["nullable"] == true)
        #expect(people["maxItems"] == 4)
        #expect(people["items"]?["type"] == "STRING")
    }
}
