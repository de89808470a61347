import AssayCore
import AssayTestSupport
import Foundation
import Testing

@testable import AssayProviders

/// The batch APIs' wire formats, as OpenAI's and Anthropic's documentation give them, against a
/// scripted server: what is sent, how states and counts are read, how each line becomes a reply
/// or a reason.
@Suite struct BatchAPITests {
    let request = LLMRequest(
        messages: [.system("be brief"), .user("the document")],
        responseSchema: ["type": "object", "properties": ["a": ["type": "number"]], "required": ["a"]], maxTokens: 100)

    func settings(_ kind: ProviderKind, _ server: StubHTTPServer) -> ProviderSettings {
        ProviderSettings(kind: kind, baseURL: server.baseURL, model: "m1", apiKey: "key", timeout: .seconds(5))
    }

    static let completion =
        #"{"id":"c","object":"chat.completion","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"{\"a\":1}"}}],"usage":{"prompt_tokens":50,"completion_tokens":5}}"#

    @Test func openAIUploadsTheRequestsAsJSONLinesAndMakesABatchFromTheFile() async throws {
        let server = try StubHTTPServer(replies: [
            .init(body: #"{"id":"file-abc","object":"file","purpose":"batch"}"#),
            .init(body: #"{"id":"batch_xyz","object":"batch","status":"validating"}"#),
        ])
        defer { server.shutdown() }
        let api = OpenAIBatchAPI(settings: settings(.openai, server))
        let id = try await api.submit(
            [BatchItem(customID: "k1", request: request), BatchItem(customID: "k2", request: request)], marker: "m-7")
        #expect(id == "batch_xyz")
        let (upload, create) = (server.received[0], server.received[1])
        #expect(upload.uri == "/v1/files" && upload.header("Authorization") == "Bearer key")
        #expect(upload.header("Content-Type")?.hasPrefix("multipart/form-data; boundary=") == true)
        #expect(upload.body.contains("name=\"purpose\"\r\n\r\nbatch\r\n"))
        let lines = upload.body.split(whereSeparator: \.isNewline).filter { $0.hasPrefix("{\"custom_id\"") }
        #expect(lines.count == 2, "\(upload.body)")
        let first = try JSONValue.parse(String(lines[0]))
        #expect(first["custom_id"] == "k1" && first["method"] == "POST" && first["url"] == "/v1/chat/completions")
        // The body is exactly the live request's.
        #expect(first["body"] == api.live.body(for: request))
        let made = try JSONValue.parse(create.body)
        #expect(create.uri == "/v1/batches")
        #expect(
            made == [
                "input_file_id": "file-abc", "endpoint": "/v1/chat/completions", "completion_window": "24h",
                "metadata": ["assay_marker": "m-7"],
            ])
    }

    @Test func openAIStatesCountsAndResultLines() async throws {
        let running = try JSONValue.parse(#"{"id":"b","status":"finalizing","request_counts":{"total":3,"completed":2,"failed":1}}"#)
        #expect(OpenAIBatchAPI.status(running) == BatchStatus(state: .inProgress, total: 3, completed: 2, failed: 1))
        let refused = try JSONValue.parse(#"{"status":"failed","errors":{"data":[{"message":"line 1: bad json"}]}}"#)
        #expect(OpenAIBatchAPI.status(refused).state == .failed && OpenAIBatchAPI.status(refused).reason == "line 1: bad json")
        #expect(OpenAIBatchAPI.status(try JSONValue.parse(#"{"status":"expired"}"#)).state == .expired)

        let output =
            #"{"id":"r1","custom_id":"k1","response":{"status_code":200,"request_id":"x","body":\#(Self.completion)},"error":null}"#
        let failed = #"{"id":"r2","custom_id":"k2","response":{"status_code":400,"body":{"error":{"message":"bad schema"}}},"error":null}"#
        let expired =
            #"{"id":"r3","custom_id":"k3","response":null,"error":{"code":"batch_expired","message":"not executed before the window expired"}}"#
        let server = try StubHTTPServer(replies: [
            .init(body: #"{"id":"b","status":"expired","output_file_id":"file-out","error_file_id":"file-err"}"#),
            .init(body: output + "\n"), .init(body: failed + "\n" + expired + "\n"),
        ])
        defer { server.shutdown() }
        let results = try await OpenAIBatchAPI(settings: settings(.openai, server)).results(of: "b")
        #expect(server.received.map(\.uri) == ["/v1/batches/b", "/v1/files/file-out/content", "/v1/files/file-err/content"])
        #expect(
            results["k1"]
                == .reply(LLMResponse(text: #"{"a":1}"#, usage: TokenUsage(promptTokens: 50, completionTokens: 5), finishReason: "stop")))
        #expect(results["k2"] == .failed("the batch request failed with HTTP 400: bad schema"))
        #expect(results["k3"] == .failed("the batch request failed: not executed before the window expired"))
        await #expect(throws: ProviderError.self) {
            _ = try await OpenAIBatchAPI(settings: settings(.openai, server)).status(of: "../files")
        }
    }

    @Test func anthropicSubmitsTheLiveParamsAndReadsResultsFromItsOwnAddressOnly() async throws {
        let server = try StubHTTPServer(replies: [
            .init(body: #"{"id":"msgbatch_1","type":"message_batch","processing_status":"in_progress"}"#)
        ])
        defer { server.shutdown() }
        let api = AnthropicBatchAPI(settings: settings(.anthropic, server))
        #expect(try await api.submit([BatchItem(customID: "k1", request: request)], marker: "m") == "msgbatch_1")
        #expect(try await api.find(marker: "m") == .unknown)
        let sent = try JSONValue.parse(server.received[0].body)
        #expect(server.received[0].uri == "/v1/messages/batches" && server.received[0].header("x-api-key") == "key")
        let entry = sent["requests"]?.arrayValue?.first
        #expect(entry?["custom_id"] == "k1" && entry?["params"] == api.live.body(for: request))

        let ended = try JSONValue.parse(
            #"{"processing_status":"ended","request_counts":{"processing":0,"succeeded":2,"errored":1,"canceled":0,"expired":1}}"#)
        #expect(AnthropicBatchAPI.status(ended) == BatchStatus(state: .expired, total: 4, completed: 2, failed: 2))

        let message =
            #"{"content":[{"type":"tool_use","id":"t","name":"extraction","input":{"a":2}}],"stop_reason":"tool_use","usage":{"input_tokens":10,"output_tokens":3}}"#
        let lines = [
            #"{"custom_id":"k1","result":{"type":"succeeded","message":\#(message)}}"#,
            #"{"custom_id":"k2","result":{"type":"errored","error":{"type":"error","error":{"type":"invalid_request_error","message":"too long"}}}}"#,
            #"{"custom_id":"k3","result":{"type":"expired"}}"#,
        ]
        let elsewhere = try StubHTTPServer(replies: [])
        defer { elsewhere.shutdown() }
        let server2 = try StubHTTPServer(replies: [
            .init(body: #"{"processing_status":"ended","results_url":"\#(elsewhere.origin)/v1/messages/batches/b/results"}"#)
        ])
        defer { server2.shutdown() }
        // The results URL names another server (another port): refused, the key is not sent there.
        await #expect(throws: ProviderError.self) {
            _ = try await AnthropicBatchAPI(settings: settings(.anthropic, server2)).results(of: "b")
        }
        #expect(elsewhere.received.isEmpty)
        let parsed = Dictionary(
            uniqueKeysWithValues: lines.compactMap { line -> (String, BatchItemResult)? in
                let json = try? JSONValue.parse(line)
                guard let id = json?["custom_id"]?.stringValue else { return nil }
                return (id, AnthropicBatchAPI.result(json?["result"] ?? .null, tool: "extraction"))
            })
        #expect(
            parsed["k1"]
                == .reply(
                    LLMResponse(text: #"{"a":2}"#, usage: TokenUsage(promptTokens: 10, completionTokens: 3), finishReason: "tool_use")))
        #expect(parsed["k2"] == .failed("the batch request failed: too long"))
        #expect(parsed["k3"] == .failed("the batch expired before this request was done"))
    }

    @Test func geminiInlinesTheLiveRequestsWithTheirKeysAndReadsTheOperation() async throws {
        let server = try StubHTTPServer(replies: [
            .init(body: #"{"name":"batches/abc123","metadata":{"state":"BATCH_STATE_PENDING"}}"#)
        ])
        defer { server.shutdown() }
        let api = GeminiBatchAPI(settings: settings(.gemini, server))
        #expect(try await api.submit([BatchItem(customID: "k1", request: request)], marker: "m-9") == "batches/abc123")
        let sent = server.received[0]
        #expect(sent.uri == "/v1/models/m1:batchGenerateContent" && sent.header("x-goog-api-key") == "key")
        let entry = try JSONValue.parse(sent.body)["batch"]?["input_config"]?["requests"]?["requests"]?.arrayValue?.first
        #expect(entry?["metadata"] == ["key": "k1"] && entry?["request"] == api.live.body(for: request))
        #expect(try JSONValue.parse(sent.body)["batch"]?["display_name"] == "assay-m-9")

        let running = try JSONValue.parse(
            #"{"name":"batches/b","metadata":{"state":"BATCH_STATE_RUNNING","batchStats":{"requestCount":"3","successfulRequestCount":"1","pendingRequestCount":"2"}}}"#
        )
        #expect(GeminiBatchAPI.status(running) == BatchStatus(state: .inProgress, total: 3, completed: 1, failed: 0))
        #expect(GeminiBatchAPI.status(try JSONValue.parse(#"{"metadata":{"state":"JOB_STATE_EXPIRED"},"done":true}"#)).state == .expired)
        let refused = try JSONValue.parse(
            #"{"metadata":{"state":"BATCH_STATE_FAILED"},"done":true,"error":{"code":3,"message":"bad request 2"}}"#)
        #expect(GeminiBatchAPI.status(refused) == BatchStatus(state: .failed, reason: "bad request 2"))

        let reply =
            #"{"candidates":[{"content":{"parts":[{"text":"{\"a\":3}"}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":20,"candidatesTokenCount":4}}"#
        let done = try JSONValue.parse(
            #"{"name":"batches/b","done":true,"metadata":{"state":"BATCH_STATE_SUCCEEDED"},"response":{"inlinedResponses":{"inlinedResponses":["#
                + #"{"response":\#(reply),"metadata":{"key":"k1"}},"#
                + #"{"error":{"code":400,"message":"schema too deep"},"metadata":{"key":"k2"}},"#
                + #"{"response":\#(reply)}]}}}"#)
        let results = GeminiBatchAPI.results(done)
        #expect(
            results["k1"]
                == .reply(LLMResponse(text: #"{"a":3}"#, usage: TokenUsage(promptTokens: 20, completionTokens: 4), finishReason: "STOP")))
        #expect(results["k2"] == .failed("the batch request failed: schema too deep"))
        // A response without its key cannot be matched: it is not taken for any request.
        #expect(results.count == 2)
        // A batch name that is not one is refused before anything is sent.
        await #expect(throws: ProviderError.self) { _ = try await api.status(of: "batches/../models") }
    }

    /// A batch is found by the marker it was submitted with, page after page; none is found when
    /// no batch carries it.
    @Test func batchesAreFoundByTheirMarker() async throws {
        let openAI = try StubHTTPServer(replies: [
            .init(body: #"{"data":[{"id":"batch_a","metadata":{"assay_marker":"other"}}],"has_more":true}"#),
            .init(body: #"{"data":[{"id":"batch_b","metadata":{"assay_marker":"m-1"}}],"has_more":false}"#),
            .init(body: #"{"data":[],"has_more":false}"#),
        ])
        defer { openAI.shutdown() }
        let api = OpenAIBatchAPI(settings: settings(.openai, openAI))
        #expect(try await api.find(marker: "m-1") == .found("batch_b"))
        #expect(openAI.received.map(\.uri) == ["/v1/batches?limit=100", "/v1/batches?limit=100&after=batch_a"])
        #expect(try await api.find(marker: "m-2") == .notFound)

        let gemini = try StubHTTPServer(replies: [
            .init(body: #"{"operations":[{"name":"batches/x1","metadata":{"displayName":"assay-m-3"}}]}"#)
        ])
        defer { gemini.shutdown() }
        #expect(try await GeminiBatchAPI(settings: settings(.gemini, gemini)).find(marker: "m-3") == .found("batches/x1"))
        #expect(gemini.received.first?.uri == "/v1/batches?pageSize=100")
    }

    @Test func geminiBatchModeNeedsTheGeminiAPINotVertex() throws {
        let vertex = ProviderSettings(
            kind: .gemini, baseURL: "https://us-central1-aiplatform.googleapis.com/v1/projects/p", model: "m", apiKey: "token")
        #expect(throws: ProviderError.self) { _ = try makeBatchAPI(vertex) }
        let ollama = ProviderSettings(kind: .ollama, baseURL: "http://127.0.0.1:11434", model: "m")
        #expect(throws: ProviderError.self) { _ = try makeBatchAPI(ollama) }
    }
}

/// Cached prompt tokens as each provider reports them in its usage.
@Suite struct CachedTokenTests {
    @Test func openAIReadsPromptTokensDetails() throws {
        let reply =
            #"{"choices":[{"message":{"content":"{}"}}],"usage":{"prompt_tokens":2006,"completion_tokens":300,"prompt_tokens_details":{"cached_tokens":1920}}}"#
        #expect(
            try OpenAICompatibleProvider.parseCompletion(reply).usage
                == TokenUsage(promptTokens: 2006, completionTokens: 300, cachedPromptTokens: 1920))
        let uncached = #"{"choices":[{"message":{"content":"{}"}}],"usage":{"prompt_tokens":20,"completion_tokens":3}}"#
        #expect(try OpenAICompatibleProvider.parseCompletion(uncached).usage.cachedPromptTokens == 0)
    }

    @Test func geminiReadsCachedContentTokenCount() throws {
        let reply = try JSONValue.parse(
            #"{"candidates":[{"content":{"parts":[{"text":"{}"}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":1500,"candidatesTokenCount":40,"cachedContentTokenCount":1024}}"#
        )
        #expect(
            try GeminiProvider.parseReply(reply).usage == TokenUsage(promptTokens: 1500, completionTokens: 40, cachedPromptTokens: 1024))
    }

    @Test func cachedTokensArePricedAtTheCachedRate() {
        let price = Price(input: 1, output: 4, cachedInput: 0.1)
        let usage = TokenUsage(promptTokens: 1_000_000, completionTokens: 0, cachedPromptTokens: 800_000)
        #expect(abs(usage.dollars(at: price) - (0.2 + 0.08)) < 1e-12)
        #expect(abs(usage.dollars(at: price.batched) - 0.14) < 1e-12)
    }
}
