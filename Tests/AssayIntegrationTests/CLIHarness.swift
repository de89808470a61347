import Foundation

/// Runs the built `assay` executable the way a user does, in the repository root.
struct CLIHarness {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var output: String { stdout + stderr }
    }

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

    @discardableResult
    func run(_ arguments: String...) throws -> Result { try run(arguments) }

    func run(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = try Self.executable
        process.arguments = arguments
        process.currentDirectoryURL = Self.repoRoot
        var env = ProcessInfo.processInfo.environment
        for key in ["ASSAY_DB", "ASSAY_BASE_URL", "ASSAY_MODEL", "ASSAY_API_KEY"] { env.removeValue(forKey: key) }
        env["ASSAY_DB"] = database
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting so a full pipe cannot block the child.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
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

    private static let started: Result<Void, HarnessError> = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [CLIHarness.repoRoot.appendingPathComponent("scripts/local-llm.sh").path, "start"]
        var env = ProcessInfo.processInfo.environment
        env["ASSAY_LLM_PORT"] = port
        process.environment = env
        let log = Pipe()
        process.standardOutput = log
        process.standardError = log
        do { try process.run() } catch { return .failure(HarnessError("cannot run scripts/local-llm.sh: \(error)")) }
        let output = String(decoding: log.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return process.terminationStatus == 0 ? .success(()) : .failure(HarnessError("local model did not start:\n\(output)"))
    }()

    static func start() throws { try started.get() }
}
