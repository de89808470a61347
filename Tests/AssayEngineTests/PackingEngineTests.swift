import AssayCore
import AssayProviders
import AssayStore
import AssayTestSupport
import Foundation
import Testing

@testable import AssayEngine

/// Answers packed requests (documents tagged `<document id="Dn">`) and single ones like a good
/// model; can drop tags from packed replies, fail requests that hold a poisoned text and hang
/// on requests that hold a stuck one.
actor PackingModel: LLMProvider {
    nonisolated let model = "packing-fake"
    var requests: [LLMRequest] = []
    let dropKeys: Set<String>
    let failPacked: Bool
    let poison: String?
    let stuck: String?

    init(dropKeys: Set<String> = [], failPacked: Bool = false, poison: String? = nil, stuck: String? = nil) {
        self.stuck = stuck
        self.dropKeys = dropKeys
        self.failPacked = failPacked
        self.poison = poison
    }

    func complete(_ request: LLMRequest) async throws -> LLMResponse {
        requests.append(request)
        let user = request.messages.first { $0.role == .user }?.content ?? ""
        if let poison, user.contains(poison) { throw ProviderError.http(status: 500, message: "poisoned", retryAfter: nil) }
        if let stuck, user.contains(stuck) { try await Task.sleep(for: .seconds(3600)) }
        let tagged = Self.taggedDocuments(user)
        if tagged.isEmpty { return LLMResponse(text: FakeModel.goodReply(for: request)) }
        if failPacked { throw ProviderError.http(status: 503, message: "too big", retryAfter: nil) }
        var reply = OrderedDictionary<String, JSONValue>()
        for (key, text) in tagged where !dropKeys.contains(key) {
            let single = LLMRequest(messages: [.user("<document>\n\(text)\n</document>")])
            reply[key] = try JSONValue.parse(FakeModel.goodReply(for: single))
        }
        return LLMResponse(text: JSONValue.object(reply).serialized())
    }

    static func taggedDocuments(_ user: String) -> [(String, String)] {
        var found: [(String, String)] = []
        var rest = Substring(user)
        while let open = rest.range(of: "<document id=\""), let quote = rest[open.upperBound...].firstIndex(of: "\""),
            let close = rest.range(of: "\n</document>")
        {
            let key = String(rest[open.upperBound..<quote])
            let textStart = rest.index(quote, offsetBy: 3)  // past `">\n`
            found.append((key, String(rest[textStart..<close.lowerBound])))
            rest = rest[close.upperBound...]
        }
        return found
    }
}

@Suite struct PackingEngineTests {
    let packing = ExtractionEngine.Packing(requestTokens: 100_000)

    @Test func packedRunMakesFewerRequestsAndStoresTheSameValues() async throws {
        let packedFixture = try await EngineFixture(documents: 6)
        let packedModel = PackingModel()
        let packed = try await packedFixture.engine(packedModel)
            .run(projectID: packedFixture.project.id, options: .init(packing: packing))
        #expect(packed.succeeded == 6)
        #expect(await packedModel.requests.count == 1)
        #expect(packed.metrics?.documentsPerRequest == 6)
        #expect(packed.metrics?.callsSavedByPacking == 5)
        #expect(packed.metrics?.valuesStored == 18)

        let singleFixture = try await EngineFixture(documents: 6)
        let singleModel = PackingModel()
        _ = try await singleFixture.engine(singleModel).run(projectID: singleFixture.project.id, options: .init())
        #expect(await singleModel.requests.count == 6)

        func values(_ f: EngineFixture) async throws -> [String] {
            try await f.store.extractions(projectID: f.project.id, documentID: nil)
                .map { "\($0.documentID)/\($0.variable)=\($0.value.serialized())/\($0.status.rawValue)/\($0.evidence?.start ?? -1)" }
        }
        #expect(try await values(packedFixture) == values(singleFixture))
    }

    @Test func aDocumentMissingFromThePackedReplyIsRedoneAlone() async throws {
        let f = try await EngineFixture(documents: 3)
        let model = PackingModel(dropKeys: ["D2"])
        let summary = try await f.engine(model).run(projectID: f.project.id, options: .init(packing: packing))
        #expect(summary.succeeded == 3)
        #expect(await model.requests.count == 2)
        let metrics = try #require(summary.metrics)
        #expect(metrics.requests == 2 && metrics.redoneAlone == 1 && metrics.callsSavedByPacking == 2)
    }

    @Test func aFailingPackedRequestIsSplitDownToSingles() async throws {
        let f = try await EngineFixture(documents: 4)
        let model = PackingModel(failPacked: true)
        let summary = try await f.engine(model).run(projectID: f.project.id, options: .init(packing: packing))
        #expect(summary.succeeded == 4)
        // [4] fails → [2] [2] fail → four singles succeed.
        #expect(await model.requests.count == 7)
        #expect(summary.metrics?.splits == 3)
        #expect(summary.metrics?.requests == 7)
    }

    @Test func onePoisonedDocumentDoesNotSinkItsNeighbours() async throws {
        let f = try await EngineFixture(documents: 5)
        let model = PackingModel(poison: Protests.document(3))
        let summary = try await f.engine(model).run(projectID: f.project.id, options: .init(packing: packing))
        #expect(summary.succeeded == 4)
        #expect(summary.failed == 1)
        let error = try #require(try await f.store.errorRecords(projectID: f.project.id, jobID: summary.job.id).first)
        let poisoned = try #require(try await f.store.document(externalID: "doc3.txt", projectID: f.project.id))
        #expect(error.documentID == poisoned.id)
        #expect(error.kind == .providerError)
    }

    @Test func theBudgetDecidesTheBatches() async throws {
        let f = try await EngineFixture(documents: 5)
        let engine = f.engine(PackingModel())
        let docs = try await f.store.documents(projectID: f.project.id, status: .ready).map(WorkItem.init)
        let prompt = ExtractionPrompt(codebook: Protests.codebook)
        let processor = DocumentProcessor(provider: PackingModel(), prompt: prompt, codebookVersion: 1)
        #expect(engine.batches(docs, processor: processor, packing: nil).map(\.count) == [1, 1, 1, 1, 1])
        #expect(
            engine.batches(docs, processor: processor, packing: .init(requestTokens: 100_000, maxDocumentsPerRequest: 2))
                .map(\.count) == [2, 2, 1])
        // A budget too small for two documents sends each alone.
        let oneEach = TokenEstimator.estimate(prompt.system + prompt.codebookSection) + 64 + processor.maxTokens + 40
        #expect(engine.batches(docs, processor: processor, packing: .init(requestTokens: oneEach)).map(\.count) == [1, 1, 1, 1, 1])
    }
}

/// A tokenizer that reports a fixed count for every text.
struct FixedTokenizer: TokenCounting {
    let tokens: Int
    func countTokens(_ text: String) async throws -> Int { tokens }
}

@Suite struct ExactTokenCountTests {
    @Test func packingFollowsTheTokenizerRatherThanTheEstimate() async throws {
        let f = try await EngineFixture(documents: 6)
        let options = ExtractionEngine.Options(concurrency: 1, packing: .init(requestTokens: 8192))

        // The estimate (~20 tokens each) would pack all six; the tokenizer says 3,000 each.
        let big = PackingModel()
        var engine = ExtractionEngine(store: f.store, provider: big, tokenCounter: FixedTokenizer(tokens: 3000))
        _ = try await engine.run(projectID: f.project.id, options: options)
        #expect(await big.requests.count == 6)

        let g = try await EngineFixture(documents: 6)
        let small = PackingModel()
        engine = ExtractionEngine(store: g.store, provider: small, tokenCounter: FixedTokenizer(tokens: 10))
        _ = try await engine.run(projectID: g.project.id, options: options)
        #expect(await small.requests.count == 1)
    }
}
