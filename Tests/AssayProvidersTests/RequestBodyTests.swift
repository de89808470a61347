import AssayCore
import Testing

@testable import AssayProviders

/// The body sent with a schema serialized once per schema id is the very body serializing the
/// whole request gives, for every mode and message.
@Suite struct RequestBodyTests {
    let schema: JSONValue = ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"]]

    func provider(_ mode: SchemaMode) -> OpenAICompatibleProvider {
        OpenAICompatibleProvider(settings: ProviderSettings(baseURL: "http://127.0.0.1:1/v1", model: "m", schemaMode: mode))
    }

    @Test(arguments: SchemaMode.allCases)
    func theCachedBodyIsTheWholeBody(_ mode: SchemaMode) throws {
        let provider = provider(mode)
        for text in ["first \"quoted\" document", "second\ndocument with ünïcode", "third"] {
            let request = LLMRequest(
                messages: [.system("s"), .user(text)], responseSchema: schema, temperature: 0.3,
                maxTokens: 77, schemaID: "prompt-hash-1")
            #expect(provider.bodyText(for: request) == provider.body(for: request).serialized())
            #expect(try JSONValue.parse(provider.bodyText(for: request)) == provider.body(for: request))
        }
    }

    /// Another schema under another id is never answered from the first one's cache entry.
    @Test func eachSchemaIDKeepsItsOwnSchema() throws {
        let provider = provider(.jsonSchema)
        let other: JSONValue = ["type": "object", "properties": ["year": ["type": "integer"]]]
        let first = LLMRequest(messages: [.user("a")], responseSchema: schema, schemaID: "p1")
        let second = LLMRequest(messages: [.user("a")], responseSchema: other, schemaID: "p2")
        _ = provider.bodyText(for: first)
        let sent = try JSONValue.parse(provider.bodyText(for: second))
        #expect(sent["response_format"]?["json_schema"]?["schema"] == other)
    }
}
