import ArgumentParser
import AssayCore
import AssayEngine
import AssayProviders
import AssayStore
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// The benchmark's entry point: `compare` (the default) on the mock server, `live` against a real
/// model server, `mock-server` to serve the mock for runs through the real CLI.
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assay-bench",
        abstract: "Throughput benchmarks for Assay; the README's performance section quotes them.",
        subcommands: [CompareCommand.self, LiveCommand.self, MockServerCommand.self, BareCommand.self],
        defaultSubcommand: CompareCommand.self)
}

/// Measures Assay against a bare HTTP load on a mock OpenAI-compatible server, one document per
/// request and packed, and prints the ratios side by side. In process, with the provider built as
/// the CLI builds it (`makeProvider` with the HTTP client sized to the concurrency, wrapped in
/// `ProviderGuards`); `scripts/bench-product.sh` measures the `assay` binary itself.
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Bare HTTP load vs Assay one-per-request vs Assay packed, on the mock server (the default).",
        discussion: """
            In process, with the provider built as `assay run` builds it; scripts/bench-product.sh measures the
            `assay` binary itself (the README's figures). Example:
              swift run assay-bench --documents 2000 --concurrency 64 --latency-ms 200
            With faults: add --fault-rate 0.2 (429, 500, timeouts, truncated and non-JSON replies); every document
            must end stored or as a recorded error, none lost, none duplicated.
            """)

    @Option(help: "Documents per mode.") var documents = 2000
    @Option(help: "Requests in flight.") var concurrency = 64
    @Option(help: "Mock server latency per request, in milliseconds.") var latencyMs = 200
    @Option(help: "Share of requests that fail (0…1).") var faultRate = 0.0
    @Option(help: "Token budget per packed request.") var packBudget = 8192
    @Option(help: "Modes to run: bare, single, packed.") var modes = "bare,single,packed"
    @Option(
        help: ArgumentHelp(
            "Also report the token estimator's error against this llama-server's /tokenize, on the example documents.", valueName: "url"))
    var tokenizerURL: String?

    func run() async throws {
        Bench.quietLogs()
        if let tokenizerURL { try await EstimatorReport.print(tokenizerURL: tokenizerURL) }
        let server = try MockOpenAIServer(config: .init(latency: .milliseconds(Int64(latencyMs)), faultRate: faultRate, seed: 7))
        defer { server.shutdown() }
        // The client the providers use (`makeProvider` picks the same one for this concurrency).
        let client = HTTPClient.forProviders(connections: concurrency)
        let texts = (1...documents).map(BenchCorpus.document)
        print(
            "assay-bench: \(documents) documents (~\(TokenEstimator.estimate(texts[0])) tokens each), concurrency \(concurrency), "
                + "latency \(latencyMs) ms, fault rate \(faultRate)")
        var rows: [Row] = []
        let chosen = Set(modes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        if chosen.contains("bare") { rows.append(try await bare(texts, server: server, client: client)) }
        if chosen.contains("single") { rows.append(try await assay(texts, server: server, packed: false)) }
        if chosen.contains("packed") { rows.append(try await assay(texts, server: server, packed: true)) }
        print(Row.table(rows))
        let single = rows.first { $0.mode == "assay single" }?.values
        let packed = rows.first { $0.mode == "assay packed" }?.values
        if let single, let packed, faultRate == 0 {
            print("stored values, single vs packed: \(single == packed ? "identical" : "DIFFERENT") (\(single.count) values)")
        }
        print("mock server: \(server.counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
    }

    struct Row {
        var mode: String
        var requests: Int
        var stored: Int
        var failed: Int
        var seconds: Double
        /// Every stored value as `document/variable=value/status`, sorted: to compare modes.
        var values: [String] = []
        var docsPerSecond: Double { seconds > 0 ? Double(stored + failed) / seconds : 0 }

        static func table(_ rows: [Row]) -> String {
            let bare = rows.first { $0.mode == "bare HTTP" }?.docsPerSecond
            let single = rows.first { $0.mode == "assay single" }
            var lines = ["mode           requests  stored  failed  seconds   docs/s  vs bare  vs single  requests vs single"]
            for r in rows {
                let vsBare = bare.map { String(format: "%6.1f%%", 100 * r.docsPerSecond / $0) } ?? "      -"
                let vsSingle = single.map { String(format: "%7.2fx", r.docsPerSecond / $0.docsPerSecond) } ?? "       -"
                let fewer = single.map { String(format: "%7.2fx fewer", Double($0.requests) / Double(max(1, r.requests))) } ?? "-"
                lines.append(
                    r.mode.padding(toLength: 13, withPad: " ", startingAt: 0)
                        + String(format: " %9d %7d %7d %8.2f %8.1f", r.requests, r.stored, r.failed, r.seconds, r.docsPerSecond)
                        + "  \(vsBare)  \(vsSingle)  \(fewer)")
            }
            return lines.joined(separator: "\n")
        }
    }

    /// The ceiling: the same client and concurrency posting the bodies the provider sends for the
    /// same single-document requests, nothing else.
    func bare(_ texts: [String], server: MockOpenAIServer, client: HTTPClient) async throws -> Row {
        let prompt = ExtractionPrompt(codebook: BenchCorpus.codebook)
        let provider = OpenAICompatibleProvider(settings: settings(server), client: client)
        let maxTokens = ExtractionSchema.maxOutputTokens(for: BenchCorpus.codebook)
        let bodies: [String] = texts.map { text in
            provider.body(for: LLMRequest(messages: prompt.messages(for: text), responseSchema: prompt.schema, maxTokens: maxTokens))
                .serialized()
        }
        let load = BareLoad(client: client, url: server.baseURL + "/chat/completions", concurrency: concurrency, timeout: .seconds(2))
        let clock = ContinuousClock()
        let start = clock.now
        let ok = try await load.post(bodies).filter(\.ok).count
        return Row(mode: "bare HTTP", requests: texts.count, stored: ok, failed: texts.count - ok, seconds: seconds(clock.now - start))
    }

    /// Assay end to end: prompt, provider with retries, parse, validate, post-process, SQLite storage.
    func assay(_ texts: [String], server: MockOpenAIServer, packed: Bool) async throws -> Row {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("assay-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteStore(path: dir.appendingPathComponent("bench.sqlite").path)
        let workspace = Workspace(store: store)
        let project = try await workspace.createProject(name: "bench")
        _ = try await workspace.importCodebook(BenchCorpus.codebook, projectID: project.id)
        for (i, text) in texts.enumerated() {
            _ = try await store.upsertDocument(
                DocumentInput(externalID: "doc\(i + 1)", mediaType: "text/plain", text: text), projectID: project.id)
        }
        // As `assay run` builds it, but with short retry waits so the fault run ends in seconds.
        let guards = ProviderGuards(retry: RetryPolicy(maxRetries: 3, baseDelay: .milliseconds(50), maxDelay: .seconds(1)))
        let provider = guards.wrap(try makeProvider(settings(server), connections: concurrency))
        let engine = ExtractionEngine(store: store, provider: provider)
        let options = ExtractionEngine.Options(
            concurrency: concurrency, maxConsecutiveFailures: Int.max,
            packing: packed ? ExtractionEngine.Packing(requestTokens: packBudget) : nil)
        let summary = try await engine.run(projectID: project.id, options: options)

        // Nothing lost, nothing duplicated.
        let outcomes = try await store.outcomes(projectID: project.id)
        let values = try await store.extractions(projectID: project.id, documentID: nil)
        let keys = Set(values.map { "\($0.documentID)/\($0.variable)/\($0.entityIndex)" })
        guard outcomes.count == texts.count, keys.count == values.count else {
            throw ValidationError(
                "integrity check failed: \(outcomes.count) outcomes for \(texts.count) documents, \(values.count - keys.count) duplicates")
        }
        let documents = Dictionary(
            uniqueKeysWithValues: try await store.documents(projectID: project.id, status: nil).map { ($0.id, $0.externalID) })
        let fingerprint = values.map { "\(documents[$0.documentID] ?? "?")/\($0.variable)=\($0.value.serialized())/\($0.status.rawValue)" }
            .sorted()
        return Row(
            mode: packed ? "assay packed" : "assay single", requests: summary.metrics?.requests ?? 0,
            stored: summary.succeeded + summary.flagged, failed: summary.failed, seconds: seconds(summary.wallTime),
            values: fingerprint)
    }

    func seconds(_ d: Duration) -> Double { d.seconds }

    func settings(_ server: MockOpenAIServer) -> ProviderSettings {
        ProviderSettings(baseURL: server.baseURL, model: "mock", timeout: .seconds(2))
    }
}

extension Bench {
    static func quietLogs() {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
    }
}

enum BenchCorpus {
    static let codebook = Codebook(variables: [
        Variable(name: "city", type: .text, instructions: "The city of the protest."),
        Variable(name: "participants", type: .number, instructions: "How many people took part."),
        Variable(name: "violence", type: .boolean, instructions: "Whether there was violence."),
    ])

    static let filler =
        " The march went through the old town and ended at the main square, where speakers addressed the crowd."
        + " Shops stayed open and traffic was diverted for two hours. Organizers thanked volunteers and the city services."
        + " A spokesperson said the group would meet the mayor next week to present its demands in writing."
        + " Local radio covered the event live, and several residents joined the march along the way."
        + " Police reported no incidents, and the organizers said they were pleased with the turnout and the weather that day."

    /// About 150 tokens of news-like text with facts the mock can read back.
    static func document(_ i: Int) -> String {
        "Protest in City\(i). About \(i % 5000 + 10) people came. It was peaceful." + filler
    }
}
