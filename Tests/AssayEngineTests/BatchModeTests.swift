import AssayCore
import AssayProviders
import AssayStore
import AssayTestSupport
import Foundation
import Logging
import Testing

@testable import AssayEngine

/// A batch API in memory: records what is submitted, answers each item as `FakeModel` would,
/// and ends a batch when told (or at once).
actor FakeBatchAPI: BatchAPI {
    nonisolated let model: String
    nonisolated let providerName = "fake"
    nonisolated let limits: BatchLimits
    private(set) var submitted: [[BatchItem]] = []
    private(set) var resultsRead = 0
    /// Whether batches have ended; while false they stay in progress.
    var ending = true
    /// Items whose last message contains one of these texts expire instead of being answered.
    var expiring: [String] = []
    private var batches: [String: [BatchItem]] = [:]
    private var markers: [String: String] = [:]
    /// The next this many submissions are accepted, and then their answer is lost (a timeout).
    var losingAnswers = 0
    /// Whether `find(marker:)` can answer (Anthropic's batches keep no marker).
    var findsMarkers = true

    init(model: String = "fake-model", limits: BatchLimits = BatchLimits(maxItems: 1000, maxBytes: 100_000_000)) {
        self.model = model
        self.limits = limits
    }

    func set(ending: Bool, expiring: [String] = []) {
        self.ending = ending
        self.expiring = expiring
    }

    func expires(_ request: LLMRequest) -> Bool {
        let text = request.messages.last?.content ?? ""
        for marker in expiring where text.contains(marker) { return true }
        return false
    }

    nonisolated func size(of item: BatchItem) -> Int { 100 }

    func submit(_ items: [BatchItem], marker: String) async throws -> String {
        submitted.append(items)
        let id = "b\(submitted.count)"
        batches[id] = items
        markers[marker] = id
        if losingAnswers > 0 {
            losingAnswers -= 1
            throw ProviderError.timeout(seconds: 1)
        }
        return id
    }

    func find(marker: String) async throws -> BatchLookup {
        guard findsMarkers else { return .unknown }
        return markers[marker].map { .found($0) } ?? .notFound
    }

    func set(losingAnswers: Int = 0, findsMarkers: Bool = true) {
        self.losingAnswers = losingAnswers
        self.findsMarkers = findsMarkers
    }

    /// The batch `id` as submitted under another marker too.
    func alias(marker: String, id: String) { markers[marker] = id }

    func status(of batchID: String) async throws -> BatchStatus {
        let items = batches[batchID] ?? []
        guard ending else { return BatchStatus(state: .inProgress, total: items.count) }
        let expired = items.filter { expires($0.request) }.count
        if expired > 0 {
            return BatchStatus(state: .expired, total: items.count, completed: items.count - expired, failed: expired)
        }
        return BatchStatus(state: .completed, total: items.count, completed: items.count)
    }

    func results(of batchID: String) async throws -> [String: BatchItemResult] {
        resultsRead += 1
        var results: [String: BatchItemResult] = [:]
        for item in batches[batchID] ?? [] where !expires(item.request) {
            results[item.customID] = .reply(
                LLMResponse(text: FakeModel.goodReply(for: item.request), usage: TokenUsage(promptTokens: 100, completionTokens: 50)))
        }
        return results
    }

    var requestCount: Int { submitted.reduce(0) { $0 + $1.count } }
}

@Suite struct BatchModeTests {
    static let fast = BatchTiming(quietPeriod: .milliseconds(20), pollInterval: .milliseconds(10))

    func engine(_ f: EngineFixture, api: FakeBatchAPI) -> ExtractionEngine {
        var engine = f.engine(ScriptedProvider(model: api.model, steps: [], then: FakeModel.good))
        engine.batchAPI = { _ in api }
        engine.batchTiming = Self.fast
        return engine
    }

    static var batchOptions: ExtractionEngine.Options {
        var options = ExtractionEngine.Options(concurrency: 2)
        options.batch = true
        return options
    }

    func values(_ f: EngineFixture) async throws -> [String] {
        try await f.store.extractions(projectID: f.project.id, documentID: nil)
            .map { "\($0.documentID) \($0.variable) \($0.value.serialized())" }.sorted()
    }

    @Test func aBatchJobStoresWhatALiveJobStoresFromOneBatch() async throws {
        let live = try await EngineFixture(documents: 6)
        _ = try await live.engine(ScriptedProvider(steps: [], then: FakeModel.good)).run(projectID: live.project.id, options: .init())
        let f = try await EngineFixture(documents: 6)
        let api = FakeBatchAPI()
        let summary = try await engine(f, api: api).run(projectID: f.project.id, options: Self.batchOptions)
        #expect(summary.job.status == .completed && summary.succeeded == 6)
        #expect(summary.job.selection.batch == true)
        // Every document's request went once, though only two would be in flight live.
        #expect(await api.requestCount == 6)
        #expect(try await values(f) == values(live))
        let recorded = try await f.store.batches(jobID: summary.job.id)
        #expect(!recorded.isEmpty && recorded.allSatisfy { $0.state == .completed } && recorded.first?.remoteID == "b1")
    }

    @Test func aRunStoppedWhileItsBatchRunsTakesTheBatchUpAgainWithoutSubmittingIt() async throws {
        let f = try await EngineFixture(documents: 4)
        let api = FakeBatchAPI()
        await api.set(ending: false)
        let engine = engine(f, api: api)
        let first = Task { try await engine.run(projectID: f.project.id, options: Self.batchOptions) }
        while await api.requestCount < 4 { try await Task.sleep(for: .milliseconds(5)) }
        while try await f.store.openBatches(provider: "fake", model: api.model, since: .distantPast).flatMap(\.waitingKeys).count < 4 {
            try await Task.sleep(for: .milliseconds(5))  // until recorded
        }
        first.cancel()
        _ = try? await first.value
        #expect(try await f.store.extractions(projectID: f.project.id, documentID: nil).isEmpty)
        // The batch finishes while nothing polls it; the next run finds it in the ledger.
        await api.set(ending: true)
        let second = try await engine.run(projectID: f.project.id, options: Self.batchOptions)
        #expect(second.job.status == .completed && second.succeeded == 4)
        #expect(await api.requestCount == 4, "the same requests were submitted again")
        #expect(try await f.store.extractions(projectID: f.project.id, documentID: nil).count == 12)
    }

    /// A submission whose answer was lost (a timeout after the provider accepted it) is found by
    /// its marker instead of being sent again.
    @Test func aSubmissionWhoseAnswerIsLostIsFoundByItsMarker() async throws {
        let f = try await EngineFixture(documents: 4)
        let api = FakeBatchAPI()
        await api.set(losingAnswers: 1)
        let summary = try await engine(f, api: api).run(projectID: f.project.id, options: Self.batchOptions)
        #expect(summary.job.status == .completed && summary.succeeded == 4)
        #expect(await api.requestCount == 4, "the batch was submitted again")
    }

    /// A kill between the provider accepting a batch and its id being recorded leaves the batch
    /// recorded under its marker: the next run finds it there and submits nothing; a batch the
    /// provider never got is forgotten and its requests go again; a provider that cannot be
    /// asked (Anthropic) gets them again too.
    @Test(arguments: [BatchLookup.found(""), .notFound, .unknown])
    func aBatchRecordedBeforeItsSubmissionIsAdoptedOrForgotten(lookup: BatchLookup) async throws {
        let f = try await EngineFixture(documents: 4)
        let api = FakeBatchAPI()
        await api.set(ending: false)
        let engine = engine(f, api: api)
        let first = Task { try await engine.run(projectID: f.project.id, options: Self.batchOptions) }
        var open: [ProviderBatch] = []
        while open.flatMap(\.waitingKeys).count < 4 || open.contains(where: { $0.pendingMarker != nil }) {
            try await Task.sleep(for: .milliseconds(5))
            open = try await f.store.openBatches(provider: "fake", model: api.model, since: .distantPast)
        }
        first.cancel()
        _ = try? await first.value
        // As if the run had been killed before the provider's answers were recorded (under load
        // the documents may have gone in more than one batch).
        for batch in open {
            try await f.store.setRemoteID(ProviderBatch.pending(marker: "m-\(batch.id)"), batchID: batch.id)
            if case .found = lookup { await api.alias(marker: "m-\(batch.id)", id: batch.remoteID) }
        }
        if lookup == .unknown { await api.set(findsMarkers: false) }
        await api.set(ending: true)
        let second = try await engine.run(projectID: f.project.id, options: Self.batchOptions)
        #expect(second.job.status == .completed && second.succeeded == 4)
        let expected = lookup == .found("") ? 4 : 8
        #expect(await api.requestCount == expected)
        #expect(try await f.store.extractions(projectID: f.project.id, documentID: nil).count == 12)
    }

    @Test func anExpiredBatchFailsItsUndoneDocumentsWithTheReasonAndTheNextRunSendsThemAgain() async throws {
        let f = try await EngineFixture(documents: 4)
        let api = FakeBatchAPI()
        let undone = [Protests.document(3), Protests.document(4)]
        await api.set(ending: true, expiring: undone)
        let engine = engine(f, api: api)
        let first = try await engine.run(projectID: f.project.id, options: Self.batchOptions)
        #expect(first.job.status == .completed && first.succeeded == 2 && first.failed == 2)
        let reasons = try await f.store.errorRecords(projectID: f.project.id, jobID: first.job.id).map(\.reason)
        #expect(reasons.count == 2 && reasons.allSatisfy { $0.contains("expired") }, "\(reasons)")
        await api.set(ending: true)
        let second = try await engine.run(projectID: f.project.id, options: Self.batchOptions)
        #expect(second.job.total == 2 && second.succeeded == 2)
        #expect(await api.requestCount == 6)
    }

    @Test func identicalRequestsShareOneItemAndABatchIsSplitAtTheProvidersLimit() async throws {
        let f = try await EngineFixture(documents: 5)
        let api = FakeBatchAPI(limits: BatchLimits(maxItems: 2, maxBytes: 1_000_000))
        let summary = try await engine(f, api: api).run(projectID: f.project.id, options: Self.batchOptions)
        #expect(summary.succeeded == 5)
        let sizes = await api.submitted.map(\.count)
        #expect(sizes.reduce(0, +) == 5 && sizes.allSatisfy { $0 <= 2 }, "\(sizes)")
        // The fixture's documents are distinct; the same request twice is one item.
        let collector = BatchCollector(api: api, ledger: f.store, timing: Self.fast, logger: .init(label: "test"))
        let request = LLMRequest(messages: [ChatMessage(role: .user, content: "<document>\n\(Protests.document(1))\n</document>")])
        async let a = collector.reply(to: request)
        async let b = collector.reply(to: request)
        _ = try await (a, b)
        let last = await api.submitted.last?.count
        #expect(await api.requestCount == 6 && last == 1)
    }

    @Test func batchModeIsPricedAtTheBatchShareAndNeedsABatchAPI() async throws {
        let f = try await EngineFixture(documents: 3)
        var engine = engine(f, api: FakeBatchAPI(model: "gpt-4o-mini"))
        engine.prices = { PriceTable.defaults.price(for: $0) }
        let live = try await engine.plan(projectID: f.project.id, options: .init())
        let batch = try await engine.plan(projectID: f.project.id, options: Self.batchOptions)
        let (liveCost, batchCost) = (try #require(live.estimate.maxCost), try #require(batch.estimate.maxCost))
        #expect(abs(batchCost - liveCost / 2) < 1e-12)
        engine.batchAPI = nil
        await #expect(throws: EngineError.batchUnavailable("this run has no batch API to call")) {
            _ = try await engine.plan(projectID: f.project.id, options: Self.batchOptions)
        }
    }
}

/// Whose price a model on this machine gets.
@Suite struct LocalPriceTests {
    @Test func aPriceFileNamingTheModelHoldsEvenOnThisMachine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("assay-prices-\(UUID().uuidString).json")
        try #"{"house-model": {"input": 1, "output": 2}}"#.write(to: dir, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: dir) }
        let local = try RunConfiguration.fromEnvironment(["ASSAY_BASE_URL": "http://127.0.0.1:8080/v1", "ASSAY_PRICES": dir.path])
        #expect(local.price("house-model") == Price(input: 1, output: 2))
        // Not named in the file: a model on this machine costs nothing, even one with a list price.
        #expect(local.price("gpt-4o-mini") == .free)
        let hosted = try RunConfiguration.fromEnvironment(["ASSAY_BASE_URL": "https://api.openai.com/v1", "OPENAI_API_KEY": "k"])
        #expect(hosted.price("gpt-4o-mini") == PriceTable.defaults.price(for: "gpt-4o-mini"))
        #expect(hosted.price("claude-haiku-4-5") == Price(input: 1, output: 5, cachedInput: 0.1))
    }
}

/// A batch job's subscribers hear where its batches stand.
@Suite struct BatchProgressTests {
    @Test func subscribersHearTheBatchesNews() async throws {
        let f = try await EngineFixture(documents: 3)
        let api = FakeBatchAPI()
        await api.set(ending: false)
        let runner = JobRunner(engine: BatchModeTests().engine(f, api: api))
        let job = try await runner.start(projectID: f.project.id, kind: .full, selection: JobSelection(batch: true))
        let updates = await runner.updates(jobID: job.id)
        let collected = Task {
            var seen: [JobUpdate] = []
            for await update in updates { seen.append(update) }
            return seen
        }
        while await api.requestCount < 3 { try await Task.sleep(for: .milliseconds(5)) }
        await api.set(ending: true)
        let seen = await collected.value
        let news = seen.filter { $0.type == .batchProgress }.compactMap(\.batch)
        // Submitted first (under load perhaps as more than one batch), then done.
        #expect((news.first?.requests ?? 0) > 0 && news.first?.completed == 0, "\(news)")
        #expect(news.last?.requests == 3 && news.last?.completed == 3, "\(news)")
        #expect(seen.last?.type == .jobCompleted)
    }
}
