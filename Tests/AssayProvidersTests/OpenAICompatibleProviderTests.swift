import AssayCore
import AssayTestSupport
import NIOCore
import Testing

@testable import AssayProviders

@Suite(.timeLimit(.minutes(1))) struct OpenAICompatibleProviderTests {
    let request = LLMRequest(
        messages: [.system("s"), .user("u")], responseSchema: ["type": "object"], temperature: 0.2, maxTokens: 99)

    func provider(_ server: StubHTTPServer, timeout: Duration = .seconds(5), key: String? = "sk-test") -> OpenAICompatibleProvider {
        OpenAICompatibleProvider(settings: ProviderSettings(baseURL: server.baseURL, model: "m1", apiKey: key, timeout: timeout))
    }

    @Test func sendsTheSchemaAndReadsTextAndUsage() async throws {
        let server = try StubHTTPServer(replies: [.init(body: Completions.body(content: #"{"a":1}"#))])
        defer { server.shutdown() }
        let response = try await provider(server).complete(request)
        #expect(response.text == #"{"a":1}"#)
        #expect(response.usage == TokenUsage(promptTokens: 11, completionTokens: 7))
        let sent = try #require(server.received.first)
        #expect(sent.method == "POST")
        #expect(sent.uri == "/v1/chat/completions")
        #expect(sent.headers.contains { $0.0.lowercased() == "authorization" && $0.1 == "Bearer sk-test" })
        let body = try JSONValue.parse(sent.body)
        #expect(body["model"] == "m1")
        #expect(body["max_tokens"] == 99)
        #expect(body["temperature"] == 0.2)
        #expect(body["response_format"]?["type"] == "json_schema")
        #expect(body["response_format"]?["json_schema"]?["schema"] == ["type": "object"])
    }

    @Test func rateLimitCarriesRetryAfterAndIsRetryable() async throws {
        let server = try StubHTTPServer(replies: [
            .init(status: 429, headers: [("Retry-After", "2")], body: #"{"error":{"message":"slow down"}}"#)
        ])
        defer { server.shutdown() }
        let error = await #expect(throws: ProviderError.self) { try await provider(server).complete(request) }
        #expect(error == .http(status: 429, message: "slow down", retryAfter: .seconds(2)))
        #expect(error?.isRetryable == true)
    }

    @Test func retryingProviderRecoversFrom429And500() async throws {
        let server = try StubHTTPServer(replies: [
            .init(status: 429, headers: [("Retry-After", "0")], body: "{}"),
            .init(status: 503, body: "<html>busy</html>"),
            .init(body: Completions.body(content: "ok")),
        ])
        defer { server.shutdown() }
        let retrying = RetryingProvider(provider(server), policy: RetryPolicy(maxRetries: 3, baseDelay: .milliseconds(1)))
        #expect(try await retrying.complete(request).text == "ok")
        #expect(server.received.count == 3)
    }

    @Test func clientErrorsAreNotRetried() async throws {
        let server = try StubHTTPServer(replies: [.init(status: 401, body: #"{"error":{"message":"bad key"}}"#)])
        defer { server.shutdown() }
        let retrying = RetryingProvider(provider(server), policy: RetryPolicy(maxRetries: 3, baseDelay: .milliseconds(1)))
        let error = await #expect(throws: ProviderError.self) { try await retrying.complete(request) }
        #expect(error?.description.contains("check the API key") == true)
        #expect(server.received.count == 1)
    }

    @Test func aBodyThatIsNotJSONIsAnInvalidResponse() async throws {
        let server = try StubHTTPServer(replies: [.init(body: "<html>proxy error</html>")])
        defer { server.shutdown() }
        let error = await #expect(throws: ProviderError.self) { try await provider(server).complete(request) }
        #expect(error == .invalidResponse("the body is not JSON"))
    }

    @Test func aSlowServerTimesOut() async throws {
        let server = try StubHTTPServer(replies: [.init(body: Completions.body(content: "late"), delay: .seconds(60))])
        defer { server.shutdown() }
        let error = await #expect(throws: ProviderError.self) {
            try await provider(server, timeout: .milliseconds(300)).complete(request)
        }
        #expect(error?.errorKind == .timeout)
    }

    @Test func aReplyThatStallsMidBodyTimesOut() async throws {
        let server = try StubHTTPServer(replies: [.init(body: Completions.body(content: "never finished"), stallsMidBody: true)])
        defer { server.shutdown() }
        let error = await #expect(throws: ProviderError.self) {
            try await provider(server, timeout: .milliseconds(500)).complete(request)
        }
        #expect(error?.errorKind == .timeout)
    }

    @Test func aServerThatIsDownIsUnreachable() async throws {
        let settings = ProviderSettings(baseURL: "http://127.0.0.1:1/v1", model: "m", timeout: .seconds(5))
        let error = await #expect(throws: ProviderError.self) { try await OpenAICompatibleProvider(settings: settings).complete(request) }
        #expect(error?.isRetryable == true)
        await #expect(throws: ProviderError.self) { try await OpenAICompatibleProvider(settings: settings).checkReachable() }
    }

    @Test func badBaseURLIsMisconfigured() async {
        let settings = ProviderSettings(baseURL: "ftp://example", model: "m")
        let error = await #expect(throws: ProviderError.self) { try await OpenAICompatibleProvider(settings: settings).complete(request) }
        #expect(error?.isRetryable == false)
    }

    @Test func schemaModes() {
        var settings = ProviderSettings(model: "m")
        settings.schemaMode = .jsonObject
        #expect(OpenAICompatibleProvider(settings: settings).body(for: request)["response_format"] == ["type": "json_object"])
        settings.schemaMode = .none
        #expect(OpenAICompatibleProvider(settings: settings).body(for: request)["response_format"] == nil)
    }

    @Test func retryAfterAsSecondsOrDate() {
        #expect(OpenAICompatibleProvider.parseRetryAfter("7") == .seconds(7))
        #expect(OpenAICompatibleProvider.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT") == .zero)
        #expect(OpenAICompatibleProvider.parseRetryAfter("soon") == nil)
    }
}

@Suite(.timeLimit(.minutes(1))) struct LlamaServerTokenizerTests {
    @Test func countsWithTokenizeAtTheServerRoot() async throws {
        let server = try StubHTTPServer(replies: [.init(body: #"{"tokens":[9906,1917,13]}"#)])
        defer { server.shutdown() }
        let count = try await LlamaServerTokenizer(baseURL: server.baseURL).countTokens("Hello world.")
        #expect(count == 3)
        let sent = try #require(server.received.first)
        #expect(sent.method == "POST" && sent.uri == "/tokenize")
        #expect(try JSONValue.parse(sent.body)["content"] == "Hello world.")
    }

    @Test func aServerWithoutTokenizeIsNotUsed() async throws {
        let server = try StubHTTPServer(replies: [.init(status: 404, body: #"{"error":"not found"}"#)])
        defer { server.shutdown() }
        #expect(await LlamaServerTokenizer.probe(baseURL: server.baseURL) == nil)
    }
}
