import AssayCore
import Testing

@Suite struct ResponseRepairTests {
    @Test func stripsFencesAndProse() throws {
        let reply = "Sure! Here it is:\n```json\n{\"a\": 1}\n```\nHope that helps."
        let (value, repaired) = try ResponseRepair.parse(reply)
        #expect(value == ["a": 1])
        #expect(repaired)
    }

    @Test func cleanJSONIsNotMarkedRepaired() throws {
        #expect(try ResponseRepair.parse(#"{"a":[1,2]}"#).repaired == false)
    }

    @Test func dropsTrailingCommas() throws {
        #expect(try ResponseRepair.parse(#"{"a": [1, 2,], "b": {"c": true,},}"#).value == ["a": [1, 2], "b": ["c": true]])
    }

    @Test func closesTruncatedBrackets() throws {
        #expect(try ResponseRepair.parse(#"{"a": {"b": [1, 2"#).value == ["a": ["b": [1, 2]]])
        #expect(try ResponseRepair.parse(#"{"a": {"b": 1},"#).value == ["a": ["b": 1]])
    }

    @Test(arguments: [
        #"{"a": "cut off in the mid"#,  // inside a string: ambiguous
        #"{"a": "#,  // a key without its value
        "no json here",
        #"{"a": 1]"#,
    ])
    func refusesWhatCannotBeRepairedUnambiguously(_ reply: String) {
        #expect(throws: ResponseError.self) { try ResponseRepair.parse(reply) }
    }

    @Test func bracesInsideStringsDoNotConfuseExtraction() throws {
        let reply = #"note {"a": "x } y", "b": "{"} trailing"#
        #expect(try ResponseRepair.parse(reply).value == ["a": "x } y", "b": "{"])
    }

    /// A NUL would cut the stored rationale (or evidence) at that point; the reply is refused
    /// naming where, so the document is asked again or fails with that reason.
    @Test func aNULCharacterRefusesTheReplyNamingWhere() {
        let reply = #"{"violence": {"value": true, "confidence": 0.9, "evidence": "x", "rationale": "said so\u0000 and more"}}"#
        #expect(throws: ResponseError.invalidJSON("the reply has a NUL character (\\u0000) in violence.rationale")) {
            try ResponseRepair.parse(reply)
        }
        #expect(throws: ResponseError.invalidJSON("the reply has a NUL character (\\u0000) in a[1]")) {
            try ResponseRepair.parse(#"{"a": ["ok", "no\u0000"],"#)
        }
        #expect(throws: ResponseError.invalidJSON("the reply has a NUL character (\\u0000) in the keys")) {
            try ResponseRepair.parse(#"{"a\u0000b": 1}"#)
        }
    }
}

@Suite struct SchemaValidatorTests {
    let schema: JSONValue = [
        "type": "object",
        "properties": [
            "n": ["type": ["number", "null"], "minimum": 0, "maximum": 10],
            "s": ["type": "string", "maxLength": 3, "pattern": "^[a-z]+$"],
            "e": ["enum": ["x", "y", nil]],
            "l": ["type": "array", "items": ["type": "integer"], "maxItems": 2],
        ],
        "required": ["n", "s"],
        "additionalProperties": false,
    ]

    @Test func acceptsAValidValue() {
        #expect(SchemaValidator.violations(of: ["n": nil, "s": "ab", "e": "x", "l": [1, 2]], against: schema).isEmpty)
    }

    @Test func namesThePathOfEachViolation() {
        let value: JSONValue = ["n": 11, "s": "ABCD", "e": "z", "l": [1, 2.5, 3], "extra": 1]
        let paths = SchemaValidator.violations(of: value, against: schema).map(\.path)
        #expect(Set(paths) == ["$.n", "$.s", "$.e", "$.l", "$.l[1]", "$.extra"])
    }

    @Test func reportsMissingRequiredAndWrongTypes() {
        let found = SchemaValidator.violations(of: ["n": "5"], against: schema)
        #expect(found.contains(SchemaViolation(path: "$.s", message: "missing")))
        #expect(found.contains { $0.path == "$.n" && $0.message.contains("expected number or null, got string") })
    }

    @Test func combinators() {
        let anyOf: JSONValue = ["anyOf": [["type": "string"], ["type": "number"]]]
        #expect(SchemaValidator.violations(of: 1, against: anyOf).isEmpty)
        #expect(!SchemaValidator.violations(of: true, against: anyOf).isEmpty)
        let oneOf: JSONValue = ["oneOf": [["type": "number"], ["type": "integer"]]]
        #expect(!SchemaValidator.violations(of: 1, against: oneOf).isEmpty)  // matches both
        #expect(SchemaValidator.violations(of: 1.5, against: oneOf).isEmpty)
    }
}

@Suite struct ResponseParserTests {
    let prompt = ExtractionPrompt(codebook: Fixtures.codebook)

    @Test func parsesAGoodReply() throws {
        let parsed = try ResponseParser.parse(Fixtures.goodReply.serialized(), prompt: prompt)
        #expect(parsed.answers.keys.elementsEqual(Fixtures.codebook.variables.map(\.name)))
        #expect(parsed.answers["participants"]?.value == 2500)
        #expect(parsed.answers["city"]?.evidence == "Teachers marched in Lisbon")
    }

    @Test func valueTypeProblemsAreLeftToPostProcessing() throws {
        var reply = Fixtures.goodReply.objectValue!
        reply["participants"] = Fixtures.answer("about 2,500", confidence: 0.85)
        let parsed = try ResponseParser.parse(JSONValue.object(reply).serialized(), prompt: prompt)
        #expect(parsed.answers["participants"]?.value == "about 2,500")
        #expect(parsed.answers["participants"]?.confidence == 0.85)
    }

    @Test func missingVariableIsASchemaError() {
        var reply = Fixtures.goodReply.objectValue!
        reply.removeValue(forKey: "city")
        #expect(throws: ResponseError.schemaValidation([SchemaViolation(path: "$.city", message: "missing")])) {
            try ResponseParser.parse(JSONValue.object(reply).serialized(), prompt: prompt)
        }
    }

    @Test func confidenceOutOfRangeIsASchemaError() throws {
        var reply = Fixtures.goodReply.objectValue!
        reply["city"] = Fixtures.answer("Lisbon", confidence: 3000)
        let error = #expect(throws: ResponseError.self) {
            try ResponseParser.parse(JSONValue.object(reply).serialized(), prompt: prompt)
        }
        #expect(error?.kind == .schemaValidation)
        #expect(error?.description.contains("$.city.confidence") == true)
    }

    @Test func notJSONIsAnInvalidJSONError() {
        let error = #expect(throws: ResponseError.self) { try ResponseParser.parse("I cannot help with that.", prompt: prompt) }
        #expect(error?.kind == .invalidJSON)
    }
}
