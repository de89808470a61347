import AssayCore
import AssayEngine
import AssayProviders
import AssayService
import AssayStore
import AssayTraces
import Foundation
import Testing

/// `run-once` through the use case: a trace batch is a job of the service's runner like any other.
@Suite struct TraceBatchTests {
    static let trace =
        #"{"trace_id":"bbbb0001","timestamp":"2026-11-01T10:00:00Z","service":"bot","spans":[{"span_id":"a1b2c3d4e5f60718","name":"execute_tool lookup","start_time":"2026-11-01T10:00:00Z","end_time":"2026-11-01T10:00:01Z","status":{"code":"ERROR","message":"tool returned 500"}}]}"#

    @Test func aTraceBatchNeedsThePatternRoleAndWorkToDo() async throws {
        let store = try SQLiteStore.inMemory()
        let model = ScriptedProvider(steps: [], then: .reply("{}"))
        let runner = JobRunner(engine: ExtractionEngine(store: store, provider: model))
        let patterns = Patterns(store: store, role: "oncall")
        let ada = Requester.account(userID: 1, email: "ada@example.org", seesPatterns: false)
        await #expect(throws: ServiceError.patternsNotAllowed(role: "oncall")) {
            try await patterns.startBatch(provider: model, options: .init(), runner: runner, for: ada)
        }
        #expect(try await patterns.startBatch(provider: model, options: .init(), runner: runner, for: .local) == nil)
        #expect(try await store.jobs(projectID: try await TraceRunner(store: store).project().id).isEmpty)
    }

    /// A shutdown drains a running trace batch as it drains any job, and takes no new one.
    @Test func aShutdownDrainsTraceBatches() async throws {
        let store = try SQLiteStore.inMemory()
        let model = ScriptedProvider(steps: [], then: .reply("not a pattern"))
        let runner = JobRunner(engine: ExtractionEngine(store: store, provider: model))
        let patterns = Patterns(store: store)
        _ = try await patterns.add(TraceReader.read(Data(Self.trace.utf8), source: "t.jsonl"), for: .local)
        let job = try #require(try await patterns.startBatch(provider: model, options: .init(), runner: runner, for: .local))
        #expect(job.total == 1)
        await runner.shutdown(grace: .seconds(60))
        #expect(await !runner.isActive(jobID: job.id))
        #expect(try await store.job(id: job.id)?.status.isFinished == true)
        await #expect(throws: JobRunnerError.shuttingDown) {
            try await patterns.startBatch(provider: model, options: .init(), runner: runner, for: .local)
        }
    }
}
