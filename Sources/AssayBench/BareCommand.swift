import ArgumentParser
import AssayCore
import AssayProviders
import AsyncHTTPClient
import Foundation
import NIOCore

/// The ceiling for a run of the real CLI: replays captured request bodies (one per line, as
/// `mock-server --capture` writes them) at a given concurrency, with the very client the
/// providers use (`HTTPClient.forProviders`, pool sized to the concurrency), and nothing else.
struct BareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bare",
        abstract: "Post captured request bodies at a concurrency with the providers' HTTP client; print requests, ok and seconds.",
        discussion: """
            Used by scripts/bench-product.sh. Example:
              assay-bench bare --url http://127.0.0.1:8099/v1/chat/completions --bodies bodies.jsonl --concurrency 64
            Prints one line: requests=N ok=N seconds=S
            """)

    @Option(help: "The chat-completions URL.") var url: String
    @Option(help: ArgumentHelp("Request bodies, one per line.", valueName: "file")) var bodies: String
    @Option(help: "Requests in flight.") var concurrency = 64
    @Option(help: "Seconds per request.") var timeout = 120

    func run() async throws {
        let lines = try String(contentsOfFile: bodies, encoding: .utf8).split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        guard !lines.isEmpty else { throw ValidationError("no bodies in \(bodies)") }
        let all = lines
        let load = BareLoad(
            client: HTTPClient.forProviders(connections: concurrency), url: url, concurrency: concurrency,
            timeout: .seconds(Int64(timeout)))
        let clock = ContinuousClock()
        let start = clock.now
        let answers = try await load.post(all)
        let seconds = (clock.now - start).seconds
        print("requests=\(all.count) ok=\(answers.filter(\.ok).count) seconds=\(String(format: "%.3f", seconds))")
    }
}
