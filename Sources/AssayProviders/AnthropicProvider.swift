import AssayCore
import AsyncHTTPClient
import Foundation

/// Anthropic's Messages API: `POST {base}/messages`. The reply's structure comes from one tool
/// whose input schema is our schema, which the model is made to call; the tool call's input is
/// the reply text. This works on every Claude model, unlike a response format.
public struct AnthropicProvider: LLMProvider, Reachable {
    static let apiVersion = "2023-06-01"

    public let settings: ProviderSettings
    let client: HTTPClient

    public init(settings: ProviderSettings, client: HTTPClient = .forProviders(connections: 8)) {
        self.settings = settings
        self.client = client
    }

    public var model: String { settings.model }

    public var kind: String { "anthropic" }

    var transport: HTTPTransport { HTTPTransport(client: client, baseURL: settings.baseURL, timeout: settings.timeout) }

    var headers: [(String, String)] {
        [("anthropic-version", Self.apiVersion)] + (settings.apiKey.map { [("x-api-key", $0)] } ?? [])
    }

    public func complete(_ request: LLMRequest) async throws -> LLMResponse {
        let json = try await transport.postJSON("messages", headers: headers, body: body(for: request))
        return try Self.parseReply(json, tool: Self.toolName(request.schemaName))
    }

    /// Asks for the model itself, so a bad key or an unknown model name fails before the run.
    public func checkReachable() async throws {
        let reply = try await transport.send(try transport.request("models/\(settings.model)", headers: headers), timeout: .seconds(10))
        if [401, 403, 404].contains(reply.status) { try reply.requireSuccess() }
    }

    /// Tool names allow letters, digits, `_` and `-`, at most 64 of them.
    static func toolName(_ schemaName: String) -> String {
        let allowed = schemaName.unicodeScalars.map { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "_" || scalar == "-") ? Character(scalar) : "_"
        }
        let name = String(allowed.prefix(64))
        return name.isEmpty ? "extraction" : name
    }

    func body(for request: LLMRequest) -> JSONValue {
        var body: OrderedDictionary<String, JSONValue> = [
            "model": .string(settings.model),
            "max_tokens": .number(Double(request.maxTokens)),
            // Anthropic accepts 0...1; OpenAI's scale goes to 2.
            "temperature": .number(min(max(request.temperature, 0), 1)),
        ]
        let system = request.messages.filter { $0.role == .system }.map(\.content)
        if !system.isEmpty {
            let text = JSONValue.string(system.joined(separator: "\n\n"))
            // The system prompt (instructions and codebook) is the same for every document: marked
            // as a cache breakpoint, later requests read it (and the tool before it) from Anthropic's
            // prompt cache at a tenth of the input price.
            body["system"] =
                settings.promptCache ? [["type": "text", "text": text, "cache_control": ["type": "ephemeral"]]] : text
        }
        var cachedPrefix = false
        body["messages"] = .array(
            request.messages.filter { $0.role != .system }.map { message in
                let role: JSONValue = message.role == .assistant ? "assistant" : "user"
                // The codebook the first user message begins with is the same for every document:
                // a second breakpoint after it, so the cache holds tool, system prompt and codebook.
                if settings.promptCache, !cachedPrefix, message.role == .user, let prefix = request.sharedPrefix,
                    !prefix.isEmpty, message.content.hasPrefix(prefix), message.content.count > prefix.count
                {
                    cachedPrefix = true
                    return [
                        "role": role,
                        "content": [
                            ["type": "text", "text": .string(prefix), "cache_control": ["type": "ephemeral"]],
                            ["type": "text", "text": .string(String(message.content.dropFirst(prefix.count)))],
                        ],
                    ]
                }
                return ["role": role, "content": .string(message.content)]
            })
        if let schema = request.responseSchema, settings.schemaMode != .none {
            let name = Self.toolName(request.schemaName)
            // Without a schema to enforce (json_object), any object will do.
            let input: JSONValue = settings.schemaMode == .jsonSchema ? schema : ["type": "object"]
            body["tools"] = [["name": .string(name), "description": "Record the answer in this structure.", "input_schema": input]]
            body["tool_choice"] = ["type": "tool", "name": .string(name)]
        }
        return .object(body)
    }

    /// The reply's text: the input of the tool named `tool` (with `anyTool`, of the one tool
    /// called: a batch result does not say which request's schema name it answered).
    static func parseReply(_ json: JSONValue, tool: String, anyTool: Bool = false) throws -> LLMResponse {
        guard let blocks = json["content"]?.arrayValue else {
            throw ProviderError.invalidResponse("no content in the reply")
        }
        let stop = json["stop_reason"]?.stringValue
        let text: String
        if let call = blocks.first(where: { $0["type"] == "tool_use" && (anyTool || $0["name"]?.stringValue == tool) }),
            let input = call["input"]
        {
            text = input.serialized()
        } else if stop == "refusal" {
            throw ProviderError.refused("Claude declined to answer (stop_reason refusal)")
        } else {
            // No tool was offered (schema mode none): the answer is in the text blocks.
            text = blocks.filter { $0["type"] == "text" }.compactMap { $0["text"]?.stringValue }.joined()
            guard !text.isEmpty else {
                throw ProviderError.invalidResponse("no tool_use block named '\(tool)' and no text (stop_reason \(stop ?? "none"))")
            }
        }
        let usage = json["usage"]
        func count(_ key: String) -> Int { Int(usage?[key]?.doubleValue ?? 0) }
        // Cached prompt tokens are reported apart from input_tokens; all of them were the prompt.
        let prompt = count("input_tokens") + count("cache_creation_input_tokens") + count("cache_read_input_tokens")
        return LLMResponse(
            text: text,
            usage: TokenUsage(
                promptTokens: prompt, completionTokens: count("output_tokens"), cachedPromptTokens: count("cache_read_input_tokens")),
            finishReason: stop)
    }
}
