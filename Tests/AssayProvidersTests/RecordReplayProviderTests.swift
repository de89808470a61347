import AssayCore
import AssayTestSupport
import Foundation
import Testing

@testable import AssayProviders

@Suite struct RecordReplayProviderTests {
    let folder: TempFolder
    init() throws { folder = try TempFolder("cassettes") }

    func cassette() -> URL { folder.file("cassette-\(UUID().uuidString).jsonl") }

    let first = LLMRequest(messages: [.user("one")], responseSchema: ["type": "object"])
    let second = LLMRequest(messages: [.user("two")])

    @Test func replaysWhatWasRecordedWithoutCallingTheModel() async throws {
        let file = cassette()
        let live = ScriptedProvider(model: "m1", steps: [.reply("A"), .reply("B"), .reply("A again")])
        let recorder = try RecordReplayProvider(mode: .record(base: live), cassette: file)
        #expect(try await recorder.complete(first).text == "A")
        #expect(try await recorder.complete(second).text == "B")
        #expect(try await recorder.complete(first).text == "A again")
        #expect(try String(contentsOf: file, encoding: .utf8).split(separator: "\n").count == 3)

        let replay = try RecordReplayProvider(mode: .replay, cassette: file)
        #expect(replay.model == "m1")
        #expect(try await replay.complete(second).text == "B")
        #expect(try await replay.complete(first).text == "A")
        #expect(try await replay.complete(first).text == "A again")
        #expect(await live.callCount == 3)
    }

    /// A replay reports the tokens the recorded reply was served from the prompt cache.
    @Test func cachedTokensAreRecordedAndReplayed() async throws {
        struct Cached: LLMProvider {
            let model = "m1"
            func complete(_ request: LLMRequest) async throws -> LLMResponse {
                LLMResponse(text: "A", usage: TokenUsage(promptTokens: 2000, completionTokens: 10, cachedPromptTokens: 1536))
            }
        }
        let file = cassette()
        _ = try await RecordReplayProvider(mode: .record(base: Cached()), cassette: file).complete(first)
        let replayed = try await RecordReplayProvider(mode: .replay, cassette: file).complete(first)
        #expect(replayed.usage == TokenUsage(promptTokens: 2000, completionTokens: 10, cachedPromptTokens: 1536))
    }

    @Test func anUnrecordedRequestIsAClearErrorNotALiveCall() async throws {
        let file = cassette()
        _ = try await RecordReplayProvider(mode: .record(base: ScriptedProvider(steps: [.reply("A")])), cassette: file).complete(first)
        let replay = try RecordReplayProvider(mode: .replay, cassette: file)
        var changed = first
        changed.temperature = 0.5
        let error = await #expect(throws: ProviderError.self) { try await replay.complete(changed) }
        #expect(error?.isRetryable == false)
        #expect(error?.description.contains("record it again") == true)
    }

    /// Recording into a folder that does not exist used to be found out only at the first reply.
    @Test func aCassetteThatCannotBeCreatedFailsUpFront() {
        let file = cassette().deletingLastPathComponent().appendingPathComponent("no-such-folder-\(UUID().uuidString)/calls.jsonl")
        #expect(throws: ProviderError.self) {
            _ = try RecordReplayProvider(mode: .record(base: ScriptedProvider(steps: [])), cassette: file)
        }
    }

    @Test func aBrokenCassetteFailsUpFront() throws {
        let file = cassette()
        try "{\"key\":\"k\",\"text\":\"ok\"}\nnot json\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: ProviderError.misconfigured("cassette \(file.path) line 2 is not a recorded exchange")) {
            try RecordReplayProvider(mode: .replay, cassette: file)
        }
        #expect(throws: ProviderError.self) { try RecordReplayProvider(mode: .replay, cassette: cassette()) }
    }
}
