import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// `assay worker` processes sharing one job on PostgreSQL, one killed with SIGKILL mid-batch:
/// the others take its documents over, and every document ends with one outcome and one set of
/// values, with the model asked at most the documents plus the killed worker's requests in flight.
@Suite(.serialized, .postgresDatabases, .timeLimit(.minutes(10))) struct WorkersCLITests {
    @Test(.enabled(if: TestPostgres.url != nil))
    func threeWorkersOnPostgresCodeSixHundredDocumentsOnceThoughOneIsKilled() async throws {
        let dir = try CLIHarness.temporaryDirectory()
        let documents = try BatchModeCLITests.writeDocuments(600, in: dir)
        let mock = try await MockModelServer(arguments: ["--latency-ms", "100"])
        defer { mock.stop() }
        let (store, url) = try await TestPostgres.makeDatabase()
        let cli = try await BatchModeCLITests.project(dir, name: "bench", mock: mock, documents: documents, database: url)
        let queued = try await cli.run("run", "--all", "--skip-sample", "--no-pack", "--enqueue-only")
        #expect(queued.status == 0 && queued.stdout.contains("Queued job #1"), "\(queued.output)")
        #expect(try await mock.stats()["requests"] ?? 0 == 0)

        let workers = try (0..<3).map { _ in
            try cli.start("worker", "--exit-when-idle", "--concurrency", "4", "--poll-seconds", "0.2")
        }
        #expect(await workers[0].waitForStderr(containing: "[20/", limit: .seconds(120)), "\(workers[0].stderrSoFar)")
        workers[0].kill9()
        _ = await workers[0].finish(limit: .seconds(30))
        for worker in workers.dropFirst() {
            let done = await worker.finish(limit: .seconds(300))
            #expect(done.status == 0, "\(done.output)")
            #expect(done.stderr.contains("Joined job #1"), "\(done.stderr)")
        }

        let project = try #require(try await store.project(named: "bench"))
        let job = try #require(try await store.job(id: 1))
        #expect(job.status == .completed && job.processed == 600 && job.succeeded == 600, "\(job)")
        let outcomes = try await store.outcomes(projectID: project.id)
        #expect(outcomes.count == 600 && Set(outcomes.map(\.documentID)).count == 600)
        #expect(outcomes.allSatisfy { $0.outcome == .succeeded && $0.jobID == 1 })
        // One set of values per document: no (document, variable) twice.
        let values = try await store.extractions(projectID: project.id, documentID: nil)
        let keys = values.map { "\($0.documentID)/\($0.variable)/\($0.entityIndex)" }
        #expect(!values.isEmpty && Set(keys).count == keys.count)
        #expect(Set(values.map(\.documentID)).count == 600)
        // The killed worker's requests in flight (4, unpacked) may have gone twice; nothing else.
        let requests = try await mock.stats()["requests"] ?? 0
        #expect(requests >= 600 && requests <= 604, "\(requests) requests")
    }
}
