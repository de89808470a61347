import ArgumentParser
import AssayCore
import AssayEngine
import AssayIngest
import AssayProviders
import AssayStore
import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// Assay against a bare load of the very same requests on a real model server (llama-server):
/// what Assay's own work — prompting, parsing, validation, grounding, SQLite — costs in documents
/// per second when the model, not the network, is the bottleneck.
struct LiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live",
        abstract: "Assay one-per-request vs a bare load of the same requests, on a real OpenAI-compatible server.",
        discussion: """
            Runs the example project with the same client and concurrency: a warm-up Assay run that
            captures every request it sends, a bare load that posts those captured bodies and nothing
            else, the measured Assay run, then Assay with packing forced on. Example (README figures):
              scripts/local-llm.sh start && .build/release/assay-bench live --url http://127.0.0.1:8088/v1
            """)

    @Option(help: "The server's OpenAI-compatible base URL.") var url = "http://127.0.0.1:8088/v1"
    @Option(help: "The model name to send.") var model = "SmolLM2-135M-Instruct"
    @Option(help: "Requests in flight (match the server's parallel slots).") var concurrency = 4
    @Option(help: "The codebook to use.") var codebook = "examples/protests/codebook.yaml"
    @Option(help: "The documents folder.") var documents = "examples/protests/docs"
    @Option(help: "How many times each document is coded per mode.") var copies = 2
    @Option(help: "Token budget per packed request (keep it within the server's context per slot).") var packBudget = 8192

    func run() async throws {
        Bench.quietLogs()
        let codebook = try CodebookLoader.load(contentsOf: URL(fileURLWithPath: self.codebook))
        var config = HTTPClient.Configuration()
        config.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = concurrency
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
        let provider = OpenAICompatibleProvider(
            settings: ProviderSettings(baseURL: url, model: model, timeout: .seconds(600)),
            client: client)
        let capture = CapturingProvider(provider)
        let warmUp = try await assay(codebook, provider: capture)
        let requests = capture.requests
        let bare = try await bareLoad(requests.map { provider.body(for: $0).serialized() }, documents: warmUp.documents, client: client)
        let measured = try await assay(codebook, provider: provider)
        let packed = try await assay(codebook, provider: provider, packing: .init(requestTokens: packBudget)).renamed("assay packed")
        try await client.shutdown()

        print("assay-bench live: \(url), model \(model), concurrency \(concurrency), \(measured.documents) documents per mode")
        print("mode           requests  docs  tokens out  seconds  docs/s  tokens/s  vs bare (docs/s)")
        for row in [bare, warmUp.renamed("assay warm-up"), measured, packed] {
            print(
                row.mode.padding(toLength: 13, withPad: " ", startingAt: 0)
                    + String(
                        format: " %9d %5d %11d %8.2f %7.2f %9.1f", row.requests, row.documents, row.tokensOut,
                        row.seconds, row.docsPerSecond, row.tokensPerSecond)
                    + String(format: "  %6.1f%%", 100 * row.docsPerSecond / bare.docsPerSecond))
        }
    }

    struct Row {
        var mode: String
        var requests: Int
        var documents: Int
        var tokensOut: Int
        var seconds: Double
        var docsPerSecond: Double { seconds > 0 ? Double(documents) / seconds : 0 }
        var tokensPerSecond: Double { seconds > 0 ? Double(tokensOut) / seconds : 0 }
        func renamed(_ name: String) -> Row {
            var r = self
            r.mode = name
            return r
        }
    }

    /// One Assay run over the example documents (each `copies` times) in a fresh SQLite store.
    func assay(_ codebook: Codebook, provider: any LLMProvider, packing: ExtractionEngine.Packing? = nil) async throws -> Row {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("assay-bench-live-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteStore(path: dir.appendingPathComponent("live.sqlite").path)
        let workspace = Workspace(store: store)
        let project = try await workspace.createProject(name: "live")
        _ = try await workspace.importCodebook(codebook, projectID: project.id)
        let inputs = try Ingestor.collect([documents]).documents
        for copy in 1...max(1, copies) {
            for input in inputs {
                var document = input
                document.externalID += "#\(copy)"
                _ = try await store.upsertDocument(document, projectID: project.id)
            }
        }
        let engine = ExtractionEngine(store: store, provider: RetryingProvider(provider, policy: RetryPolicy()))
        let summary = try await engine.run(
            projectID: project.id,
            options: .init(
                concurrency: concurrency, maxConsecutiveFailures: .max, packing: packing))
        return Row(
            mode: "assay single", requests: summary.metrics?.requests ?? 0, documents: summary.job.processed,
            tokensOut: summary.job.tokensOut, seconds: summary.wallTime.seconds)
    }

    /// The ceiling: the captured bodies posted with the same client and concurrency, nothing else.
    /// They are the requests of `documents` documents (re-asks included), so it is that many documents' work.
    func bareLoad(_ bodies: [String], documents: Int, client: HTTPClient) async throws -> Row {
        let endpoint = url.hasSuffix("/") ? url + "chat/completions" : url + "/chat/completions"
        let load = BareLoad(client: client, url: endpoint, concurrency: concurrency, timeout: .seconds(600))
        let clock = ContinuousClock()
        let start = clock.now
        let tokens = try await load.post(bodies).reduce(0) { $0 + $1.completionTokens }
        return Row(
            mode: "bare HTTP", requests: bodies.count, documents: documents, tokensOut: tokens,
            seconds: (clock.now - start).seconds)
    }
}

/// Passes requests through and keeps a copy of each, for the bare load to replay.
final class CapturingProvider: LLMProvider {
    let base: any LLMProvider
    private let captured = NIOLockedValueBox<[LLMRequest]>([])
    init(_ base: any LLMProvider) { self.base = base }
    var model: String { base.model }
    var requests: [LLMRequest] { captured.withLockedValue { $0 } }

    func complete(_ request: LLMRequest) async throws -> LLMResponse {
        captured.withLockedValue { $0.append(request) }
        return try await base.complete(request)
    }
}
