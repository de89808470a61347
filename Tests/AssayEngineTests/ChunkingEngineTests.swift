import AssayCore
import AssayProviders
import AssayStore
import AssayTestSupport
import Foundation
import Testing

@testable import AssayEngine

@Suite struct ChunkingEngineTests {
    /// A model that only "sees" the city when the sentence naming it is in the chunk it got.
    static func reply(_ request: LLMRequest) -> String {
        let text = FakeModel.documentText(in: request)
        let found = text.contains("The march reached Zurich.")
        let reply: JSONValue = [
            "city": [
                "evidence": found ? "The march reached Zurich." : "", "rationale": "named",
                "value": found ? "Zurich" : .null, "confidence": found ? 0.9 : 0.3,
            ],
            "participants": ["evidence": "", "rationale": "not stated", "value": .null, "confidence": 0.5],
            "violence": ["evidence": "Nothing happened.", "rationale": "calm", "value": false, "confidence": 0.8],
        ]
        return reply.serialized()
    }

    @Test func aLongDocumentIsSentInChunksAndTheValuesMergedWithOffsetsInTheWholeText() async throws {
        let f = try await EngineFixture(documents: 0)
        let filler = (1...300).map { "Nothing happened in hour \($0) of the day." }.joined(separator: " ")
        let text = filler + " The march reached Zurich. " + filler
        _ = try await f.store.upsertDocument(
            DocumentInput(externalID: "long.txt", mediaType: "text/plain", text: text), projectID: f.project.id)
        let provider = ScriptedProvider(steps: [], then: .respond(Self.reply))
        let summary = try await f.engine(provider).run(
            projectID: f.project.id, options: .init(chunking: Chunker(chunkTokens: 1000, overlapTokens: 100)))

        #expect(summary.succeeded + summary.flagged == 1)
        let calls = await provider.callCount
        #expect(calls >= 5)
        #expect(summary.metrics?.chunkedDocuments == 1 && summary.metrics?.chunks == calls)
        let city = try #require(try await f.store.extractions(projectID: f.project.id, documentID: nil).first { $0.variable == "city" })
        #expect(city.value == "Zurich")
        let evidence = try #require(city.evidence)
        let start = try #require(evidence.start)
        let end = try #require(evidence.end)
        let scalars = Array(text.unicodeScalars)
        #expect(String(String.UnicodeScalarView(scalars[start..<end])) == "The march reached Zurich.")
    }

    @Test func withoutChunkingTheDocumentGoesWhole() async throws {
        let f = try await EngineFixture(documents: 0)
        let text = (1...600).map { "Nothing happened in hour \($0)." }.joined(separator: " ")
        _ = try await f.store.upsertDocument(
            DocumentInput(externalID: "long.txt", mediaType: "text/plain", text: text), projectID: f.project.id)
        let provider = ScriptedProvider(steps: [], then: .respond(Self.reply))
        _ = try await f.engine(provider).run(projectID: f.project.id, options: .init(chunking: nil))
        #expect(await provider.callCount == 1)
    }

    @Test func aChunkedDocumentIsNeverPackedWhileShortOnesShareARequest() async throws {
        let f = try await EngineFixture(documents: 3)
        let long = (1...300).map { "Nothing happened in hour \($0) of the day." }.joined(separator: " ")
        _ = try await f.store.upsertDocument(
            DocumentInput(externalID: "long.txt", mediaType: "text/plain", text: long), projectID: f.project.id)
        let chunker = Chunker(chunkTokens: 1000, overlapTokens: 100)
        let model = PackingModel()
        let summary = try await f.engine(model).run(
            projectID: f.project.id,
            options: .init(
                concurrency: 1, packing: .init(requestTokens: 8192), chunking: chunker))
        #expect(summary.succeeded + summary.flagged == 4)
        #expect(await model.requests.count == chunker.chunks(long).count + 1)
        #expect(summary.metrics?.chunkedDocuments == 1)
    }
}
