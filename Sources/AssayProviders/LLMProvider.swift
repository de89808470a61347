import AssayCore
import Foundation

/// Anything that turns a chat request with a response schema into text: OpenAI-compatible
/// servers (OpenAI, vLLM, llama.cpp, Ollama), Gemini, Anthropic and Ollama's native API.
public protocol LLMProvider: Sendable {
    /// The model name recorded with every value this provider produced.
    var model: String { get }
    /// Which API it speaks (openai, gemini, anthropic, ollama; scripted, replay, batch), for
    /// traces; a wrapper reports its base's.
    var kind: String { get }
    func complete(_ request: LLMRequest) async throws -> LLMResponse
}

extension LLMProvider {
    /// Providers made elsewhere (tests, benchmarks) need not say.
    public var kind: String { "other" }
}

/// A provider that can tell, cheaply and before a run, whether its server answers and accepts the key.
public protocol Reachable: Sendable {
    /// Throws a `ProviderError` when the server cannot be reached or refuses the credentials.
    func checkReachable() async throws
}

/// One call: messages, the JSON Schema the reply must follow, and sampling parameters.
public struct LLMRequest: Sendable, Hashable {
    public var messages: [ChatMessage]
    public var responseSchema: JSONValue?
    public var schemaName: String
    public var temperature: Double
    public var maxTokens: Int
    /// Names the schema for as long as it does not change (the prompt's hash), so a provider can
    /// serialize it once rather than for every request; nil when it is made for this request only.
    public var schemaID: String?
    /// Sampling seed, where the provider takes one (OpenAI-compatible servers, Gemini, Ollama):
    /// repeated runs vary it so their answers are independent yet reproducible. Nil sends none.
    public var seed: Int?
    /// The text the first user message begins with that every request of this prompt shares
    /// (the codebook), after the shared system prompt: where a provider that needs to be told
    /// (Anthropic) puts its prompt-cache breakpoint. It changes no reply, so it is not part of
    /// the request's key.
    public var sharedPrefix: String?

    public init(
        messages: [ChatMessage], responseSchema: JSONValue? = nil, schemaName: String = "extraction",
        temperature: Double = 0, maxTokens: Int = 1024, schemaID: String? = nil, seed: Int? = nil
    ) {
        self.seed = seed
        self.schemaID = schemaID
        self.messages = messages
        self.responseSchema = responseSchema
        self.schemaName = schemaName
        self.temperature = temperature
        self.maxTokens = maxTokens
    }
}

/// A provider's reply text and what it cost.
public struct LLMResponse: Sendable, Hashable {
    public var text: String
    public var usage: TokenUsage
    public var finishReason: String?

    public init(text: String, usage: TokenUsage = .init(), finishReason: String? = nil) {
        self.text = text
        self.usage = usage
        self.finishReason = finishReason
    }
}

/// Tokens in and out, as the provider reported them (or estimated when it did not).
public struct TokenUsage: Sendable, Hashable, Codable {
    public var promptTokens: Int
    public var completionTokens: Int
    /// Of the prompt tokens, those the provider served from its prompt cache (and charges less
    /// for): OpenAI's `cached_tokens`, Anthropic's `cache_read_input_tokens`, Gemini's
    /// `cachedContentTokenCount`.
    public var cachedPromptTokens: Int

    public init(promptTokens: Int = 0, completionTokens: Int = 0, cachedPromptTokens: Int = 0) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.cachedPromptTokens = cachedPromptTokens
    }

    public static func + (a: TokenUsage, b: TokenUsage) -> TokenUsage {
        TokenUsage(
            promptTokens: a.promptTokens + b.promptTokens, completionTokens: a.completionTokens + b.completionTokens,
            cachedPromptTokens: a.cachedPromptTokens + b.cachedPromptTokens)
    }

    /// What these tokens cost at `price`.
    public func dollars(at price: Price) -> Double {
        price.dollars(inputTokens: promptTokens, outputTokens: completionTokens, cachedTokens: cachedPromptTokens)
    }
}

extension LLMRequest {
    /// What identifies this request to `model`: everything that could change the reply, hashed
    /// (SHA-256, hex). A cassette files replies under it; batch mode names batch items by it.
    public func key(model: String) -> String { RecordReplayProvider.key(for: self, model: model) }
}
