import AssayCore
import AsyncHTTPClient
import Foundation

/// Google's Gemini API, natively: `POST {base}/models/{model}:generateContent` with the schema in
/// `generationConfig.responseSchema`. Also Vertex AI, when the base URL is a Vertex one.
public struct GeminiProvider: LLMProvider, Reachable {
    /// How the key is sent. The Gemini API takes an API key; Vertex AI an OAuth access token.
    enum Auth: Equatable {
        case apiKey, bearer

        init(baseURL: String) {
            self = baseURL.contains("aiplatform.googleapis.com") ? .bearer : .apiKey
        }
    }

    /// Finish reasons that mean the reply was withheld, and why, in words.
    static let blocked = [
        "SAFETY": "the safety filter blocked the reply",
        "RECITATION": "the reply was withheld as recitation of training data",
        "BLOCKLIST": "the reply contained blocklisted terms",
        "PROHIBITED_CONTENT": "the reply was withheld as prohibited content",
        "SPII": "the reply was withheld as sensitive personal information",
        "LANGUAGE": "the reply was in an unsupported language",
    ]

    public let settings: ProviderSettings
    let client: HTTPClient

    public init(settings: ProviderSettings, client: HTTPClient = .forProviders(connections: 8)) {
        self.settings = settings
        self.client = client
    }

    public var model: String { settings.model }

    public var kind: String { "gemini" }

    var transport: HTTPTransport { HTTPTransport(client: client, baseURL: settings.baseURL, timeout: settings.timeout) }

    var authHeaders: [(String, String)] {
        guard let key = settings.apiKey else { return [] }
        return Auth(baseURL: settings.baseURL) == .apiKey ? [("x-goog-api-key", key)] : [("Authorization", "Bearer \(key)")]
    }

    /// `models/{model}`; a model given as `models/...` is not doubled.
    var modelPath: String {
        settings.model.hasPrefix("models/") ? settings.model : "models/" + settings.model
    }

    public func complete(_ request: LLMRequest) async throws -> LLMResponse {
        let json = try await transport.postJSON(
            modelPath + ":generateContent", headers: authHeaders,
            body: body(for: request), retryAfter: Self.retryDelay)
        return try Self.parseReply(json)
    }

    /// Asks for the model itself: a bad key (Gemini answers 400 for it), or an unknown model,
    /// fails here rather than on every document.
    public func checkReachable() async throws {
        let reply = try await transport.send(try transport.request(modelPath, headers: authHeaders), timeout: .seconds(10))
        if [400, 401, 403, 404].contains(reply.status) { try reply.requireSuccess() }
    }

    func body(for request: LLMRequest) -> JSONValue {
        var config: OrderedDictionary<String, JSONValue> = [
            "temperature": .number(request.temperature),
            "maxOutputTokens": .number(Double(request.maxTokens)),
        ]
        if let seed = request.seed { config["seed"] = .number(Double(seed)) }
        if let schema = request.responseSchema, settings.schemaMode != .none {
            config["responseMimeType"] = "application/json"
            let converted = GeminiSchema.convert(schema)
            // Gemini rejects an OBJECT without properties; JSON mode alone still gives an object.
            if settings.schemaMode == .jsonSchema, converted["properties"] != nil || converted["type"] != "OBJECT" {
                config["responseSchema"] = converted
            }
        }
        var body: OrderedDictionary<String, JSONValue> = [:]
        let system = request.messages.filter { $0.role == .system }.map(\.content)
        if !system.isEmpty {
            body["systemInstruction"] = ["parts": [["text": .string(system.joined(separator: "\n\n"))]]]
        }
        body["contents"] = .array(
            request.messages.filter { $0.role != .system }.map { message in
                ["role": message.role == .assistant ? "model" : "user", "parts": [["text": .string(message.content)]]]
            })
        body["generationConfig"] = .object(config)
        return .object(body)
    }

    static func parseReply(_ json: JSONValue) throws -> LLMResponse {
        guard let candidate = json["candidates"]?.arrayValue?.first else {
            if let reason = json["promptFeedback"]?["blockReason"]?.stringValue {
                throw ProviderError.refused("Gemini blocked the prompt (blockReason \(reason))")
            }
            throw ProviderError.invalidResponse("Gemini returned no candidates")
        }
        let finish = candidate["finishReason"]?.stringValue
        if let finish, let why = blocked[finish] {
            throw ProviderError.refused("\(why) (Gemini finishReason \(finish))")
        }
        // Thinking models also return their thoughts as parts; only the answer is the reply.
        let text = (candidate["content"]?["parts"]?.arrayValue ?? [])
            .filter { $0["thought"]?.boolValue != true }
            .compactMap { $0["text"]?.stringValue }
            .joined()
        guard !text.isEmpty else {
            if finish == "MAX_TOKENS" {
                throw ProviderError.invalidResponse(
                    "Gemini reached the output token limit before writing the answer (thinking models spend it on thoughts too)")
            }
            throw ProviderError.invalidResponse("no text in candidates[0].content.parts (finishReason \(finish ?? "none"))")
        }
        let usage = json["usageMetadata"]
        func count(_ key: String) -> Int { Int(usage?[key]?.doubleValue ?? 0) }
        // Thoughts are billed and rate-limited as output tokens, so they count as completion.
        return LLMResponse(
            text: text,
            usage: TokenUsage(
                promptTokens: count("promptTokenCount"),
                completionTokens: count("candidatesTokenCount") + count("thoughtsTokenCount"),
                cachedPromptTokens: count("cachedContentTokenCount")),
            finishReason: finish)
    }

    /// Gemini says how long to wait in the error body (`RetryInfo.retryDelay`, such as "37s"),
    /// not in a `Retry-After` header.
    static func retryDelay(from body: String) -> Duration? {
        guard let details = (try? JSONValue.parse(body))?["error"]?["details"]?.arrayValue else { return nil }
        for detail in details {
            if let delay = detail["retryDelay"]?.stringValue, delay.hasSuffix("s"), let seconds = Double(delay.dropLast()) {
                return .milliseconds(Int(max(0, seconds) * 1000))
            }
        }
        return nil
    }
}
