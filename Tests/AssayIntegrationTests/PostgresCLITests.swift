import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// `ASSAY_DB=postgres://…` through the real CLI: every command works on the PostgreSQL database,
/// and what they store is there for any other process to read.
@Suite(.postgresDatabases) struct PostgresCLITests {
    @Test(.enabled(if: TestPostgres.url != nil))
    func theCommandsWorkOnThePostgresDatabaseThatASSAY_DBNames() async throws {
        let (store, url) = try await TestPostgres.makeDatabase()
        let cli = CLIHarness(database: url)
        try await cli.setUpExample(documents: ["examples/protests/docs/"])

        let status = try await cli.run("status")
        #expect(status.status == 0, "\(status.output)")
        #expect(status.stdout.contains("Protest coverage"), "\(status.stdout)")

        // The CLI's writes are in the database, for this process's own store to read.
        let project = try #require(try await store.project(named: "Protest coverage"))
        let documents = try await store.documentCount(projectID: project.id, status: nil)
        #expect(documents > 0)
        #expect(try await store.latestCodebook(projectID: project.id)?.version == 1)
        #expect(status.stdout.contains("\(documents)"), "\(status.stdout)")

        // --db names the same database as ASSAY_DB would; a second init of the name is refused by the database.
        var flagged = CLIHarness(database: "")
        flagged.environment["ASSAY_DB"] = ""
        let again = try await flagged.run("init", "--name", "Protest coverage", "--db", url)
        #expect(again.status != 0)
        #expect(again.stderr.contains("already exists"), "\(again.output)")
        #expect(try await store.projects().count == 1)
    }

    /// A run on PostgreSQL through the engine (the neutral mock model): every document coded once,
    /// its values and outcome stored, and the dataset exported from the database.
    @Test(.enabled(if: TestPostgres.url != nil))
    func aRunStoresEveryDocumentsValuesInPostgres() async throws {
        let dir = try CLIHarness.temporaryDirectory()
        let documents = try BatchModeCLITests.writeDocuments(40, in: dir)
        let mock = try await MockModelServer()
        defer { mock.stop() }
        let (store, url) = try await TestPostgres.makeDatabase()
        let cli = try await BatchModeCLITests.project(dir, name: "bench", mock: mock, documents: documents, database: url)
        let run = try await cli.run("run", "--all", "--skip-sample", "--concurrency", "8")
        #expect(run.status == 0, "\(run.output)")
        #expect(try await mock.stats()["requests"] == 40)

        let project = try #require(try await store.project(named: "bench"))
        let outcomes = try await store.outcomes(projectID: project.id)
        #expect(outcomes.count == 40)
        #expect(outcomes.allSatisfy { $0.outcome == .succeeded })
        let job = try #require(try await store.jobs(projectID: project.id).first)
        #expect(job.status == .completed)
        #expect(job.processed == 40 && job.succeeded == 40)
        #expect(try await store.documentsNeedingWork(projectID: project.id, codebookVersion: 1).isEmpty)

        let csv = dir.appendingPathComponent("values.csv").path
        let export = try await cli.run("export", "--format", "csv", "--layout", "wide", "--out", csv)
        #expect(export.status == 0, "\(export.output)")
        // The header and a row for each document.
        #expect(try String(contentsOfFile: csv, encoding: .utf8).split(whereSeparator: \.isNewline).count == 41)
    }

    /// `assay serve` on PostgreSQL: an account, a project, documents and a job over HTTP, the
    /// values in the database for any process to read, a clean stop, and the URL's password in
    /// none of its output.
    @Test(.enabled(if: TestPostgres.url != nil))
    func theServiceWorksOnThePostgresDatabase() async throws {
        let mock = try await MockModelServer()
        defer { mock.stop() }
        let (store, url) = try await TestPostgres.makeDatabase()
        // The test cluster trusts local connections, so the password is never asked for: it is
        // there to be kept out of every message.
        let withPassword = url.replacingOccurrences(of: "://assay@", with: "://assay:hunter2-secret@")
        var cli = CLIHarness(database: withPassword)
        cli.environment = [
            "ASSAY_BASE_URL": mock.baseURL, "ASSAY_MODEL": "mock", "ASSAY_JWT_SECRET": String(repeating: "s3cr3t-", count: 6),
            "ASSAY_LOG_LEVEL": "info",
        ]
        let port = Int.random(in: 20_000..<40_000)
        let server = try cli.start("serve", "--port", "\(port)", "--bcrypt-cost", "4")
        #expect(await server.waitForStderr(containing: "listening on 127.0.0.1:\(port)"), "\(server.stderrSoFar)")
        #expect(server.stderrSoFar.contains("database postgres://assay:***@"), "\(server.stderrSoFar)")
        let api = HTTPAPI(base: "http://127.0.0.1:\(port)")

        #expect(try await api.send("GET", "/health/ready").status == 200)
        #expect(
            try await api.send("POST", "/auth/register", json: #"{"email":"ada@example.org","password":"correct horse"}"#).status == 202)
        let session = try await api.send("POST", "/auth/login", json: #"{"email":"ada@example.org","password":"correct horse"}"#)
        api.token = try #require(session.json["access_token"]?.stringValue)
        let created = try await api.send("POST", "/projects", json: #"{"name":"bench"}"#)
        #expect(created.status == 201, "\(created.text)")
        let projectID = Int(try #require(created.json["id"]?.doubleValue))
        let yaml = try String(contentsOf: CLIHarness.repoRoot.appendingPathComponent("examples/bench/codebook.yaml"), encoding: .utf8)
        #expect(try await api.send("PUT", "/projects/\(projectID)/codebook", body: yaml, contentType: "application/yaml").status == 201)
        let files = (1...3).map { ("p\($0).txt", "Protest in City\($0). About 1\($0) people came. It was peaceful.") }
        #expect(try await api.upload("/projects/\(projectID)/documents", files: files).status == 201)

        let job = try await api.send("POST", "/projects/\(projectID)/jobs", json: #"{"kind":"full","skip_sample":true}"#)
        #expect(job.status == 202, "\(job.text)")
        let jobID = Int(try #require(job.json["id"]?.doubleValue))
        let updates = try await ServeTests().watch(port: port, job: jobID, token: try #require(api.token))
        #expect(updates.last == "job_completed", "\(updates)")

        // What the service stored is in PostgreSQL.
        let outcomes = try await store.outcomes(projectID: Int64(projectID))
        #expect(outcomes.map(\.outcome) == [.succeeded, .succeeded, .succeeded])
        #expect(try await store.user(email: "ada@example.org") != nil)

        server.terminate()
        let result = await server.finish(limit: .seconds(120))
        #expect(result.status == 0, "\(result.stderr.suffix(2000))")
        #expect(result.stderr.contains("job runner stopped"))
        #expect(!result.output.contains("hunter2-secret"))
    }
}
