import AssayCore
import AssayTestSupport
import Testing

@testable import AssayProviders

@Suite struct GeminiProviderTests {
    let request = LLMRequest(
        messages: [.system("be brief"), .user("the document"), .assistant("{}"), .user("again")],
        responseSchema: [
            "type": "object",
            "properties": ["b": ["type": ["string", "null"]], "a": ["type": "number"]],
            "required": ["b", "a"],
            "additionalProperties": false,
        ],
        temperature: 0.3, maxTokens: 321)

    func provider(_ server: StubHTTPServer, key: String? = "g-key", baseURL: String? = nil) -> GeminiProvider {
        GeminiProvider(
            settings: ProviderSettings(
                kind: .gemini, baseURL: baseURL ?? server.origin + "/v1beta",
                model: "gemini-test", apiKey: key, timeout: .seconds(5)))
    }

    static func reply(text: String = #"{\"a\":1}"#, finish: String = "STOP", extraParts: String = "") -> String {
        """
        {"candidates":[{"content":{"role":"model","parts":[\(extraParts){"text":"\(text)"}]},"finishReason":"\(finish)","index":0}],
         "usageMetadata":{"promptTokenCount":40,"candidatesTokenCount":9,"thoughtsTokenCount":5,"totalTokenCount":54}}
        """
    }

    @Test func sendsKeySystemInstructionAndConvertedSchema() async throws {
        let server = try StubHTTPServer(replies: [.init(body: Self.reply())])
        defer { server.shutdown() }
        _ = try await provider(server).complete(request)
        let sent = try #require(server.received.first)
        #expect(sent.method == "POST")
        #expect(sent.uri == "/v1beta/models/gemini-test:generateContent")
        #expect(sent.header("x-goog-api-key") == "g-key")
        #expect(sent.header("authorization") == nil)
        let body = try JSONValue.parse(sent.body)
        #expect(body["systemInstruction"] == ["parts": [["text": "be brief"]]])
        #expect(
            body["contents"] == [
                ["role": "user", "parts": [["text": "the document"]]],
                ["role": "model", "parts": [["text": "{}"]]],
                ["role": "user", "parts": [["text": "again"]]],
            ])
        let config = try #require(body["generationConfig"])
        #expect(config["temperature"] == 0.3)
        #expect(config["maxOutputTokens"] == 321)
        #expect(config["responseMimeType"] == "application/json")
        #expect(
            config["responseSchema"] == [
                "type": "OBJECT",
                "properties": ["b": ["type": "STRING", "nullable": true], "a": ["type": "NUMBER"]],
                "propertyOrdering": ["b", "a"],
                "required": ["b", "a"],
            ])
    }

    @Test func readsTextAndUsageAndSkipsThoughts() async throws {
        let thought = #"{"text":"let me think","thought":true},"#
        let server = try StubHTTPServer(replies: [.init(body: Self.reply(extraParts: thought))])
        defer { server.shutdown() }
        let response = try await provider(server).complete(request)
        #expect(response.text == #"{"a":1}"#)
        #expect(response.usage == TokenUsage(promptTokens: 40, completionTokens: 14))
        #expect(response.finishReason == "STOP")
    }

    @Test func vertexTakesABearerToken() {
        var settings = ProviderSettings(kind: .gemini, model: "gemini-test", apiKey: "token")
        #expect(GeminiProvider(settings: settings).authHeaders.map(\.0) == ["x-goog-api-key"])
        settings.baseURL = "https://europe-west4-aiplatform.googleapis.com/v1/projects/p/locations/l/publishers/google"
        let headers = GeminiProvider(settings: settings).authHeaders
        #expect(headers.map(\.0) == ["Authorization"])
        #expect(headers.map(\.1) == ["Bearer token"])
    }

    @Test func safetyBlockIsRefusedAndNotRetried() async throws {
        let server = try StubHTTPServer(replies: [
            .init(body: #"{"candidates":[{"finishReason":"SAFETY","index":0}],"usageMetadata":{"promptTokenCount":40}}"#)
        ])
        defer { server.shutdown() }
        let retrying = RetryingProvider(provider(server), policy: RetryPolicy(maxRetries: 3, baseDelay: .milliseconds(1)))
        let error = await #expect(throws: ProviderError.self) { try await retrying.complete(request) }
        #expect(error?.isRetryable == false)
        #expect(error?.description.contains("safety filter") == true)
        #expect(server.received.count == 1)
    }

    @Test func recitationAndBlockedPromptAndNoCandidates() throws {
        let recitation = try JSONValue.parse(#"{"candidates":[{"content":{"parts":[{"text":"x"}]},"finishReason":"RECITATION"}]}"#)
        #expect(throws: ProviderError.refused("the reply was withheld as recitation of training data (Gemini finishReason RECITATION)")) {
            try GeminiProvider.parseReply(recitation)
        }
        let blockedPrompt = try JSONValue.parse(#"{"promptFeedback":{"blockReason":"PROHIBITED_CONTENT"}}"#)
        #expect(throws: ProviderError.refused("Gemini blocked the prompt (blockReason PROHIBITED_CONTENT)")) {
            try GeminiProvider.parseReply(blockedPrompt)
        }
        #expect(throws: ProviderError.invalidResponse("Gemini returned no candidates")) {
            try GeminiProvider.parseReply(["candidates": []])
        }
    }

    @Test func outputLimitBeforeAnyTextIsSaidPlainly() throws {
        let cut = try JSONValue.parse(
            #"{"candidates":[{"content":{"parts":[{"text":"hmm","thought":true}]},"finishReason":"MAX_TOKENS"}]}"#)
        let error = #expect(throws: ProviderError.self) { try GeminiProvider.parseReply(cut) }
        #expect(error?.description.contains("output token limit") == true)
    }

    @Test func badKeyIsNotRetryable() async throws {
        // Gemini answers an invalid API key with 400 INVALID_ARGUMENT.
        let server = try StubHTTPServer(replies: [
            .init(status: 400, body: #"{"error":{"code":400,"message":"API key not valid.","status":"INVALID_ARGUMENT"}}"#),
            .init(status: 401, body: #"{"error":{"code":401,"message":"unauthenticated"}}"#),
        ])
        defer { server.shutdown() }
        let first = await #expect(throws: ProviderError.self) { try await provider(server).complete(request) }
        #expect(first == .http(status: 400, message: "API key not valid.", retryAfter: nil))
        #expect(first?.isRetryable == false)
        let second = await #expect(throws: ProviderError.self) { try await provider(server).complete(request) }
        #expect(second?.isRetryable == false)
    }

    @Test func rateLimitWaitsComeFromTheHeaderOrTheBody() async throws {
        let server = try StubHTTPServer(replies: [
            .init(status: 429, headers: [("Retry-After", "3")], body: #"{"error":{"code":429,"message":"quota"}}"#),
            .init(
                status: 429,
                body: """
                    {"error":{"code":429,"message":"quota","status":"RESOURCE_EXHAUSTED","details":[
                    {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"37s"}]}}
                    """),
        ])
        defer { server.shutdown() }
        let header = await #expect(throws: ProviderError.self) { try await provider(server).complete(request) }
        #expect(header == .http(status: 429, message: "quota", retryAfter: .seconds(3)))
        #expect(header?.isRetryable == true)
        let body = await #expect(throws: ProviderError.self) { try await provider(server).complete(request) }
        #expect(body == .http(status: 429, message: "quota", retryAfter: .seconds(37)))
    }

    @Test func serverErrorsAreRetried() async throws {
        let server = try StubHTTPServer(replies: [
            .init(status: 500, body: #"{"error":{"code":500,"message":"internal"}}"#),
            .init(status: 503, body: #"{"error":{"code":503,"message":"The model is overloaded."}}"#),
            .init(body: Self.reply()),
        ])
        defer { server.shutdown() }
        let retrying = RetryingProvider(provider(server), policy: RetryPolicy(maxRetries: 3, baseDelay: .milliseconds(1)))
        #expect(try await retrying.complete(request).text == #"{"a":1}"#)
        #expect(server.received.count == 3)
    }

    @Test func malformedBodyIsAnInvalidResponse() async throws {
        let server = try StubHTTPServer(replies: [.init(body: #"{"candidates":[{"content":"#)])
        defer { server.shutdown() }
        let error = await #expect(throws: ProviderError.self) { try await provider(server).complete(request) }
        #expect(error == .invalidResponse("the body is not JSON"))
        #expect(error?.isRetryable == false)
    }

    @Test func schemaModes() throws {
        var settings = ProviderSettings(kind: .gemini, apiKey: "k")
        settings.schemaMode = .jsonObject
        let jsonMode = GeminiProvider(settings: settings).body(for: request)["generationConfig"]
        #expect(jsonMode?["responseMimeType"] == "application/json")
        #expect(jsonMode?["responseSchema"] == nil)
        settings.schemaMode = .none
        #expect(GeminiProvider(settings: settings).body(for: request)["generationConfig"]?["responseMimeType"] == nil)
        // An object with no properties is refused by Gemini; JSON mode alone is sent instead.
        settings.schemaMode = .jsonSchema
        let bare = LLMRequest(messages: [.user("u")], responseSchema: ["type": "object"])
        #expect(GeminiProvider(settings: settings).body(for: bare)["generationConfig"]?["responseSchema"] == nil)
        #expect(GeminiProvider(settings: settings).body(for: bare)["systemInstruction"] == nil)
    }

    @Test func checkReachableAsksForTheModel() async throws {
        let server = try StubHTTPServer(replies: [
            .init(body: #"{"name":"models/gemini-test"}"#),
            .init(status: 404, body: #"{"error":{"code":404,"message":"models/gemini-test is not found"}}"#),
        ])
        defer { server.shutdown() }
        try await provider(server).checkReachable()
        #expect(server.received.first?.method == "GET")
        #expect(server.received.first?.uri == "/v1beta/models/gemini-test")
        #expect(server.received.first?.header("x-goog-api-key") == "g-key")
        await #expect(throws: ProviderError.self) { try await provider(server).checkReachable() }
    }
}
