import ArgumentParser
import Foundation
import NIOCore

/// Serves the mock model on a fixed port until the process is stopped, so a run through the real
/// `assay` CLI (scripts/bench-100k.sh) can be measured from outside, memory included.
struct MockServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mock-server",
        abstract: "Serve the mock OpenAI-compatible model on 127.0.0.1 until stopped (SIGTERM or Ctrl-C).",
        discussion: """
            It answers POST /v1/chat/completions for the bench codebook (examples/bench/codebook.yaml) and
            documents written like the bench corpus, single or packed. Example:
              assay-bench mock-server --port 8099 &
              ASSAY_BASE_URL=http://127.0.0.1:8099/v1 ASSAY_MODEL=mock assay run --all --concurrency 64
            It also answers instructor's tool calls and langextract's few-shot prompts for the same documents
            (scripts/bench-product.sh), GET /v1/stats with its counters, and with --capture writes the request
            bodies it receives to a file, one per line, for `assay-bench bare` to replay.
            It serves OpenAI's batch API (/v1/files, /v1/batches) and Anthropic's (/v1/messages/batches) for
            `assay run --batch`, answering each item as the chat endpoint would, after --batch-delay seconds.
            """)

    @Option(help: "The port to listen on.") var port = 8099
    @Option(help: "Latency per request, in milliseconds.") var latencyMs = 0
    @Option(help: "Share of requests that fail (0…1).") var faultRate = 0.0
    @Option(
        help: ArgumentHelp("Write the request bodies received to this file, one per line (for a bare load to replay).", valueName: "file"))
    var capture: String?
    @Option(help: "Capture at most this many bodies.") var captureLimit = Int.max
    @Option(help: "Batch APIs: seconds from a batch's creation until it ends.") var batchDelay = 0.2
    @Flag(help: "Batch APIs: the first batch expires with only its first half done.") var expireFirstBatch = false
    @Option(help: "Batch APIs: share of batch requests that fail (0…1).") var batchFailRate = 0.0

    func run() async throws {
        let capture = try self.capture.map { try RequestCapture(path: $0, limit: captureLimit) }
        let server = try MockOpenAIServer(
            config: .init(
                latency: .milliseconds(Int64(latencyMs)), faultRate: faultRate, seed: 7, capture: capture,
                batches: .init(delay: batchDelay, expireFirst: expireFirstBatch, failRate: batchFailRate)), port: port)
        FileHandle.standardOutput.write(Data("mock-server: listening on \(server.baseURL)\n".utf8))
        // Serve until the process is stopped; the default action of SIGTERM/SIGINT ends it.
        while true { try await Task.sleep(for: .seconds(3600)) }
    }
}
