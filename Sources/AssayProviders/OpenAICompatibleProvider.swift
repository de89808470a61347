import AssayCore
import AsyncHTTPClient
import Foundation
import Tracing

/// The chat-completions API as OpenAI defines it and OpenAI, vLLM, llama.cpp's llama-server and
/// Ollama serve it: `POST {base}/chat/completions` with `response_format` carrying the JSON schema.
public struct OpenAICompatibleProvider: LLMProvider, Reachable {
    public let settings: ProviderSettings
    let client: HTTPClient
    /// Where its HTTP calls' spans go; nil for the process's tracer.
    public var tracer: (any Tracer)?
    static let maxBodyBytes = HTTPTransport.maxBodyBytes

    public init(settings: ProviderSettings, client: HTTPClient = .forProviders(connections: 8)) {
        self.settings = settings
        self.client = client
    }

    public var model: String { settings.model }
    public var kind: String { settings.kind.rawValue }

    var transport: HTTPTransport {
        HTTPTransport(client: client, baseURL: settings.baseURL, timeout: settings.timeout, tracer: tracer)
    }

    var authHeaders: [(String, String)] {
        settings.apiKey.map { [("Authorization", "Bearer \($0)")] } ?? []
    }

    public func complete(_ request: LLMRequest) async throws -> LLMResponse {
        let http = try transport.request("chat/completions", headers: authHeaders, jsonText: bodyText(for: request))
        let reply = try await transport.send(http)
        try reply.requireSuccess()
        return try Self.parseCompletion(reply.body)
    }

    /// Checks that the server answers at all (`GET {base}/models`), for a clear error before a run.
    public func checkReachable() async throws {
        let reply = try await transport.send(try transport.request("models", headers: authHeaders), timeout: .seconds(10))
        if reply.status == 401 || reply.status == 403 { try reply.requireSuccess() }
    }

    func endpoint(_ path: String) throws -> String { try transport.url(path) }

    /// The JSON body this provider posts for a request (public so a benchmark can replay the
    /// very same bytes without Assay in between).
    public func body(for request: LLMRequest) -> JSONValue {
        var body: JSONValue = [
            "model": .string(settings.model),
            "messages": .array(request.messages.map { ["role": .string($0.role.rawValue), "content": .string($0.content)] }),
            "temperature": .number(request.temperature),
            "max_tokens": .number(Double(request.maxTokens)),
        ]
        if case .object(var object) = body {
            if let seed = request.seed { object["seed"] = .number(Double(seed)) }
            switch (settings.schemaMode, request.responseSchema) {
            case (.jsonSchema, let schema?):
                object["response_format"] = [
                    "type": "json_schema",
                    "json_schema": ["name": .string(request.schemaName), "strict": true, "schema": schema],
                ]
            case (.jsonObject, _?):
                object["response_format"] = ["type": "json_object"]
            default: break
            }
            body = .object(object)
        }
        return body
    }

    /// `body(for:)` as the bytes sent. A schema with an id is serialized once per process (it is
    /// most of the body, and the same for every document of a job); the result is byte for byte
    /// what serializing the whole body gives.
    public func bodyText(for request: LLMRequest) -> String {
        guard settings.schemaMode == .jsonSchema, request.responseSchema != nil, let id = request.schemaID else {
            return body(for: request).serialized()
        }
        var bare = request
        bare.responseSchema = nil
        let head = body(for: bare).serialized()
        let format = Self.responseFormats.text(for: id + "\u{1F}" + request.schemaName) {
            body(for: request)["response_format"]!.serialized()
        }
        return head.dropLast() + #","response_format":"# + format + "}"
    }

    /// Serialized `response_format` values by schema id, a bounded few (one per running prompt).
    static let responseFormats = SerializedCache(limit: 64)

    static func parseCompletion(_ text: String) throws -> LLMResponse {
        guard let json = try? JSONValue.parse(text) else {
            throw ProviderError.invalidResponse("the body is not JSON")
        }
        guard let choice = json["choices"]?.arrayValue?.first,
            let message = choice["message"],
            let content = message["content"]?.stringValue ?? message["tool_calls"].map({ _ in "" })
        else {
            throw ProviderError.invalidResponse("no choices[0].message.content in the reply")
        }
        let usage = TokenUsage(
            promptTokens: Int(json["usage"]?["prompt_tokens"]?.doubleValue ?? 0),
            completionTokens: Int(json["usage"]?["completion_tokens"]?.doubleValue ?? 0),
            cachedPromptTokens: Int(json["usage"]?["prompt_tokens_details"]?["cached_tokens"]?.doubleValue ?? 0))
        return LLMResponse(text: content, usage: usage, finishReason: choice["finish_reason"]?.stringValue)
    }

    /// The API's own error message, or a short excerpt of the body.
    static func errorMessage(from body: String) -> String { HTTPTransport.errorMessage(from: body) }

    /// `Retry-After` is either delta-seconds or an HTTP date.
    static func parseRetryAfter(_ value: String) -> Duration? { HTTPTransport.parseRetryAfter(value) }
}
