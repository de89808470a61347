import AssayCore
import AssayProviders
import AssayStore
import AssayTestSupport
import Foundation
import Testing

@testable import AssayEngine

@Suite struct ExtractionEngineTests {
    @Test func fullRunStoresEveryValueAndSummarizes() async throws {
        let f = try await EngineFixture(documents: 5)
        let summary = try await f.engine(ScriptedProvider(steps: [], then: FakeModel.good))
            .run(projectID: f.project.id, options: .init(concurrency: 3))
        #expect(summary.job.status == .completed)
        #expect(summary.succeeded == 5)
        #expect(summary.job.tokensIn > 0 && summary.job.tokensOut > 0)
        let values = try await f.store.extractions(projectID: f.project.id, documentID: nil)
        #expect(values.count == 15)
        #expect(values.allSatisfy { $0.status == .validated && $0.promptHash == summary.job.promptHash && $0.jobID == summary.job.id })
        #expect(values.first { $0.variable == "participants" }?.value == 100)
        #expect(try await f.store.project(id: f.project.id)?.status == .complete)
        let events = try await f.store.events(jobID: summary.job.id).map(\.kind)
        #expect(events.first == .jobStarted && events.last == .jobCompleted)
        #expect(events.filter { $0 == .docCompleted }.count == 5)
    }

    @Test func rerunsSkipDoneDocumentsAndNeverDuplicate() async throws {
        let f = try await EngineFixture(documents: 6)
        let provider = ScriptedProvider(steps: [], then: FakeModel.good)
        let sample = try await f.engine(provider).run(projectID: f.project.id, options: .sample(2))
        #expect(sample.job.total == 2 && sample.succeeded == 2)
        #expect(try await f.store.project(id: f.project.id)?.status == .sampleComplete)

        let all = try await f.engine(provider).run(projectID: f.project.id, options: .init())
        #expect(all.alreadyDone == 2)
        #expect(all.job.total == 4)
        #expect(await provider.callCount == 6)

        let again = try await f.engine(provider).run(projectID: f.project.id, options: .init())
        #expect(again.job.total == 0)
        #expect(await provider.callCount == 6)
        #expect(try await f.store.extractions(projectID: f.project.id, documentID: nil).count == 18)
    }

    @Test func sampleIsReproducibleForASeed() async throws {
        let f = try await EngineFixture(documents: 20)
        let engine = f.engine(ScriptedProvider(steps: [], then: FakeModel.good))
        let version = try #require(try await f.store.latestCodebook(projectID: f.project.id)).version
        let a = try await engine.select(JobSelection(sampleSize: 5, seed: 7), projectID: f.project.id, version: version).0
        let b = try await engine.select(JobSelection(sampleSize: 5, seed: 7), projectID: f.project.id, version: version).0
        #expect(a.map(\.documentID) == b.map(\.documentID))
        #expect(a.count == 5)
    }

    @Test func anUnusableReplyIsAskedAgainOnce() async throws {
        let f = try await EngineFixture(documents: 1)
        let provider = ScriptedProvider(steps: [.reply("Sorry, here you go: {\"city\": "), FakeModel.good])
        let summary = try await f.engine(provider).run(projectID: f.project.id, options: .init())
        #expect(summary.succeeded == 1)
        let retry = try #require(await provider.requests.last)
        #expect(retry.messages.count == 4)
        #expect(retry.messages[3].content.contains("could not be used"))
        #expect(summary.metrics?.reasks == 1)
        #expect(summary.metrics?.requests == 2)
        #expect(try await f.store.metrics(jobID: summary.job.id) == summary.metrics)
    }

    @Test func aReplyStillUnusableIsAnErrorRecordNotAValue() async throws {
        let f = try await EngineFixture(documents: 3)
        let provider = ScriptedProvider(steps: [.reply("no"), .reply("still no")], then: FakeModel.good)
        let summary = try await f.engine(provider).run(projectID: f.project.id, options: .init(concurrency: 1))
        #expect(summary.failed == 1 && summary.succeeded == 2)
        #expect(summary.failuresByKind == [.invalidJSON: 1])
        let error = try #require(try await f.store.errorRecords(projectID: f.project.id, jobID: summary.job.id).first)
        #expect(error.reason.contains("after one retry"))
        #expect(error.responseHash == Hashing.sha256("still no"))
        let failedDoc = try #require(error.documentID)
        #expect(try await f.store.extractions(projectID: f.project.id, documentID: failedDoc).isEmpty)
        let outcome = try await f.store.outcomes(projectID: f.project.id).first { $0.documentID == failedDoc }
        #expect(outcome?.outcome == .failed)
    }

    @Test func aProviderFailureCostsOneDocumentAndIsRedoneNextRun() async throws {
        let f = try await EngineFixture(documents: 3)
        let provider = ScriptedProvider(steps: [.fail(.http(status: 500, message: "boom", retryAfter: nil))], then: FakeModel.good)
        let first = try await f.engine(provider).run(projectID: f.project.id, options: .init(concurrency: 1))
        #expect(first.failed == 1 && first.succeeded == 2)
        #expect(first.failuresByKind == [.providerError: 1])
        let second = try await f.engine(provider).run(projectID: f.project.id, options: .init())
        #expect(second.job.total == 1 && second.succeeded == 1)
    }

    /// A model that is down pauses the job (it does not fail it), and the next run goes on.
    @Test func aModelThatIsDownPausesTheJobWithTheReason() async throws {
        let f = try await EngineFixture(documents: 8)
        let provider = ScriptedProvider(steps: [], then: .fail(.unreachable("connection refused")))
        let summary = try await f.engine(provider)
            .run(projectID: f.project.id, options: .init(concurrency: 1, maxConsecutiveFailures: 3))
        #expect(summary.job.status == .paused)
        #expect(summary.failed == 3)
        #expect(summary.notProcessed == 5)
        #expect(
            summary.job.error == "paused after 3 documents failed in a row; last: provider_error: provider unreachable: connection refused")
        #expect(try await f.store.events(jobID: summary.job.id).last?.kind == .jobPaused)
        let back = try await f.engine(ScriptedProvider(steps: [], then: FakeModel.good)).run(projectID: f.project.id, options: .init())
        #expect(back.job.status == .completed && back.succeeded == 8)
    }

    @Test func cancellingLeavesOnlyWholeDocumentsAndResumes() async throws {
        let f = try await EngineFixture(documents: 6)
        let engine = f.engine(HangingProvider(answering: 2))
        let task = Task {
            try await engine.run(projectID: f.project.id, options: .init(concurrency: 2)) { event in
                if case .documentFinished(let report) = event, report.counts.processed == 2 {
                    // The user presses Ctrl-C once two documents are in.
                    withUnsafeCurrentTask { $0?.cancel() }
                }
            }
        }
        // Cancel from outside too, in case the progress callback runs outside the task.
        while try await f.store.outcomes(projectID: f.project.id).count < 2 { try await Task.sleep(for: .milliseconds(20)) }
        task.cancel()
        let summary = try await task.value
        #expect(summary.job.status == .cancelled)
        #expect(summary.succeeded == 2)
        let values = try await f.store.extractions(projectID: f.project.id, documentID: nil)
        #expect(values.count == 6)  // two whole documents, nothing partial
        #expect(Set(values.map(\.documentID)).count == 2)

        let resumed = try await f.engine(ScriptedProvider(steps: [], then: FakeModel.good)).run(projectID: f.project.id, options: .init())
        #expect(resumed.alreadyDone == 2 && resumed.job.total == 4 && resumed.succeeded == 4)
    }

    @Test func chosenDocumentsRunEvenWhenDone() async throws {
        let f = try await EngineFixture(documents: 3)
        let provider = ScriptedProvider(steps: [], then: FakeModel.good)
        _ = try await f.engine(provider).run(projectID: f.project.id, options: .init())
        let docs = try await f.store.documents(projectID: f.project.id, status: .ready)
        let again = try await f.engine(provider)
            .run(projectID: f.project.id, options: .init(kind: .sample, selection: JobSelection(documentIDs: [docs[1].id])))
        #expect(again.job.total == 1 && again.succeeded == 1)
        #expect(try await f.store.extractions(projectID: f.project.id, documentID: nil).count == 9)
        await #expect(throws: EngineError.unknownDocuments(["#999"])) {
            try await f.engine(provider).run(projectID: f.project.id, options: .init(selection: JobSelection(documentIDs: [999])))
        }
    }

    @Test func noCodebookIsAClearError() async throws {
        let store = try SQLiteStore.inMemory()
        let project = try await store.createProject(name: "empty", description: nil)
        await #expect(throws: EngineError.noCodebook(project: "empty")) {
            try await ExtractionEngine(store: store, provider: ScriptedProvider(steps: [])).run(projectID: project.id, options: .init())
        }
    }
}
