import AssayCore
import AssayTestSupport
import Testing

@testable import AssayProviders

@Suite struct OllamaProviderTests {
    let schema: JSONValue = ["type": "object", "properties": ["a": ["type": "integer"]], "required": ["a"]]
    var request: LLMRequest {
        LLMRequest(messages: [.system("be brief"), .user("the document")], responseSchema: schema, temperature: 0.1, maxTokens: 77)
    }

    func provider(_ server: StubHTTPServer, model: String = "llama-test", mode: SchemaMode = .jsonSchema) -> OllamaProvider {
        OllamaProvider(
            settings: ProviderSettings(
                kind: .ollama, baseURL: server.origin, model: model,
                timeout: .seconds(5), schemaMode: mode))
    }

    static let reply = """
        {"model":"llama-test","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":"{\\"a\\":3}"},
         "done_reason":"stop","done":true,"total_duration":123,"prompt_eval_count":26,"eval_count":8}
        """

    @Test func sendsTheSchemaAsFormatAndReadsCounts() async throws {
        let server = try StubHTTPServer(replies: [.init(body: Self.reply)])
        defer { server.shutdown() }
        let response = try await provider(server).complete(request)
        #expect(response.text == #"{"a":3}"#)
        #expect(response.usage == TokenUsage(promptTokens: 26, completionTokens: 8))
        #expect(response.finishReason == "stop")

        let sent = try #require(server.received.first)
        #expect(sent.method == "POST")
        #expect(sent.uri == "/api/chat")
        #expect(sent.header("authorization") == nil)
        let body = try JSONValue.parse(sent.body)
        #expect(body["model"] == "llama-test")
        #expect(body["stream"] == false)
        #expect(body["format"] == schema)
        #expect(body["options"] == ["temperature": 0.1, "num_predict": 77])
        #expect(body["messages"] == [["role": "system", "content": "be brief"], ["role": "user", "content": "the document"]])
    }

    @Test func jsonModeAndNoFormat() throws {
        var settings = ProviderSettings(kind: .ollama)
        settings.schemaMode = .jsonObject
        #expect(OllamaProvider(settings: settings).body(for: request)["format"] == "json")
        settings.schemaMode = .none
        #expect(OllamaProvider(settings: settings).body(for: request)["format"] == nil)
    }

    @Test func unknownModelIsNotRetriedAndSaysWhy() async throws {
        let server = try StubHTTPServer(replies: [
            .init(status: 404, body: #"{"error":"model \"nope\" not found, try pulling it first"}"#)
        ])
        defer { server.shutdown() }
        let retrying = RetryingProvider(provider(server, model: "nope"), policy: RetryPolicy(maxRetries: 3, baseDelay: .milliseconds(1)))
        let error = await #expect(throws: ProviderError.self) { try await retrying.complete(request) }
        #expect(error == .http(status: 404, message: #"model "nope" not found, try pulling it first"#, retryAfter: nil))
        #expect(server.received.count == 1)
    }

    @Test func busyServerIsRetried() async throws {
        let server = try StubHTTPServer(replies: [
            .init(status: 429, headers: [("Retry-After", "0")], body: #"{"error":"server busy, please try again"}"#),
            .init(status: 500, body: #"{"error":"llama runner process has terminated"}"#),
            .init(body: Self.reply),
        ])
        defer { server.shutdown() }
        let first = await #expect(throws: ProviderError.self) { try await provider(server).complete(request) }
        #expect(first == .http(status: 429, message: "server busy, please try again", retryAfter: .zero))
        #expect(first?.isRetryable == true)
        let retrying = RetryingProvider(provider(server), policy: RetryPolicy(maxRetries: 3, baseDelay: .milliseconds(1)))
        #expect(try await retrying.complete(request).text == #"{"a":3}"#)
    }

    @Test func unauthorizedIsNotRetried() async throws {
        let server = try StubHTTPServer(replies: [.init(status: 401, body: #"{"error":"unauthorized"}"#)])
        defer { server.shutdown() }
        let error = await #expect(throws: ProviderError.self) { try await provider(server).complete(request) }
        #expect(error?.isRetryable == false)
    }

    @Test func malformedBodyIsAnInvalidResponse() async throws {
        let server = try StubHTTPServer(replies: [.init(body: "{\"model\":"), .init(body: #"{"done":true}"#)])
        defer { server.shutdown() }
        let error = await #expect(throws: ProviderError.self) { try await provider(server).complete(request) }
        #expect(error == .invalidResponse("the body is not JSON"))
        let missing = await #expect(throws: ProviderError.self) { try await provider(server).complete(request) }
        #expect(missing == .invalidResponse("no message.content in the reply"))
    }

    @Test func checkReachableFindsThePulledModel() async throws {
        let tags = #"{"models":[{"name":"llama-test:latest","model":"llama-test:latest"},{"name":"qwen:7b"}]}"#
        let server = try StubHTTPServer(replies: [.init(body: tags), .init(body: tags)])
        defer { server.shutdown() }
        try await provider(server).checkReachable()
        #expect(server.received.first?.uri == "/api/tags")
        let error = await #expect(throws: ProviderError.self) { try await provider(server, model: "mistral").checkReachable() }
        #expect(error?.description.contains("ollama pull mistral") == true)
    }
}
