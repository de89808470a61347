import Foundation

/// `assay-bench mock-server` in a process of its own: the neutral OpenAI-compatible endpoint
/// with OpenAI's and Anthropic's batch APIs, for tests that drive the real CLI against it.
/// Its counters (`GET /v1/stats`) prove how many requests and batches a run sent.
final class MockModelServer: Sendable {
    let port: Int
    private let child: ChildProcess

    var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    init(arguments: [String] = []) async throws {
        let executable = try CLIHarness.executable.deletingLastPathComponent().appendingPathComponent("assay-bench")
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw HarnessError("assay-bench was not built; run: swift build --build-tests")
        }
        port = Int.random(in: 20_000...40_000)
        child = ChildProcess(
            executable: executable, arguments: ["mock-server", "--port", "\(port)"] + arguments,
            environment: ProcessInfo.processInfo.environment, directory: CLIHarness.repoRoot)
        try child.start()
        guard await child.waitForStdout(containing: "listening", limit: .seconds(30)) else {
            throw HarnessError("mock-server did not start: \(await child.finish(limit: .seconds(5)).output)")
        }
    }

    /// The server's counters: requests, batches_created, batch_requests, …
    func stats() async throws -> [String: Int] {
        let result = try await ChildProcess.run(
            URL(fileURLWithPath: "/usr/bin/curl"), ["-fsS", "\(baseURL)/stats"], environment: [:], directory: CLIHarness.repoRoot,
            limit: .seconds(30))
        guard result.status == 0, let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Int] else {
            throw HarnessError("no stats from the mock: \(result.output)")
        }
        return object
    }

    func stop() { child.terminate() }
}
