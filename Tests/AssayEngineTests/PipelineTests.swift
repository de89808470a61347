import AssayCore
import AssayProviders
import AssayStore
import AssayTestSupport
import Foundation
import Synchronization
import Testing

@testable import AssayEngine

/// The pipeline's seam: `prepare` stores the job before any model call, `execute` codes it and
/// reports each document (result, raw reply, counters) to one observer.
@Suite struct PipelineTests {
    /// Counts calls and answers like a good model.
    actor CountingModel: LLMProvider {
        nonisolated let model = "counting"
        var calls = 0
        func complete(_ request: LLMRequest) async throws -> LLMResponse {
            calls += 1
            return LLMResponse(text: FakeModel.goodReply(for: request))
        }
    }

    @Test func prepareStoresTheJobRunningBeforeAnyModelCall() async throws {
        let f = try await EngineFixture(documents: 3)
        let model = CountingModel()
        let engine = f.engine(model)
        let prepared = try await engine.prepare(projectID: f.project.id, options: .init())
        #expect(await model.calls == 0)
        #expect(prepared.job.status == .running)
        #expect(try await f.store.job(id: prepared.job.id)?.status == .running)
        #expect(try await f.store.events(jobID: prepared.job.id).map(\.kind) == [.jobStarted])
        #expect(try await f.store.project(id: f.project.id)?.status == .processing)

        let summary = try await engine.execute(prepared)
        #expect(summary.job.id == prepared.job.id)
        #expect(summary.job.status == .completed)
        #expect(await model.calls == 3)
    }

    @Test func prepareThrowsWithNothingStored() async throws {
        let f = try await EngineFixture(documents: 2)
        let engine = f.engine(CountingModel())
        await #expect(throws: EngineError.self) {
            _ = try await engine.prepare(projectID: f.project.id, options: .init(selection: JobSelection(documentIDs: [999])))
        }
        let bare = try await Workspace(store: f.store).createProject(name: "no-codebook")
        await #expect(throws: EngineError.self) { _ = try await engine.prepare(projectID: bare.id, options: .init()) }
        #expect(try await f.store.jobs(projectID: f.project.id).isEmpty)
        #expect(try await f.store.jobs(projectID: bare.id).isEmpty)
    }

    @Test func theObserverGetsEachDocumentWithItsReplyAndTheEnginesCounters() async throws {
        let f = try await EngineFixture(documents: 4)
        let reports = Mutex<[DocumentReport]>([])
        let summary = try await f.engine(CountingModel()).run(projectID: f.project.id, options: .init(concurrency: 2)) { event in
            if case .documentFinished(let report) = event { reports.withLock { $0.append(report) } }
        }
        let seen = reports.withLock { $0 }
        #expect(seen.count == 4)
        #expect(Set(seen.map(\.documentID)).count == 4)
        // Counters grow by one per document, and the last ones are the job's stored ones.
        #expect(seen.map(\.counts.processed) == [1, 2, 3, 4])
        let last = try #require(seen.last?.counts)
        #expect(last.succeeded == summary.succeeded && last.flagged == summary.flagged && last.failed == summary.failed)
        #expect(last.total == 4)
        // The raw reply travels with the result (traces record an invalid reply's hash and excerpt from it).
        for report in seen {
            let reply = try #require(report.result.reply)
            #expect(try JSONValue.parse(reply)["city"] != nil)
            #expect(report.externalID.hasPrefix("doc"))
        }
    }

    /// An HTTP job runs with the service's run configuration: with packing on, documents share requests.
    @Test func jobRunnerJobsPackWhenTheConfigurationSaysSo() async throws {
        let f = try await EngineFixture(documents: 6)
        let model = PackingModel()
        let runner = JobRunner(
            engine: f.engine(model),
            baseOptions: .init(packing: ExtractionEngine.Packing(requestTokens: 100_000)))
        let job = try await runner.start(projectID: f.project.id, kind: .full, selection: .all)
        for await _ in await runner.updates(jobID: job.id) {}
        while await runner.isActive(jobID: job.id) { try await Task.sleep(for: .milliseconds(10)) }
        let stored = try #require(try await f.store.job(id: job.id))
        #expect(stored.status == .completed)
        #expect(stored.processed == 6)
        #expect(await model.requests.count < 6)
    }
}
