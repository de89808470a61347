import AssayCore
import Foundation
import Testing

/// `assay run --batch` through the real CLI against the in-repo batch APIs (`assay-bench
/// mock-server`): the same stored values as live mode, a run killed while it polls takes its
/// batch up again without submitting it twice, and an expired batch's documents fail with the
/// reason and succeed on the next run. The mock's counters prove what was sent.
@Suite(.serialized, .timeLimit(.minutes(20))) struct BatchModeCLITests {
    /// Bench-style documents (examples/bench/codebook.yaml), as JSON Lines.
    static func writeDocuments(_ count: Int, in dir: URL) throws -> String {
        let path = dir.appendingPathComponent("docs.jsonl").path
        let lines = (1...count).map { i in
            #"{"id":"doc\#(i)","text":"Protest in City\#(i). About \#(i % 5000 + 10) people came. It was peaceful. The march went through the old town."}"#
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The bench project with these documents against the mock model, in a SQLite file named
    /// after `name` in `dir`, or in the database `url` names (PostgreSQL).
    static func project(
        _ dir: URL, name: String, mock: MockModelServer, documents: String, database url: String? = nil
    ) async throws -> CLIHarness {
        var cli = CLIHarness(database: url ?? dir.appendingPathComponent("\(name).sqlite").path)
        cli.environment = ["ASSAY_BASE_URL": mock.baseURL, "ASSAY_MODEL": "mock", "ASSAY_BATCH_POLL_SECONDS": "0.2"]
        for step in [["init", "--name", "bench"], ["codebook", "import", "examples/bench/codebook.yaml"], ["add", documents]] {
            let result = try await cli.run(step)
            guard result.status == 0 else { throw HarnessError("\(step.joined(separator: " ")): \(result.output)") }
        }
        return cli
    }

    /// A count from the run summary's table ("  failed     20   (provider_error 20)").
    static func count(_ row: String, in summary: String) -> Int? {
        summary.split(separator: "\n").first { $0.hasPrefix("  \(row) ") }
            .flatMap { $0.split(separator: " ").dropFirst().first }.flatMap { Int($0) }
    }

    static func dataset(_ cli: CLIHarness, _ dir: URL, _ name: String) async throws -> String {
        let out = dir.appendingPathComponent("\(name).csv").path
        let result = try await cli.run("export", "--format", "csv", "--layout", "wide", "--out", out)
        guard result.status == 0 else { throw HarnessError("export: \(result.output)") }
        return try String(contentsOfFile: out, encoding: .utf8)
    }

    @Test func fiveThousandDocumentsInBatchModeKilledMidPollStoreWhatLiveModeStores() async throws {
        let dir = try CLIHarness.temporaryDirectory()
        let documents = try Self.writeDocuments(5000, in: dir)
        let mock = try await MockModelServer(arguments: ["--batch-delay", "4"])
        defer { mock.stop() }

        let live = try await Self.project(dir, name: "live", mock: mock, documents: documents)
        let liveRun = try await live.run("run", "--all", "--skip-sample", "--concurrency", "64")
        #expect(liveRun.status == 0, "\(liveRun.output)")
        #expect(try await mock.stats()["requests"] == 5000)

        let batch = try await Self.project(dir, name: "batch", mock: mock, documents: documents)
        let first = try batch.start("run", "--all", "--skip-sample", "--batch")
        // Killed while its batch is polled: submitted and recorded, not yet ended.
        #expect(await first.waitForStderr(containing: "5,000 requests submitted", limit: .seconds(300)), "\(first.stderrSoFar)")
        let submitted = try await mock.stats()
        first.kill9()
        _ = await first.finish(limit: .seconds(30))
        let second = try await batch.run("run", "--all", "--skip-sample", "--batch")
        #expect(second.status == 0, "\(second.output)")
        #expect(second.stdout.contains("succeeded  5000"), "\(second.stdout)")
        let stats = try await mock.stats()
        // Nothing was submitted again: the next run polled the recorded batch.
        #expect(stats["batches_created"] == submitted["batches_created"], "\(stats)")
        #expect(stats["batch_requests"] == 5000, "\(stats)")
        #expect(stats["requests"] == 5000, "batch mode sent live requests: \(stats)")
        #expect(try await Self.dataset(batch, dir, "batch") == Self.dataset(live, dir, "live"))
    }

    @Test func anExpiredBatchsDocumentsFailWithTheReasonAndSucceedOnTheNextRun() async throws {
        let dir = try CLIHarness.temporaryDirectory()
        let documents = try Self.writeDocuments(40, in: dir)
        let mock = try await MockModelServer(arguments: ["--batch-delay", "0.5", "--expire-first-batch"])
        defer { mock.stop() }
        let cli = try await Self.project(dir, name: "expiry", mock: mock, documents: documents)
        let first = try await cli.run("run", "--all", "--skip-sample", "--batch")
        #expect(first.status == 0, "\(first.output)")
        // The first batch's second half expired: those documents failed, saying why.
        let failed = try #require(Self.count("failed", in: first.stdout), "\(first.stdout)")
        #expect(failed > 0 && Self.count("succeeded", in: first.stdout) == 40 - failed, "\(first.stdout)")
        #expect(first.stderr.contains("completion window expired"), "\(first.stderr)")
        let second = try await cli.run("run", "--all", "--skip-sample", "--batch")
        #expect(second.stdout.contains("\(failed) selected, \(40 - failed) already done"), "\(second.stdout)")
        #expect(Self.count("succeeded", in: second.stdout) == failed, "\(second.stdout)")
        let stats = try await mock.stats()
        #expect(stats["batch_requests"] == 40 + failed, "\(stats)")
    }

    @Test func anthropicsMessageBatchesCodeTheDocuments() async throws {
        let dir = try CLIHarness.temporaryDirectory()
        let documents = try Self.writeDocuments(10, in: dir)
        let mock = try await MockModelServer(arguments: ["--batch-delay", "0.3"])
        defer { mock.stop() }
        var cli = try await Self.project(dir, name: "anthropic", mock: mock, documents: documents)
        cli.environment.merge(["ASSAY_PROVIDER": "anthropic", "ASSAY_MODEL": "claude-haiku-4-5", "ANTHROPIC_API_KEY": "test-key"]) { $1 }
        let run = try await cli.run("run", "--all", "--skip-sample", "--batch")
        #expect(run.status == 0 && Self.count("succeeded", in: run.stdout) == 10, "\(run.output)")
        let stats = try await mock.stats()
        #expect(stats["batches_created"] == 1 && stats["batch_requests"] == 10 && stats["requests"] == nil, "\(stats)")
    }

    /// Gemini's batch API, inlined requests: the same values as Gemini's live API, one batch.
    @Test func geminisBatchAPICodesWhatItsLiveAPICodes() async throws {
        let dir = try CLIHarness.temporaryDirectory()
        let documents = try Self.writeDocuments(12, in: dir)
        let mock = try await MockModelServer(arguments: ["--batch-delay", "0.3"])
        defer { mock.stop() }
        let gemini = [
            "ASSAY_PROVIDER": "gemini", "ASSAY_MODEL": "gemini-2.5-flash", "GEMINI_API_KEY": "test-key",
            "ASSAY_BASE_URL": "http://127.0.0.1:\(mock.port)/v1beta",
        ]
        var live = try await Self.project(dir, name: "gemini-live", mock: mock, documents: documents)
        live.environment.merge(gemini) { $1 }
        let liveRun = try await live.run("run", "--all", "--skip-sample", "--no-pack")
        #expect(liveRun.status == 0 && Self.count("succeeded", in: liveRun.stdout) == 12, "\(liveRun.output)")
        var batch = try await Self.project(dir, name: "gemini-batch", mock: mock, documents: documents)
        batch.environment.merge(gemini) { $1 }
        let batchRun = try await batch.run("run", "--all", "--skip-sample", "--no-pack", "--batch")
        #expect(batchRun.status == 0 && Self.count("succeeded", in: batchRun.stdout) == 12, "\(batchRun.output)")
        let stats = try await mock.stats()
        #expect(stats["batches_created"] == 1 && stats["batch_requests"] == 12 && stats["requests"] == 12, "\(stats)")
        #expect(try await Self.dataset(batch, dir, "gemini-batch") == Self.dataset(live, dir, "gemini-live"))
    }

    /// `assay serve` takes `"batch": true` on a job: its requests go through the batch API.
    @Test func aBatchJobOverHTTP() async throws {
        let dir = try CLIHarness.temporaryDirectory()
        let mock = try await MockModelServer(arguments: ["--batch-delay", "0.3"])
        defer { mock.stop() }
        var cli = CLIHarness(database: dir.appendingPathComponent("served.sqlite").path)
        cli.environment = [
            "ASSAY_BASE_URL": mock.baseURL, "ASSAY_MODEL": "mock", "ASSAY_BATCH_POLL_SECONDS": "0.2",
            "ASSAY_JWT_SECRET": String(repeating: "s3cr3t-", count: 6),
        ]
        let port = Int.random(in: 20_000..<40_000)
        let server = try cli.start("serve", "--port", "\(port)", "--bcrypt-cost", "4")
        defer { server.terminate() }
        #expect(await server.waitForStderr(containing: "listening on 127.0.0.1:\(port)"), "\(server.stderrSoFar)")
        let api = HTTPAPI(base: "http://127.0.0.1:\(port)")
        _ = try await api.send("POST", "/auth/register", json: #"{"email":"ada@example.org","password":"correct horse"}"#)
        let session = try await api.send("POST", "/auth/login", json: #"{"email":"ada@example.org","password":"correct horse"}"#)
        api.token = try #require(session.json["access_token"]?.stringValue)
        let project = Int(try #require(try await api.send("POST", "/projects", json: #"{"name":"bench"}"#).json["id"]?.doubleValue))
        let files = (1...6).map { i in ("doc\(i).txt", "Protest in City\(i). About \(i + 10) people came. It was peaceful.") }
        #expect(try await api.upload("/projects/\(project)/documents", files: files).status == 201)
        let yaml = try String(contentsOf: CLIHarness.repoRoot.appendingPathComponent("examples/bench/codebook.yaml"), encoding: .utf8)
        #expect(try await api.send("PUT", "/projects/\(project)/codebook", body: yaml, contentType: "application/yaml").status == 201)
        let started = try await api.send("POST", "/projects/\(project)/jobs", json: #"{"kind":"full","skip_sample":true,"batch":true}"#)
        #expect(started.status == 202 && started.json["selection"]?["batch"] == true, "\(started.text)")
        let job = Int(try #require(started.json["id"]?.doubleValue))
        var status = ""
        for _ in 0..<600 where !["completed", "failed", "cancelled"].contains(status) {
            try await Task.sleep(for: .milliseconds(200))
            status = try await api.send("GET", "/jobs/\(job)").json["status"]?.stringValue ?? ""
        }
        let done = try await api.send("GET", "/jobs/\(job)").json
        #expect(status == "completed" && done["succeeded"] == 6, "\(done)")
        let stats = try await mock.stats()
        #expect(stats["batch_requests"] == 6 && stats["requests"] == nil, "\(stats)")
    }
}
