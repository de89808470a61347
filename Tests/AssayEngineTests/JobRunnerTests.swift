import AssayCore
import AssayProviders
import AssayStore
import AssayTestSupport
import Foundation
import Testing

@testable import AssayEngine

@Suite("JobRunner")
struct JobRunnerTests {
    @Test func aJobClosedAtItsGateStartsNoDocumentUntilOpened() async throws {
        let fixture = try await EngineFixture(documents: 3)
        let provider = ScriptedProvider(steps: [], then: FakeModel.good)
        let gate = PauseGate()
        await gate.close()
        var options = ExtractionEngine.Options(concurrency: 2)
        options.gate = gate
        let engine = fixture.engine(provider)
        let run = Task { try await engine.run(projectID: fixture.project.id, options: options) }
        // Wait until the job exists and its documents wait at the gate.
        while try await fixture.store.jobs(projectID: fixture.project.id).isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        try await Task.sleep(for: .milliseconds(100))
        #expect(await provider.callCount == 0)
        await gate.open()
        let summary = try await run.value
        #expect(summary.job.status == .completed && summary.succeeded == 3)
        #expect(await gate.documentsInFlight == 0)
    }

    @Test func subscribersSeeEveryDocumentAndTheEnd() async throws {
        let fixture = try await EngineFixture(documents: 2)
        let gate = HoldingProvider()
        let runner = JobRunner(engine: fixture.engine(gate))
        let job = try await runner.start(projectID: fixture.project.id, kind: .full, selection: .all)
        #expect(job.status == .running && job.total == 2)
        let updates = await runner.updates(jobID: job.id)
        await gate.release()
        var kinds: [JobUpdate.Kind] = []
        for await update in updates { kinds.append(update.type) }
        #expect(kinds.filter { $0 == .documentCompleted }.count == 2)
        #expect(kinds.last == .jobCompleted)
        #expect(await runner.isActive(jobID: job.id) == false)
        // A finished job's stream ends at once.
        var late = 0
        for await _ in await runner.updates(jobID: job.id) { late += 1 }
        #expect(late == 0)
    }

    @Test func startThrowsWhatTheEngineThrowsBeforeTheJobExists() async throws {
        let store = try SQLiteStore.inMemory()
        let project = try await Workspace(store: store).createProject(name: "empty")
        let runner = JobRunner(engine: ExtractionEngine(store: store, provider: ScriptedProvider(steps: [])))
        await #expect(throws: EngineError.noCodebook(project: "empty")) {
            _ = try await runner.start(projectID: project.id, kind: .sample, selection: JobSelection(sampleSize: 1))
        }
        await runner.shutdown(grace: .seconds(1))
        await #expect(throws: JobRunnerError.shuttingDown) {
            _ = try await runner.start(projectID: project.id, kind: .full, selection: .all)
        }
    }
}

/// Answers like a good model once released.
actor HoldingProvider: LLMProvider {
    nonisolated let model = "holding"
    private var open = false
    func release() { open = true }
    func complete(_ request: LLMRequest) async throws -> LLMResponse {
        while !open { try await Task.sleep(for: .milliseconds(10)) }
        return LLMResponse(text: FakeModel.goodReply(for: request))
    }
}
