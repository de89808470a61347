import AssayCore
import AssayTestSupport
import InMemoryTracing
import Testing
import Tracing

@testable import AssayProviders

/// The provider's HTTP call is a client span, and the trace goes along in its headers.
@Suite(.timeLimit(.minutes(1))) struct ProviderTracingTests {
    let request = LLMRequest(messages: [.system("s"), .user("the document's words")], responseSchema: ["type": "object"])

    @Test func theCallIsAClientSpanWhoseContextTheServerReceives() async throws {
        let server = try StubHTTPServer(replies: [.init(body: Completions.body(content: #"{"a":1}"#))])
        defer { server.shutdown() }
        let tracer = RecordingTracer()
        var provider = OpenAICompatibleProvider(settings: ProviderSettings(baseURL: server.baseURL, model: "m1", apiKey: "sk-secret"))
        provider.tracer = tracer
        _ = try await provider.complete(request)

        let span = try #require(tracer.finishedSpans.first)
        #expect(tracer.finishedSpans.count == 1)
        #expect(span.operationName == "POST" && span.kind == .client)
        #expect(span.attributes["http.request.method"]?.toSpanAttribute() == "POST")
        #expect(span.attributes["server.address"]?.toSpanAttribute() == "127.0.0.1")
        #expect(span.attributes["server.port"]?.toSpanAttribute() == .int64(Int64(server.port)))
        #expect(span.attributes["http.response.status_code"]?.toSpanAttribute() == 200)
        let sent = try #require(server.received.first)
        #expect(sent.header("traceparent") == RecordingTracer.traceparent(traceID: span.traceID, spanID: span.spanID))
        #expect(!span.attributeTexts.contains { $0.contains("sk-secret") || $0.contains("document's words") })
    }

    @Test func aRefusalIsAnErrorSpanWithItsStatusButNotItsMessage() async throws {
        let server = try StubHTTPServer(replies: [.init(status: 400, body: #"{"error":{"message":"the document's words are bad"}}"#)])
        defer { server.shutdown() }
        let tracer = RecordingTracer()
        var provider = OpenAICompatibleProvider(settings: ProviderSettings(baseURL: server.baseURL, model: "m1"))
        provider.tracer = tracer
        await #expect(throws: ProviderError.self) { try await provider.complete(request) }

        let span = try #require(tracer.finishedSpans.first)
        #expect(span.status?.code == .error)
        #expect(span.attributes["http.response.status_code"]?.toSpanAttribute() == 400)
        #expect(span.errors.isEmpty)
        #expect(!span.attributeTexts.contains { $0.contains("document's words") })
    }

    @Test func wrappersReportTheKindOfTheProviderTheyWrap() {
        let settings = ProviderSettings(baseURL: "http://127.0.0.1:1/v1", model: "m1")
        let guarded = ProviderGuards().wrap(OpenAICompatibleProvider(settings: settings))
        #expect(guarded.kind == "openai")
        #expect(ProviderGuards().wrap(AnthropicProvider(settings: ProviderSettings(kind: .anthropic))).kind == "anthropic")
        #expect(ScriptedProvider(steps: []).kind == "scripted")
    }
}
