import AsyncHTTPClient

/// The provider the settings name (`ASSAY_PROVIDER`), ready to call.
///
/// Throws `ProviderError.misconfigured` naming the variable to set when a hosted API's key is
/// missing: better one clear line before the run than a 401 for every document.
///
/// `connections` is how many requests may be in flight at once (the run's concurrency): the HTTP
/// client's pool is sized to it.
public func makeProvider(_ settings: ProviderSettings, connections: Int = 8) throws -> any LLMProvider & Reachable {
    let client = HTTPClient.forProviders(connections: connections)
    if settings.apiKey == nil && settings.kind.requiresKey(baseURL: settings.baseURL) {
        let variables = settings.kind.keyVariables(baseURL: settings.baseURL) + ["ASSAY_API_KEY"]
        var message = "ASSAY_PROVIDER=\(settings.kind.rawValue) needs a key: set " + variables.joined(separator: " or ")
        if settings.kind == .gemini && GeminiProvider.Auth(baseURL: settings.baseURL) == .bearer {
            message += " to a Vertex AI access token (gcloud auth print-access-token)"
        }
        throw ProviderError.misconfigured(message)
    }
    return switch settings.kind {
    case .openai: OpenAICompatibleProvider(settings: settings, client: client)
    case .gemini: GeminiProvider(settings: settings, client: client)
    case .anthropic: AnthropicProvider(settings: settings, client: client)
    case .ollama: OllamaProvider(settings: settings, client: client)
    }
}

/// The batch API of the provider the settings name, for batch mode (`assay run --batch`).
/// OpenAI's (and servers that copy it) and Anthropic's; other providers have none Assay speaks.
public func makeBatchAPI(_ settings: ProviderSettings) throws -> any BatchAPI {
    _ = try makeProvider(settings)  // the same key check as live calls
    let client = HTTPClient.forProviders(connections: 8)
    switch settings.kind {
    case .openai: return OpenAIBatchAPI(settings: settings, client: client)
    case .anthropic: return AnthropicBatchAPI(settings: settings, client: client)
    case .gemini:
        guard GeminiProvider.Auth(baseURL: settings.baseURL) == .apiKey else {
            throw ProviderError.misconfigured(
                "batch mode reaches the Gemini API (generativelanguage.googleapis.com), not Vertex AI's batch prediction: run without --batch"
            )
        }
        return GeminiBatchAPI(settings: settings, client: client)
    case .ollama:
        throw ProviderError.misconfigured(
            "batch mode works with ASSAY_PROVIDER=openai, anthropic or gemini; Ollama has no batch API: run without --batch")
    }
}
