import AssayCore
import AssayEngine
import AssayProviders
import AssayStore
import Foundation

/// A project with a three-variable codebook and documents in an in-memory store.
struct EngineFixture {
    let store: SQLiteStore
    let project: Project

    static let codebook = Codebook(variables: [
        Variable(name: "city", type: .text),
        Variable(name: "participants", type: .number),
        Variable(name: "violence", type: .boolean),
    ])

    static func document(_ i: Int) -> String { "Protest in City\(i). About \(i * 100) people came. It was peaceful." }

    init(documents: Int) async throws {
        store = try SQLiteStore.inMemory()
        let workspace = Workspace(store: store)
        project = try await workspace.createProject(name: "test")
        _ = try await workspace.importCodebook(Self.codebook, projectID: project.id)
        for i in 1...max(1, documents) where documents > 0 {
            _ = try await store.upsertDocument(
                DocumentInput(externalID: "doc\(i).txt", mediaType: "text/plain", text: Self.document(i)), projectID: project.id)
        }
    }

    func engine(_ provider: any LLMProvider) -> ExtractionEngine { ExtractionEngine(store: store, provider: provider) }
}

/// Model stand-ins that read the document from the request and answer like a good model would.
enum FakeModel {
    static func documentText(in request: LLMRequest) -> String {
        let user = request.messages.first { $0.role == .user }?.content ?? ""
        guard let start = user.range(of: "<document>\n"), let end = user.range(of: "\n</document>") else { return "" }
        return String(user[start.upperBound..<end.lowerBound])
    }

    /// A valid reply for a fixture document.
    static func goodReply(for request: LLMRequest) -> String {
        let text = documentText(in: request)
        let city = text.split(separator: " ").dropFirst(2).first.map { String($0.dropLast()) } ?? ""
        let number = text.split(separator: " ").first { Int($0) != nil }.map(String.init) ?? "0"
        let reply: JSONValue = [
            "city": ["evidence": .string("Protest in \(city)"), "rationale": "named", "value": .string(city), "confidence": 0.9],
            "participants": ["evidence": .string("About \(number) people came"), "rationale": "stated", "value": .string(number), "confidence": 0.9],
            "violence": ["evidence": "It was peaceful.", "rationale": "peaceful", "value": false, "confidence": 0.8],
        ]
        return reply.serialized()
    }

    static var good: ScriptedProvider.Step { .respond(goodReply) }
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
