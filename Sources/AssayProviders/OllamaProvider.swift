import AssayCore
import AsyncHTTPClient
import Foundation

/// Ollama's own chat API, `POST {base}/api/chat` (base without `/v1`), with the JSON schema in
/// `format` and sampling settings in `options`.
public struct OllamaProvider: LLMProvider, Reachable {
    public let settings: ProviderSettings
    let client: HTTPClient

    public init(settings: ProviderSettings, client: HTTPClient = .forProviders(connections: 8)) {
        self.settings = settings
        self.client = client
    }

    public var model: String { settings.model }

    public var kind: String { "ollama" }

    var transport: HTTPTransport { HTTPTransport(client: client, baseURL: settings.baseURL, timeout: settings.timeout) }

    /// Ollama wants no key; one in `ASSAY_API_KEY` is for a proxy in front of it.
    var authHeaders: [(String, String)] {
        settings.apiKey.map { [("Authorization", "Bearer \($0)")] } ?? []
    }

    public func complete(_ request: LLMRequest) async throws -> LLMResponse {
        let json = try await transport.postJSON("api/chat", headers: authHeaders, body: body(for: request))
        return try Self.parseReply(json)
    }

    /// Checks the server answers and has the model, so "not pulled" is said once, before the run.
    public func checkReachable() async throws {
        let reply = try await transport.send(try transport.request("api/tags", headers: authHeaders), timeout: .seconds(10))
        if [401, 403, 404].contains(reply.status) { try reply.requireSuccess() }
        guard reply.status == 200, let models = (try? reply.json())?["models"]?.arrayValue else { return }
        let names = Set(models.compactMap { $0["name"]?.stringValue ?? $0["model"]?.stringValue })
        if !names.contains(settings.model) && !names.contains(settings.model + ":latest") {
            throw ProviderError.misconfigured(
                "the Ollama server at \(settings.baseURL) has no model '\(settings.model)'; pull it with: ollama pull \(settings.model)")
        }
    }

    func body(for request: LLMRequest) -> JSONValue {
        var body: OrderedDictionary<String, JSONValue> = [
            "model": .string(settings.model),
            "messages": .array(request.messages.map { ["role": .string($0.role.rawValue), "content": .string($0.content)] }),
            "stream": false,
        ]
        switch (settings.schemaMode, request.responseSchema) {
        case (.jsonSchema, let schema?): body["format"] = schema
        case (.jsonObject, _?): body["format"] = "json"
        default: break
        }
        var options: OrderedDictionary<String, JSONValue> = [
            "temperature": .number(request.temperature), "num_predict": .number(Double(request.maxTokens)),
        ]
        if let seed = request.seed { options["seed"] = .number(Double(seed)) }
        body["options"] = .object(options)
        return .object(body)
    }

    static func parseReply(_ json: JSONValue) throws -> LLMResponse {
        guard let content = json["message"]?["content"]?.stringValue else {
            throw ProviderError.invalidResponse("no message.content in the reply")
        }
        // Ollama can leave prompt_eval_count out when the prompt came from its cache.
        let usage = TokenUsage(
            promptTokens: Int(json["prompt_eval_count"]?.doubleValue ?? 0),
            completionTokens: Int(json["eval_count"]?.doubleValue ?? 0))
        return LLMResponse(text: content, usage: usage, finishReason: json["done_reason"]?.stringValue)
    }
}
