import Foundation

/// Runs the built `assay` executable the way a user does, in the repository root.
struct CLIHarness {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    typealias Result = ChildProcess.Result

    let database: String
    var environment: [String: String] = [:]

    /// The `assay` binary next to the test bundle (`swift build --build-tests` builds both).
    static var executable: URL {
        get throws {
            var dir = Bundle.main.bundleURL
            for _ in 0..<3 {
                let candidate = dir.appendingPathComponent("assay")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
                dir.deleteLastPathComponent()
            }
            let fallback = repoRoot.appendingPathComponent(".build/debug/assay")
            guard FileManager.default.isExecutableFile(atPath: fallback.path) else {
                throw HarnessError("the assay executable was not built; run: swift build --build-tests")
            }
            return fallback
        }
    }

    /// How long one command may take before the harness stops it and says so. Generous: the
    /// slowest command (a full run of the example on the local model) takes about a minute here.
    var limit: Duration = .seconds(900)

    @discardableResult
    func run(_ arguments: String...) async throws -> Result { try await run(arguments) }

    func run(_ arguments: [String]) async throws -> Result {
        try await ChildProcess.run(
            try Self.executable, arguments, environment: processEnvironment,
            directory: Self.repoRoot, limit: limit)
    }

    /// Starts a command without waiting for it (to interrupt it, say).
    func start(_ arguments: String...) throws -> ChildProcess { try start(arguments) }

    func start(_ arguments: [String]) throws -> ChildProcess {
        let child = ChildProcess(
            executable: try Self.executable, arguments: arguments,
            environment: processEnvironment, directory: Self.repoRoot)
        try child.start()
        return child
    }

    /// The caller's environment without Assay's settings, then the database and this harness's own.
    var processEnvironment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        for key in env.keys where key.hasPrefix("ASSAY_") && key != "ASSAY_TEST_LLM_PORT" { env.removeValue(forKey: key) }
        env["ASSAY_DB"] = database
        env.merge(environment) { $1 }
        return env
    }

    /// The example project as a user sets it up: `init`, the codebook, then the documents (the
    /// whole folder unless named). Throws with the command's output when a step fails.
    func setUpExample(documents: [String] = ["examples/protests/docs/"]) async throws {
        for step in [
            ["init", "--name", "Protest coverage"], ["codebook", "import", "examples/protests/codebook.yaml"], ["add"] + documents,
        ] {
            let result = try await run(step)
            guard result.status == 0 else { throw HarnessError("\(step.joined(separator: " ")): \(result.output)") }
        }
    }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("assay-it-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The real local model: `scripts/local-llm.sh start` on the test port (8089 unless
/// ASSAY_TEST_LLM_PORT says otherwise), started once per test process.
enum LocalModel {
    static let port = ProcessInfo.processInfo.environment["ASSAY_TEST_LLM_PORT"] ?? "8089"
    static var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    /// Started once per test process; every test awaits the same start.
    private static let started = Task<Void, any Error> {
        var env = ProcessInfo.processInfo.environment
        env["ASSAY_LLM_PORT"] = port
        let result = try await ChildProcess.run(
            URL(fileURLWithPath: "/bin/bash"), [CLIHarness.repoRoot.appendingPathComponent("scripts/local-llm.sh").path, "start"],
            environment: env, directory: CLIHarness.repoRoot, limit: .seconds(1800))
        guard result.status == 0 else { throw HarnessError("local model did not start:\n\(result.output)") }
    }

    static func start() async throws { try await started.value }
}
