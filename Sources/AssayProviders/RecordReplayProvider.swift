import AssayCore
import Foundation

/// Records request/response pairs to a cassette (JSON Lines) or replays them, so a pipeline can
/// be re-run deterministically and for free. A request is identified by the SHA-256 of its model,
/// messages, schema and parameters; the same request recorded twice replays in recorded order.
public actor RecordReplayProvider: LLMProvider {
    public enum Mode: Sendable {
        /// Call `base` and append every exchange to the cassette.
        case record(base: any LLMProvider)
        /// Answer only from the cassette; a request it does not hold is an error, never a live call.
        case replay
    }

    public nonisolated let model: String
    public nonisolated var kind: String { "replay" }
    private let mode: Mode
    private let cassette: URL
    private var recorded: [String: [LLMResponse]] = [:]

    /// In replay mode the cassette is read now, so a missing or broken file fails before a run starts.
    public init(mode: Mode, cassette: URL, model: String? = nil) throws {
        self.mode = mode
        self.cassette = cassette
        switch mode {
        case .record(let base):
            self.model = model ?? base.model
            // Made now, so a folder that does not exist fails before the run rather than at its first reply.
            if !FileManager.default.fileExists(atPath: cassette.path),
                !FileManager.default.createFile(atPath: cassette.path, contents: nil)
            {
                throw ProviderError.misconfigured("cannot create cassette \(cassette.path): check that its folder exists and is writable")
            }
        case .replay:
            var byKey: [String: [LLMResponse]] = [:]
            let text: String
            do { text = try String(contentsOf: cassette, encoding: .utf8) } catch {
                throw ProviderError.misconfigured("cannot read cassette \(cassette.path): \(error.localizedDescription)")
            }
            var name = model
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
                guard let entry = try? JSONValue.parse(String(line)), let key = entry["key"]?.stringValue,
                    let reply = entry["text"]?.stringValue
                else {
                    throw ProviderError.misconfigured("cassette \(cassette.path) line \(number + 1) is not a recorded exchange")
                }
                name = name ?? entry["model"]?.stringValue
                byKey[key, default: []].append(
                    LLMResponse(
                        text: reply,
                        usage: TokenUsage(
                            promptTokens: Int(entry["prompt_tokens"]?.doubleValue ?? 0),
                            completionTokens: Int(entry["completion_tokens"]?.doubleValue ?? 0),
                            cachedPromptTokens: Int(entry["cached_tokens"]?.doubleValue ?? 0)),
                        finishReason: entry["finish_reason"]?.stringValue))
            }
            self.model = name ?? "replay"
            self.recorded = byKey
        }
    }

    public func complete(_ request: LLMRequest) async throws -> LLMResponse {
        let key = Self.key(for: request, model: model)
        switch mode {
        case .replay:
            guard var queue = recorded[key], !queue.isEmpty else {
                throw ProviderError.misconfigured(
                    "cassette \(cassette.lastPathComponent) holds no reply for this request (the codebook, prompt or document changed?); record it again"
                )
            }
            let response = queue.removeFirst()
            recorded[key] = queue
            return response
        case .record(let base):
            let response = try await base.complete(request)
            var entry: JSONValue = [
                "key": .string(key), "model": .string(model), "text": .string(response.text),
                "prompt_tokens": .number(Double(response.usage.promptTokens)),
                "completion_tokens": .number(Double(response.usage.completionTokens)),
            ]
            if response.usage.cachedPromptTokens > 0, case .object(var object) = entry {
                object["cached_tokens"] = .number(Double(response.usage.cachedPromptTokens))
                entry = .object(object)
            }
            if let reason = response.finishReason, case .object(var object) = entry {
                object["finish_reason"] = .string(reason)
                entry = .object(object)
            }
            try append(entry.serialized() + "\n")
            return response
        }
    }

    private func append(_ line: String) throws {
        let handle = try FileHandle(forWritingTo: cassette)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(line.utf8))
    }

    /// What identifies a request: everything that could change the reply.
    static func key(for request: LLMRequest, model: String) -> String {
        var canonical: JSONValue = [
            "model": .string(model),
            "messages": .array(request.messages.map { ["role": .string($0.role.rawValue), "content": .string($0.content)] }),
            "schema": request.responseSchema ?? .null,
            "temperature": .number(request.temperature),
            "max_tokens": .number(Double(request.maxTokens)),
        ]
        // Only a seeded request names its seed, so cassettes recorded before seeds keep their keys.
        if let seed = request.seed, case .object(var object) = canonical {
            object["seed"] = .number(Double(seed))
            canonical = .object(object)
        }
        return Hashing.sha256(canonical.serialized(sortedKeys: true))
    }
}
