import AssayCore
import AssayProviders
import AssayStore
import AssayTestSupport
import Foundation
import InMemoryTracing
import Testing
import Tracing

@testable import AssayEngine

/// A job's trace: one `assay.job` span, an `assay.request` span per request inside it, the HTTP
/// call inside that with its `traceparent` reaching the model's server, and no text in any of it.
@Suite(.timeLimit(.minutes(1))) struct JobTracingTests {
    func engine(_ f: EngineFixture, _ provider: any LLMProvider, _ tracer: RecordingTracer) -> ExtractionEngine {
        var engine = f.engine(provider)
        engine.tracer = tracer
        return engine
    }

    func spans(_ tracer: RecordingTracer, _ name: String) -> [FinishedInMemorySpan] {
        tracer.finishedSpans.filter { $0.operationName == name }
    }

    /// Nothing a document, prompt or reply says is in any span.
    func expectNoText(in tracer: RecordingTracer, documents: Int) {
        let texts = tracer.finishedSpans.flatMap(\.attributeTexts) + tracer.finishedSpans.flatMap { $0.events.map(\.name) }
        for text in texts {
            #expect(!text.contains("Protest in") && !text.contains("people came") && !text.contains("peaceful"), "\(text)")
            #expect(!text.contains("<document>") && !text.contains("confidence"), "\(text)")
        }
    }

    @Test func aJobIsOneSpanWithARequestSpanPerRequest() async throws {
        let f = try await EngineFixture(documents: 3)
        let tracer = RecordingTracer()
        let summary = try await engine(f, ScriptedProvider(model: "m1", steps: [], then: FakeModel.good), tracer)
            .run(projectID: f.project.id, options: .init(concurrency: 2))
        #expect(summary.succeeded == 3)

        let job = try #require(spans(tracer, "assay.job").only)
        #expect(job.parentSpanID == nil)
        #expect(job.attributes["assay.job.id"]?.toSpanAttribute() == .int64(summary.job.id))
        #expect(job.attributes["assay.project.id"]?.toSpanAttribute() == .int64(f.project.id))
        #expect(job.attributes["assay.model"]?.toSpanAttribute() == "m1")
        #expect(job.attributes["assay.documents"]?.toSpanAttribute() == 3)
        #expect(job.attributes["assay.job.status"]?.toSpanAttribute() == "completed")
        #expect(job.attributes["assay.job.succeeded"]?.toSpanAttribute() == 3)

        let requests = spans(tracer, "assay.request")
        #expect(requests.count == 3)
        var documents: [Int64] = []
        for request in requests {
            #expect(request.parentSpanID == job.spanID && request.traceID == job.traceID)
            #expect(request.attributes["assay.documents"]?.toSpanAttribute() == 1)
            #expect(request.attributes["assay.attempt"]?.toSpanAttribute() == 1)
            #expect(request.attributes["assay.retries"]?.toSpanAttribute() == 0)
            #expect(request.attributes["assay.provider"]?.toSpanAttribute() == "scripted")
            #expect(request.attributes["assay.model"]?.toSpanAttribute() == "m1")
            #expect(request.attributes["assay.outcome"]?.toSpanAttribute() == "replied")
            if case .int64(let tokens)? = request.attributes["assay.tokens.in"]?.toSpanAttribute() {
                #expect(tokens > 0)
            } else {
                Issue.record("no tokens in")
            }
            if case .int64(let tokens)? = request.attributes["assay.tokens.out"]?.toSpanAttribute() {
                #expect(tokens > 0)
            } else {
                Issue.record("no tokens out")
            }
            if case .int64Array(let ids)? = request.attributes["assay.document.ids"]?.toSpanAttribute() { documents += ids }
        }
        let stored = try await f.store.documents(projectID: f.project.id, status: nil).map(\.id)
        #expect(documents.sorted() == stored.sorted())
        expectNoText(in: tracer, documents: 3)
    }

    @Test func retriesReAsksAndFailuresAreLabelledWithoutTheirMessages() async throws {
        let f = try await EngineFixture(documents: 2)
        let tracer = RecordingTracer()
        let scripted = ScriptedProvider(steps: [
            // Document 1: a 503 retried, an unusable reply, then a good one on the re-ask.
            .fail(.http(status: 503, message: "busy", retryAfter: nil)), .reply("Sorry, {"), FakeModel.good,
            // Document 2: refused with a message that quotes the prompt.
            .fail(.http(status: 400, message: "bad request: Protest in City2 …", retryAfter: nil)),
        ])
        let provider = RetryingProvider(scripted, policy: RetryPolicy(maxRetries: 1, baseDelay: .milliseconds(1)))
        let summary = try await engine(f, provider, tracer).run(projectID: f.project.id, options: .init(concurrency: 1))
        #expect(summary.succeeded == 1 && summary.failed == 1)

        let requests = spans(tracer, "assay.request")
        #expect(requests.count == 3)
        let first = try #require(requests.first { $0.attributes["assay.retries"]?.toSpanAttribute() == 1 })
        #expect(first.attributes["assay.attempt"]?.toSpanAttribute() == 1)
        #expect(first.events.map(\.name) == ["retry"])
        let reask = try #require(requests.first { $0.attributes["assay.attempt"]?.toSpanAttribute() == 2 })
        #expect(reask.attributes["assay.outcome"]?.toSpanAttribute() == "replied")
        let refused = try #require(requests.first { $0.status?.code == .error })
        #expect(refused.attributes["assay.outcome"]?.toSpanAttribute() == "http_400")
        #expect(refused.attributes["error.type"]?.toSpanAttribute() == "http_400")
        #expect(refused.errors.isEmpty)
        #expect(spans(tracer, "assay.job").only?.attributes["assay.job.failed"]?.toSpanAttribute() == 1)
        expectNoText(in: tracer, documents: 2)
    }

    @Test func packedRequestsNameAllTheirDocuments() async throws {
        let f = try await EngineFixture(documents: 3)
        let tracer = RecordingTracer()
        let provider = PackingModel()
        var options = ExtractionEngine.Options(concurrency: 1)
        options.packing = .init(requestTokens: 8192, maxDocumentsPerRequest: 3)
        _ = try await engine(f, provider, tracer).run(projectID: f.project.id, options: options)
        let request = try #require(spans(tracer, "assay.request").first)
        #expect(request.attributes["assay.documents"]?.toSpanAttribute() == 3)
        expectNoText(in: tracer, documents: 3)
    }

    @Test func theModelServerReceivesTheTraceOfItsRequest() async throws {
        let f = try await EngineFixture(documents: 1)
        let asked = LLMRequest(messages: [.user("<document>\n\(Protests.document(1))\n</document>")])
        let server = try StubHTTPServer(replies: [
            .init(body: CompletionBody.make(content: FakeModel.goodReply(for: asked)))
        ])
        defer { server.shutdown() }
        let tracer = RecordingTracer()
        var provider = OpenAICompatibleProvider(settings: ProviderSettings(baseURL: server.baseURL, model: "m1", apiKey: "sk-secret"))
        provider.tracer = tracer
        let summary = try await engine(f, provider, tracer).run(projectID: f.project.id, options: .init())
        #expect(summary.succeeded == 1)

        let job = try #require(spans(tracer, "assay.job").only)
        let request = try #require(spans(tracer, "assay.request").only)
        let http = try #require(spans(tracer, "POST").only)
        #expect(request.parentSpanID == job.spanID)
        #expect(http.parentSpanID == request.spanID && http.kind == .client)
        #expect(request.attributes["assay.provider"]?.toSpanAttribute() == "openai")
        #expect(http.attributes["http.response.status_code"]?.toSpanAttribute() == 200)
        #expect(http.attributes["url.path"]?.toSpanAttribute() == "/v1/chat/completions")
        let sent = try #require(server.received.first)
        #expect(sent.header("traceparent") == RecordingTracer.traceparent(traceID: http.traceID, spanID: http.spanID))
        #expect(!tracer.finishedSpans.flatMap(\.attributeTexts).contains { $0.contains("sk-secret") })
        expectNoText(in: tracer, documents: 1)
    }
}

extension Array {
    /// The one element, or nil when there are none or several.
    var only: Element? { count == 1 ? first : nil }
}

/// An OpenAI chat-completions body around `content`.
enum CompletionBody {
    static func make(content: String) -> String {
        let body: JSONValue = [
            "choices": [["index": 0, "finish_reason": "stop", "message": ["role": "assistant", "content": .string(content)]]],
            "usage": ["prompt_tokens": 11, "completion_tokens": 7],
        ]
        return body.serialized()
    }
}
