import AssayCore
import AssayEngine
import AssayProviders
import AssayStore
import AssayTestSupport
import Foundation

/// The protests project (`Protests`) with documents, in an in-memory store.
struct EngineFixture {
    let store: SQLiteStore
    let project: Project

    init(documents: Int) async throws {
        store = try SQLiteStore.inMemory()
        let workspace = Workspace(store: store)
        project = try await workspace.createProject(name: "test")
        _ = try await workspace.importCodebook(Protests.codebook, projectID: project.id)
        for i in 1...max(1, documents) where documents > 0 {
            _ = try await store.upsertDocument(
                DocumentInput(externalID: "doc\(i).txt", mediaType: "text/plain", text: Protests.document(i)), projectID: project.id)
        }
    }

    func engine(_ provider: any LLMProvider) -> ExtractionEngine { ExtractionEngine(store: store, provider: provider) }
}

/// A provider that answers the first `answering` calls and then hangs until cancelled,
/// to test Ctrl-C in the middle of a run.
actor HangingProvider: LLMProvider {
    nonisolated let model = "hanging"
    private var remaining: Int

    init(answering: Int) { remaining = answering }

    func complete(_ request: LLMRequest) async throws -> LLMResponse {
        if remaining > 0 {
            remaining -= 1
            return LLMResponse(text: FakeModel.goodReply(for: request))
        }
        try await Task.sleep(for: .seconds(3600))
        throw ProviderError.timeout(seconds: 3600)
    }
}
