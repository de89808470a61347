import Foundation

/// Where the model is and how to call it. Read from the environment so secrets never sit in
/// files or command lines: `ASSAY_BASE_URL`, `ASSAY_MODEL`, `ASSAY_API_KEY` (or `OPENAI_API_KEY`).
public struct ProviderSettings: Sendable, Hashable {
    /// The local llama-server that `scripts/local-llm.sh start` runs.
    public static let localBaseURL = "http://127.0.0.1:8088/v1"
    public static let localModel = "SmolLM2-135M-Instruct"

    public var baseURL: String
    public var model: String
    public var apiKey: String?
    public var timeout: Duration
    public var temperature: Double
    public var maxTokens: Int
    public var schemaMode: SchemaMode

    public init(baseURL: String = ProviderSettings.localBaseURL, model: String = ProviderSettings.localModel,
                apiKey: String? = nil, timeout: Duration = .seconds(120), temperature: Double = 0,
                maxTokens: Int = 1024, schemaMode: SchemaMode = .jsonSchema) {
        self.baseURL = baseURL
        self.model = model
        self.apiKey = apiKey
        self.timeout = timeout
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.schemaMode = schemaMode
    }

    /// True when no provider was configured and the local llama-server is meant.
    public var isLocalDefault: Bool { baseURL == Self.localBaseURL }

    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> ProviderSettings {
        var settings = ProviderSettings()
        if let url = env["ASSAY_BASE_URL"], !url.isEmpty { settings.baseURL = url }
        if let model = env["ASSAY_MODEL"], !model.isEmpty { settings.model = model }
        settings.apiKey = env["ASSAY_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (settings.baseURL.contains("api.openai.com") ? env["OPENAI_API_KEY"] : nil)
        if let t = env["ASSAY_TIMEOUT"].flatMap(Double.init) { settings.timeout = .milliseconds(Int(t * 1000)) }
        if let mode = env["ASSAY_SCHEMA_MODE"].flatMap(SchemaMode.init(rawValue:)) { settings.schemaMode = mode }
        return settings
    }
}

/// How the response schema is sent. Strict `json_schema` is right for OpenAI, vLLM, llama.cpp
/// and recent Ollama; `json_object` for servers that only know JSON mode; `none` sends no format.
public enum SchemaMode: String, Sendable, Hashable, CaseIterable {
    case jsonSchema = "json_schema"
    case jsonObject = "json_object"
    case none
}
