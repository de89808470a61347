import AssayCore
import Foundation
import NIOConcurrencyHelpers

/// The mock's usage figures, counted the way the providers report them, prompt caching
/// included, so the cached-token share of a run can be measured without a network:
/// - OpenAI caches the longest prefix of a prompt that an earlier request had, in steps of 128
///   tokens from 1,024 on, by itself, and reports it as `prompt_tokens_details.cached_tokens`;
/// - Anthropic caches the prompt up to its last `cache_control` breakpoint (tools, system, then
///   messages; here at least 1,024 tokens, its Sonnet minimum) and reports
///   `cache_creation_input_tokens` the first time, `cache_read_input_tokens` after, and the rest
///   as `input_tokens`.
/// Tokens are Assay's estimate (about four characters each).
final class MockPromptCache: Sendable {
    static let minimumTokens = 1024
    /// The step a cached prefix grows by, in characters (about 128 tokens).
    static let block = 512
    private let seen = NIOLockedValueBox(Set<String>())

    struct Usage {
        var prompt: Int
        var cached: Int
        var created = 0
    }

    func openAI(_ body: JSONValue) -> Usage {
        let messages = body["messages"]?.arrayValue ?? []
        let text = messages.map { "\($0["role"]?.stringValue ?? ""): \($0["content"]?.stringValue ?? "")\n" }.joined()
        let schema = body["response_format"].map { $0.serialized() } ?? ""
        let prompt = TokenEstimator.estimate(text + schema)
        let characters = Array(text.unicodeScalars)
        let prefixes = stride(from: Self.block, through: characters.count, by: Self.block).map { length in
            Hashing.sha256("openai" + String(String.UnicodeScalarView(characters[0..<length])))
        }
        let longest = seen.withLockedValue { seen -> Int in
            let hits = prefixes.prefix { seen.contains($0) }.count
            seen.formUnion(prefixes)
            return hits
        }
        let cachedText = String(String.UnicodeScalarView(characters[0..<(longest * Self.block)]))
        let cached = TokenEstimator.estimate(cachedText) / 128 * 128
        return Usage(prompt: prompt, cached: cached >= Self.minimumTokens ? cached : 0)
    }

    func anthropic(_ body: JSONValue) -> Usage {
        var parts: [(text: String, breakpoint: Bool)] = []
        let tools = body["tools"].map { $0.serialized() } ?? ""
        parts.append((tools, false))
        if let system = body["system"]?.stringValue {
            parts.append((system, false))
        } else {
            for block in body["system"]?.arrayValue ?? [] {
                parts.append((block["text"]?.stringValue ?? "", block["cache_control"] != nil))
            }
        }
        for message in body["messages"]?.arrayValue ?? [] {
            if let text = message["content"]?.stringValue {
                parts.append((text, false))
            } else {
                for block in message["content"]?.arrayValue ?? [] {
                    parts.append((block["text"]?.stringValue ?? "", block["cache_control"] != nil))
                }
            }
        }
        let prompt = TokenEstimator.estimate(parts.map(\.text).joined())
        guard let last = parts.lastIndex(where: \.breakpoint) else { return Usage(prompt: prompt, cached: 0) }
        let prefix = parts[...last].map(\.text).joined()
        let shared = TokenEstimator.estimate(prefix)
        guard shared >= Self.minimumTokens else { return Usage(prompt: prompt, cached: 0) }
        let hit = seen.withLockedValue { !$0.insert(Hashing.sha256("anthropic" + prefix)).inserted }
        return hit ? Usage(prompt: prompt, cached: shared) : Usage(prompt: prompt, cached: 0, created: shared)
    }

    /// An Anthropic message calling the request's tool with the mock's answer, its usage as
    /// Anthropic reports it.
    func anthropicMessage(for body: JSONValue) -> JSONValue {
        let text = MockReplies.reply(toRequestBody: body.serialized()).text
        let tool = body["tools"]?.arrayValue?.first?["name"]?.stringValue ?? "extraction"
        let usage = anthropic(body)
        return [
            "id": "msg_mock", "type": "message", "role": "assistant", "model": body["model"] ?? "mock",
            "content": [["type": "tool_use", "id": "toolu_mock", "name": .string(tool), "input": (try? JSONValue.parse(text)) ?? [:]]],
            "stop_reason": "tool_use",
            "usage": [
                "input_tokens": .number(Double(usage.prompt - usage.cached - usage.created)),
                "cache_creation_input_tokens": .number(Double(usage.created)),
                "cache_read_input_tokens": .number(Double(usage.cached)),
                "output_tokens": .number(Double(TokenEstimator.estimate(text))),
            ],
        ]
    }
}
