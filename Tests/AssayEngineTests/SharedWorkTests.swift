import AssayCore
import AssayEngine
import AssayProviders
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// Two jobs on one project at the same time share its documents through claims: each document
/// is coded once, by whichever job claimed it first; the other counts it as coded elsewhere.
@Suite struct SharedWorkTests {
    /// Answers like `FakeModel.good`, a little later, so two jobs' requests interleave.
    struct Unhurried: LLMProvider {
        let counter: ScriptedProvider
        var model: String { counter.model }
        func complete(_ request: LLMRequest) async throws -> LLMResponse {
            try await Task.sleep(for: .milliseconds(3))
            return try await counter.complete(request)
        }
    }

    @Test func twoJobsOnOneProjectCodeEachDocumentOnce() async throws {
        let f = try await EngineFixture(documents: 40)
        let counter = ScriptedProvider(steps: [], then: FakeModel.good)
        let provider = Unhurried(counter: counter)
        async let first = f.engine(provider).run(projectID: f.project.id, options: .init(concurrency: 4))
        async let second = f.engine(provider).run(projectID: f.project.id, options: .init(concurrency: 4))
        let (a, b) = try await (first, second)
        #expect(await counter.callCount == 40)
        #expect(a.job.processed + b.job.processed == 40, "\(a.job.processed) + \(b.job.processed)")
        #expect(a.job.processed + a.codedElsewhere == a.job.total && b.job.processed + b.codedElsewhere == b.job.total)
        #expect(a.job.status == .completed && b.job.status == .completed && a.notProcessed == 0 && b.notProcessed == 0)
        #expect(try await f.store.outcomes(projectID: f.project.id).count == 40)
        #expect(try await f.store.extractions(projectID: f.project.id, documentID: nil).count == 120)
    }

    /// A job left `running` by a process that is gone is paused by the next job's start.
    @Test func theNextJobSweepsAJobWhoseProcessIsGone() async throws {
        let f = try await EngineFixture(documents: 2)
        let gone = try await f.store.startJob(
            projectID: f.project.id, kind: .full, codebookVersion: 1, promptHash: "p", model: "m", selection: .all, total: 2,
            message: nil, projectStatus: nil)
        var options = ExtractionEngine.Options()
        options.claimLease = .milliseconds(1)
        try await Task.sleep(for: .milliseconds(10))
        let next = try await f.engine(ScriptedProvider(steps: [], then: FakeModel.good)).run(projectID: f.project.id, options: options)
        #expect(next.job.status == .completed && next.succeeded == 2)
        let swept = try #require(try await f.store.job(id: gone.id))
        #expect(swept.status == .paused && swept.error?.hasPrefix("its process stopped") == true, "\(swept)")
    }
}
