import AssayCore
import AssayProviders
import AssayStore
import AssayTestSupport
import Foundation
import Testing

@testable import AssayEngine

/// A model that never answers about one document and answers well about the others.
actor StuckOnOneDocument: LLMProvider {
    nonisolated let model = "stuck"
    let stuckOn: String

    init(stuckOn: String) { self.stuckOn = stuckOn }

    func complete(_ request: LLMRequest) async throws -> LLMResponse {
        if FakeModel.documentText(in: request).contains(stuckOn) { try await Task.sleep(for: .seconds(3600)) }
        return LLMResponse(text: FakeModel.goodReply(for: request))
    }
}

@Suite(.timeLimit(.minutes(1))) struct DocumentTimeBudgetTests {
    @Test func aDocumentPastItsBudgetIsATimeoutAndTheJobGoesOn() async throws {
        let f = try await EngineFixture(documents: 4)
        let summary = try await f.engine(StuckOnOneDocument(stuckOn: "City3."))
            .run(projectID: f.project.id, options: .init(concurrency: 2, documentTimeBudget: .milliseconds(300)))
        #expect(summary.job.status == .completed)
        #expect(summary.succeeded == 3 && summary.failed == 1)
        #expect(summary.failuresByKind == [.timeout: 1])
        let errors = try await f.store.errorRecords(projectID: f.project.id, jobID: summary.job.id)
        #expect(errors.count == 1 && errors[0].reason.contains("time budget"))
    }

    @Test func aPackedRequestPastItsBudgetIsSplitAndOnlyTheStuckDocumentTimesOut() async throws {
        let f = try await EngineFixture(documents: 4)
        let summary = try await f.engine(PackingModel(stuck: "City2."))
            .run(
                projectID: f.project.id,
                options: .init(
                    concurrency: 1, packing: .init(requestTokens: 8192, maxDocumentsPerRequest: 4),
                    documentTimeBudget: .milliseconds(300)))
        #expect(summary.succeeded == 3 && summary.failed == 1)
        #expect(summary.failuresByKind == [.timeout: 1])
        #expect((summary.metrics?.splits ?? 0) >= 1)
    }
}

@Suite struct ProviderEventMetricsTests {
    @Test func retriesAndCircuitOpeningsInsideTheProviderCountIntoTheJob() async throws {
        let f = try await EngineFixture(documents: 2)
        let scripted = ScriptedProvider(
            steps: [.fail(.http(status: 503, message: "busy", retryAfter: nil)), .fail(.timeout(seconds: 1))],
            then: FakeModel.good)
        let guarded = RetryingProvider(
            CircuitBreakingProvider(scripted, breaker: CircuitBreaker(policy: .init(failureThreshold: 2, openDuration: .zero))),
            policy: RetryPolicy(maxRetries: 3), sleep: { _ in })
        let summary = try await f.engine(guarded).run(projectID: f.project.id, options: .init(concurrency: 1))
        #expect(summary.succeeded == 2)
        #expect(summary.metrics?.retries == 2)
        #expect(summary.metrics?.circuitOpenings == 1)
    }
}
