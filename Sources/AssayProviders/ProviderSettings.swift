import AssayCore
import Foundation

/// Where the model is and how to call it. Read from the environment so secrets never sit in
/// files or command lines: `ASSAY_PROVIDER`, `ASSAY_BASE_URL`, `ASSAY_MODEL`, `ASSAY_API_KEY`
/// (or the provider's own key variable, such as `OPENAI_API_KEY` or `GEMINI_API_KEY`).
public struct ProviderSettings: Sendable, Hashable, CustomStringConvertible {
    /// The local llama-server that `scripts/local-llm.sh start` runs.
    public static let localBaseURL = "http://127.0.0.1:8088/v1"
    public static let localModel = "SmolLM2-135M-Instruct"
    /// Seconds `ASSAY_TIMEOUT` may give one request: at least a second, at most an hour.
    public static let timeoutRange: ClosedRange<Double> = 1...3600

    public var kind: ProviderKind
    public var baseURL: String
    public var model: String
    public var apiKey: String?
    public var timeout: Duration
    public var temperature: Double
    public var maxTokens: Int
    public var schemaMode: SchemaMode
    /// Mark the shared prompt as a cache breakpoint where the provider needs that (Anthropic's
    /// `cache_control`); OpenAI and Gemini cache a repeated prefix by themselves.
    /// `ASSAY_PROMPT_CACHE=off` leaves the mark out.
    public var promptCache = true

    /// A base URL or model left out is the kind's default.
    public init(
        kind: ProviderKind = .openai, baseURL: String? = nil, model: String? = nil,
        apiKey: String? = nil, timeout: Duration = .seconds(120), temperature: Double = 0,
        maxTokens: Int = 1024, schemaMode: SchemaMode = .jsonSchema
    ) {
        self.kind = kind
        self.baseURL = baseURL ?? kind.defaultBaseURL
        self.model = model ?? kind.defaultModel
        self.apiKey = apiKey
        self.timeout = timeout
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.schemaMode = schemaMode
    }

    /// Says whether a key is set, never the key: settings end up in messages and logs.
    public var description: String {
        "\(kind.rawValue) \(model) at \(baseURL) (\(apiKey == nil ? "no key" : "key set"))"
    }

    /// True when no provider was configured and the local llama-server is meant.
    public var isLocalDefault: Bool { kind == .openai && baseURL == Self.localBaseURL }

    /// True when the model server runs on this machine (a loopback address): calls cost nothing
    /// but compute, and such servers (llama-server, Ollama) cache the prompt prefix requests share.
    public var isOnThisMachine: Bool {
        guard let host = URLComponents(string: baseURL)?.host?.lowercased() else { return false }
        return host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
    }

    /// The tokenizer family token estimates should imitate for this provider and model.
    public var tokenFamily: TokenEstimator.Family {
        switch kind {
        case .anthropic: return .anthropic
        case .gemini: return .gemini
        case .openai, .ollama:
            if baseURL.contains("api.openai.com") { return .openai }
            return model.lowercased().contains("smollm") ? .smollm : .generic
        }
    }

    /// Throws `ProviderError.misconfigured` for an `ASSAY_PROVIDER` it does not know, rather than
    /// quietly sending a typo's requests (and key) to the default server, and for an `ASSAY_TIMEOUT`
    /// or `ASSAY_SCHEMA_MODE` it cannot use.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> ProviderSettings {
        func value(_ name: String) -> String? {
            env[name].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        var kind = ProviderKind.openai
        if let name = value("ASSAY_PROVIDER") {
            guard let known = ProviderKind(rawValue: name.lowercased()) else {
                let names = ProviderKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw ProviderError.misconfigured("ASSAY_PROVIDER '\(name)' is not one of \(names)")
            }
            kind = known
        }
        var settings = ProviderSettings(kind: kind, baseURL: value("ASSAY_BASE_URL"), model: value("ASSAY_MODEL"))
        settings.apiKey = value("ASSAY_API_KEY") ?? kind.keyVariables(baseURL: settings.baseURL).lazy.compactMap(value).first
        if let text = value("ASSAY_TIMEOUT") {
            let seconds = try SettingCheck.seconds(text, for: "ASSAY_TIMEOUT", in: timeoutRange)
            settings.timeout = .milliseconds(Int(seconds * 1000))
        }
        if let text = value("ASSAY_SCHEMA_MODE") {
            guard let mode = SchemaMode(rawValue: text.lowercased()) else {
                let modes = SchemaMode.allCases.map(\.rawValue).joined(separator: ", ")
                throw ProviderError.misconfigured("ASSAY_SCHEMA_MODE '\(text)' is not one of \(modes)")
            }
            settings.schemaMode = mode
        }
        if let text = value("ASSAY_PROMPT_CACHE") {
            switch text.lowercased() {
            case "on", "1", "true": settings.promptCache = true
            case "off", "0", "false": settings.promptCache = false
            default: throw ProviderError.misconfigured("ASSAY_PROMPT_CACHE '\(text)' is not on or off")
            }
        }
        return settings
    }
}

/// Which API a provider speaks. `openai` is any OpenAI-compatible chat-completions server.
public enum ProviderKind: String, Sendable, Hashable, CaseIterable {
    case openai, gemini, anthropic, ollama

    /// Where requests go when `ASSAY_BASE_URL` is not set.
    public var defaultBaseURL: String {
        switch self {
        case .openai: ProviderSettings.localBaseURL
        case .gemini: "https://generativelanguage.googleapis.com/v1beta"
        case .anthropic: "https://api.anthropic.com/v1"
        case .ollama: "http://127.0.0.1:11434"
        }
    }

    /// The model used when `ASSAY_MODEL` is not set.
    public var defaultModel: String {
        switch self {
        case .openai: ProviderSettings.localModel
        case .gemini: "gemini-2.5-flash"
        case .anthropic: "claude-haiku-4-5"
        case .ollama: "llama3.1"
        }
    }

    /// The provider's own key variables, read when `ASSAY_API_KEY` is not set. A key goes only to
    /// the service it was made for: OpenAI's only to api.openai.com, a Gemini API key never to
    /// Vertex AI (which wants an access token in `ASSAY_API_KEY`).
    func keyVariables(baseURL: String) -> [String] {
        switch self {
        case .openai: baseURL.contains("api.openai.com") ? ["OPENAI_API_KEY"] : []
        case .gemini: GeminiProvider.Auth(baseURL: baseURL) == .apiKey ? ["GEMINI_API_KEY", "GOOGLE_API_KEY"] : []
        case .anthropic: ["ANTHROPIC_API_KEY"]
        case .ollama: []
        }
    }

    /// Whether a call without a key is bound to fail: hosted APIs, not local servers.
    func requiresKey(baseURL: String) -> Bool {
        switch self {
        case .openai: baseURL.contains("api.openai.com")
        case .gemini, .anthropic: true
        case .ollama: false
        }
    }
}

/// How the response schema is sent. Strict `json_schema` is right for OpenAI, vLLM, llama.cpp
/// and recent Ollama; `json_object` for servers that only know JSON mode; `none` sends no format.
public enum SchemaMode: String, Sendable, Hashable, CaseIterable {
    case jsonSchema = "json_schema"
    case jsonObject = "json_object"
    case none
}
