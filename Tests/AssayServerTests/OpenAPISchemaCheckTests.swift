import AssayCore
import AssayTestSupport
import Testing

/// The hand-written schema check finds what it is there to find, so a passing response test means
/// something.
@Suite("OpenAPISchemaCheck")
struct OpenAPISchemaCheckTests {
    static let document: JSONValue = [
        "components": [
            "schemas": [
                "Thing": [
                    "type": "object",
                    "properties": [
                        "id": ["type": "integer", "format": "int64"],
                        "kind": ["type": "string", "enum": ["a", "b"]],
                        "when": ["type": "string", "format": "date-time"],
                        "note": ["type": ["string", "null"], "maxLength": 5],
                        "tags": ["type": "array", "items": ["type": "string"]],
                        "part": ["$ref": "#/components/schemas/Part"],
                        "free": ["type": "object"],
                    ],
                    "required": ["id", "kind"],
                ],
                "Part": ["type": "object", "properties": ["n": ["type": "number", "minimum": 0]], "additionalProperties": false],
                "Open": ["type": "object", "properties": ["n": ["type": "number"]], "additionalProperties": ["type": "boolean"]],
                "Odd": ["type": "object", "oneOf": []],
            ]
        ]
    ]
    let check = OpenAPISchemaCheck(Self.document)

    @Test func aConformingValueHasNoProblems() {
        let value: JSONValue = [
            "id": 3, "kind": "a", "when": "2026-12-01T23:05:37Z", "note": .null, "tags": ["x"], "part": ["n": 1.5],
            "free": ["anything": [1, 2]],
        ]
        #expect(check.problems(value, schema: "Thing") == [])
    }

    /// A value with one thing wrong, and the one problem the check should report.
    static let wrong: [(JSONValue, String)] = [
        (["kind": "a"], "$: the required property id is missing"),
        (["id": 1.5, "kind": "a"], "$.id: the number 1.5 where the schema has integer"),
        (["id": 1, "kind": "c"], #"$.kind: "c" is not one of ["a","b"]"#),
        (["id": 1, "kind": "a", "when": "yesterday"], "$.when: yesterday is not an RFC 3339 date-time"),
        (["id": 1, "kind": "a", "note": "too long"], "$.note: longer than 5"),
        (["id": 1, "kind": "a", "note": 4], "$.note: the number 4.0 where the schema has string or null"),
        (["id": 1, "kind": "a", "tags": ["x", 2]], "$.tags[1]: the number 2.0 where the schema has string"),
        (["id": 1, "kind": "a", "part": ["n": -1]], "$.part.n: -1.0 is below 0.0"),
        (["id": 1, "kind": "a", "part": ["m": 1]], "$.part.m: not a property of the schema (additionalProperties is false)"),
        (["id": 1, "kind": "a", "extra": true], "$.extra: not declared in the schema's properties"),
        ("thing", "$: a string where the schema has object"),
    ]

    @Test(arguments: wrong)
    func findsWhatIsWrong(_ value: JSONValue, _ problem: String) {
        #expect(check.problems(value, schema: "Thing") == [problem])
    }

    @Test func additionalPropertiesAsASchemaChecksTheExtraKeys() {
        #expect(check.problems(["n": 1, "flag": true], schema: "Open") == [])
        #expect(check.problems(["n": 1, "flag": "yes"], schema: "Open") == ["$.flag: a string where the schema has boolean"])
    }

    @Test func unknownKeywordsAndReferencesAreProblemsNotPasses() {
        #expect(check.problems([:], schema: "Odd") == ["$: the check does not know the keyword oneOf"])
        #expect(check.problems([:], schema: "Missing") == ["$: no schema Missing in components.schemas"])
        #expect(
            check.problems(1, against: ["$ref": "#/components/schemas/Nowhere"]) == ["$: $ref #/components/schemas/Nowhere names no schema"]
        )
    }
}
