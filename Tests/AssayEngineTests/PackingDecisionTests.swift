import AssayCore
import AssayProviders
import AssayStore
import Foundation
import Testing

@testable import AssayEngine

/// Packing where it pays: short documents beside a long shared prompt are packed; long ones,
/// single documents, and budgets that fit only one are not; the engine follows the decision.
@Suite struct PackingDecisionTests {
    let packing = ExtractionEngine.Packing(requestTokens: 8192, onlyWhereItPays: true)

    func items(_ count: Int, tokens: Int) -> [WorkItem] {
        (1...count).map { WorkItem(documentID: Int64($0), characters: tokens * 4) }
    }

    @Test func shortDocumentsBesideALongerPromptArePacked() {
        let decision = PackingDecision(items(10, tokens: 150), sharedPromptTokens: 600, outputTokensPerDocument: 300, packing: packing)
        #expect(decision.pays)
        #expect(decision.reason == "up to 16 documents of ~150 tokens per request share a ~600-token prompt")
    }

    @Test func documentsLongerThanThePromptGoAlone() {
        let decision = PackingDecision(items(10, tokens: 900), sharedPromptTokens: 600, outputTokensPerDocument: 300, packing: packing)
        #expect(!decision.pays)
        #expect(decision.reason.contains("longer than the shared prompt"))
    }

    @Test func oneDocumentOrATightBudgetNeverPacks() {
        #expect(!PackingDecision(items(1, tokens: 50), sharedPromptTokens: 600, outputTokensPerDocument: 300, packing: packing).pays)
        let tight = ExtractionEngine.Packing(requestTokens: 1200, onlyWhereItPays: true)
        let decision = PackingDecision(items(5, tokens: 150), sharedPromptTokens: 600, outputTokensPerDocument: 300, packing: tight)
        #expect(!decision.pays)
        #expect(decision.reason.hasPrefix("only 1 document"))
    }

    @Test func theEngineFollowsTheDecisionAndSaysWhy() async throws {
        // The fixture's documents (~15 tokens) are far shorter than its prompt: packed.
        let short = try await EngineFixture(documents: 6)
        let model = PackingModel()
        let run = try await short.engine(model).run(projectID: short.project.id, options: .init(packing: packing))
        #expect(run.succeeded == 6)
        #expect(await model.requests.count == 1)
        let started = try await short.store.events(jobID: run.job.id).first { $0.kind == .jobStarted }
        #expect(started?.message?.contains("packing on: up to") == true)

        // The same documents with a budget that fits one at a time: single requests.
        let alone = try await EngineFixture(documents: 3)
        let single = PackingModel()
        let tight = ExtractionEngine.Packing(requestTokens: 600, onlyWhereItPays: true)
        let second = try await alone.engine(single).run(projectID: alone.project.id, options: .init(packing: tight))
        #expect(second.succeeded == 3)
        #expect(await single.requests.count == 3)
        let event = try await alone.store.events(jobID: second.job.id).first { $0.kind == .jobStarted }
        #expect(event?.message?.contains("packing off:") == true)
    }
}
