import AssayCore
import AssayTestSupport
import Testing

@testable import AssayProviders

@Suite struct AnthropicProviderTests {
    let schema: JSONValue = [
        "type": "object", "properties": ["a": ["type": ["number", "null"]]], "required": ["a"], "additionalProperties": false,
    ]
    var request: LLMRequest {
        LLMRequest(
            messages: [.system("be brief"), .user("the document")], responseSchema: schema,
            schemaName: "extraction", temperature: 0.2, maxTokens: 222)
    }

    func provider(_ server: StubHTTPServer, mode: SchemaMode = .jsonSchema) -> AnthropicProvider {
        AnthropicProvider(
            settings: ProviderSettings(
                kind: .anthropic, baseURL: server.baseURL, model: "claude-test",
                apiKey: "ant-key", timeout: .seconds(5), schemaMode: mode))
    }

    static let toolReply = """
        {"id":"msg_1","type":"message","role":"assistant","model":"claude-test",
         "content":[{"type":"text","text":"Here it is."},
                    {"type":"tool_use","id":"toolu_1","name":"extraction","input":{"a":2.5}}],
         "stop_reason":"tool_use","stop_sequence":null,
         "usage":{"input_tokens":30,"cache_read_input_tokens":100,"cache_creation_input_tokens":0,"output_tokens":12}}
        """

    @Test func sendsTheSchemaAsTheOnlyToolAndReadsItsInput() async throws {
        let server = try StubHTTPServer(replies: [.init(body: Self.toolReply)])
        defer { server.shutdown() }
        let response = try await provider(server).complete(request)
        #expect(response.text == #"{"a":2.5}"#)
        // The 100 tokens read from the prompt cache are prompt tokens, and said to be cached.
        #expect(response.usage == TokenUsage(promptTokens: 130, completionTokens: 12, cachedPromptTokens: 100))
        #expect(response.finishReason == "tool_use")

        let sent = try #require(server.received.first)
        #expect(sent.uri == "/v1/messages")
        #expect(sent.header("x-api-key") == "ant-key")
        #expect(sent.header("anthropic-version") == "2023-06-01")
        #expect(sent.header("authorization") == nil)
        let body = try JSONValue.parse(sent.body)
        #expect(body["model"] == "claude-test")
        #expect(body["max_tokens"] == 222)
        #expect(body["temperature"] == 0.2)
        // The system prompt is the same for every document: a cache breakpoint.
        #expect(body["system"] == [["type": "text", "text": "be brief", "cache_control": ["type": "ephemeral"]]])
        #expect(body["messages"] == [["role": "user", "content": "the document"]])
        #expect(body["tools"]?.arrayValue?.count == 1)
        #expect(body["tools"]?.arrayValue?.first?["name"] == "extraction")
        #expect(body["tools"]?.arrayValue?.first?["input_schema"] == schema)
        #expect(body["tool_choice"] == ["type": "tool", "name": "extraction"])
    }

    @Test func withoutASchemaTheTextIsTheReply() async throws {
        let server = try StubHTTPServer(replies: [
            .init(
                body: """
                    {"content":[{"type":"text","text":"{\\"a\\":1}"}],"stop_reason":"end_turn","usage":{"input_tokens":5,"output_tokens":3}}
                    """)
        ])
        defer { server.shutdown() }
        let response = try await provider(server, mode: .none).complete(request)
        #expect(response.text == #"{"a":1}"#)
        #expect(response.usage == TokenUsage(promptTokens: 5, completionTokens: 3))
        let body = try JSONValue.parse(try #require(server.received.first).body)
        #expect(body["tools"] == nil)
        #expect(body["tool_choice"] == nil)
    }

    @Test func refusalAndMissingToolCall() throws {
        let refusal = try JSONValue.parse(#"{"content":[],"stop_reason":"refusal","usage":{"input_tokens":5,"output_tokens":0}}"#)
        let refused = #expect(throws: ProviderError.self) { try AnthropicProvider.parseReply(refusal, tool: "extraction") }
        #expect(refused == .refused("Claude declined to answer (stop_reason refusal)"))
        #expect(refused?.isRetryable == false)
        let otherTool = try JSONValue.parse(#"{"content":[{"type":"tool_use","name":"other","input":{}}],"stop_reason":"tool_use"}"#)
        #expect(throws: ProviderError.invalidResponse("no tool_use block named 'extraction' and no text (stop_reason tool_use)")) {
            try AnthropicProvider.parseReply(otherTool, tool: "extraction")
        }
        #expect(throws: ProviderError.invalidResponse("no content in the reply")) {
            try AnthropicProvider.parseReply(["type": "message"], tool: "extraction")
        }
    }

    @Test func overloadedAndServerErrorsAreRetried() async throws {
        let server = try StubHTTPServer(replies: [
            .init(status: 529, body: #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#),
            .init(status: 500, body: #"{"type":"error","error":{"type":"api_error","message":"Internal server error"}}"#),
            .init(body: Self.toolReply),
        ])
        defer { server.shutdown() }
        let direct = await #expect(throws: ProviderError.self) { try await provider(server).complete(request) }
        #expect(direct == .http(status: 529, message: "Overloaded", retryAfter: nil))
        #expect(direct?.isRetryable == true)
        let retrying = RetryingProvider(provider(server), policy: RetryPolicy(maxRetries: 3, baseDelay: .milliseconds(1)))
        #expect(try await retrying.complete(request).text == #"{"a":2.5}"#)
        #expect(server.received.count == 3)
    }

    @Test func rateLimitCarriesRetryAfter() async throws {
        let server = try StubHTTPServer(replies: [
            .init(
                status: 429, headers: [("retry-after", "12")],
                body:
                    #"{"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"}}"#
            )
        ])
        defer { server.shutdown() }
        let error = await #expect(throws: ProviderError.self) { try await provider(server).complete(request) }
        #expect(error?.isRetryable == true)
        guard case .http(429, let message, let retryAfter)? = error else {
            Issue.record("not a 429: \(String(describing: error))")
            return
        }
        #expect(retryAfter == .seconds(12))
        #expect(message.hasPrefix("Number of request tokens"))
    }

    @Test func badKeyIsNotRetried() async throws {
        let server = try StubHTTPServer(replies: [
            .init(status: 401, body: #"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"#)
        ])
        defer { server.shutdown() }
        let retrying = RetryingProvider(provider(server), policy: RetryPolicy(maxRetries: 3, baseDelay: .milliseconds(1)))
        let error = await #expect(throws: ProviderError.self) { try await retrying.complete(request) }
        #expect(error == .http(status: 401, message: "invalid x-api-key", retryAfter: nil))
        #expect(server.received.count == 1)
    }

    @Test func malformedBodyIsAnInvalidResponse() async throws {
        let server = try StubHTTPServer(replies: [.init(body: "upstream connect error")])
        defer { server.shutdown() }
        let error = await #expect(throws: ProviderError.self) { try await provider(server).complete(request) }
        #expect(error == .invalidResponse("the body is not JSON"))
    }

    @Test func toolNamesAndTemperatureFitTheAPI() {
        #expect(AnthropicProvider.toolName("packed extraction/v2") == "packed_extraction_v2")
        #expect(AnthropicProvider.toolName("") == "extraction")
        #expect(AnthropicProvider.toolName(String(repeating: "x", count: 80)).count == 64)
        var hot = request
        hot.temperature = 1.6
        let settings = ProviderSettings(kind: .anthropic, apiKey: "k")
        #expect(AnthropicProvider(settings: settings).body(for: hot)["temperature"] == 1)
    }

    @Test func checkReachableAsksForTheModel() async throws {
        let server = try StubHTTPServer(replies: [
            .init(body: #"{"id":"claude-test-20250101","type":"model"}"#),
            .init(status: 404, body: #"{"type":"error","error":{"type":"not_found_error","message":"model: claude-nope"}}"#),
        ])
        defer { server.shutdown() }
        try await provider(server).checkReachable()
        #expect(server.received.first?.uri == "/v1/models/claude-test")
        #expect(server.received.first?.header("x-api-key") == "ant-key")
        let error = await #expect(throws: ProviderError.self) { try await provider(server).checkReachable() }
        #expect(error?.description.contains("check the base URL and the model name") == true)
    }

    @Test func promptCachingOffSendsThePlainSystemPrompt() throws {
        var settings = try ProviderSettings.fromEnvironment(["ASSAY_PROVIDER": "anthropic", "ASSAY_PROMPT_CACHE": "off"])
        #expect(settings.promptCache == false)
        settings.apiKey = "k"
        #expect(AnthropicProvider(settings: settings).body(for: request)["system"] == "be brief")
        #expect(throws: ProviderError.self) { try ProviderSettings.fromEnvironment(["ASSAY_PROMPT_CACHE": "sometimes"]) }
    }
}
