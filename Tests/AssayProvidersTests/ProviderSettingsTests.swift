import AssayCore
import Testing

@testable import AssayProviders

@Suite struct ProviderSettingsTests {
    @Test func nothingSetMeansTheLocalServer() throws {
        let settings = try ProviderSettings.fromEnvironment([:])
        #expect(settings.kind == .openai)
        #expect(settings.isLocalDefault)
        #expect(settings.apiKey == nil)
        #expect(try makeProvider(settings) is OpenAICompatibleProvider)
    }

    /// Packing's default hangs on this: a server on a loopback address is on this machine.
    @Test func aLoopbackServerIsOnThisMachine() throws {
        for url in ["http://127.0.0.1:8088/v1", "http://localhost:11434", "http://[::1]:8000/v1", "http://127.0.1.1/v1"] {
            #expect(try ProviderSettings.fromEnvironment(["ASSAY_BASE_URL": url]).isOnThisMachine, "\(url)")
        }
        for url in ["https://api.openai.com/v1", "http://gpu-box:8000/v1", "http://models.example.com/v1"] {
            #expect(try !ProviderSettings.fromEnvironment(["ASSAY_BASE_URL": url]).isOnThisMachine, "\(url)")
        }
        #expect(try !ProviderSettings.fromEnvironment(["ASSAY_PROVIDER": "gemini", "GEMINI_API_KEY": "k"]).isOnThisMachine)
    }

    @Test func eachProviderGetsItsDefaultsAndItsOwnKey() throws {
        let gemini = try ProviderSettings.fromEnvironment(["ASSAY_PROVIDER": "gemini", "GEMINI_API_KEY": "g1", "ANTHROPIC_API_KEY": "a1"])
        #expect(gemini.kind == .gemini)
        #expect(gemini.baseURL == "https://generativelanguage.googleapis.com/v1beta")
        #expect(gemini.model == ProviderKind.gemini.defaultModel)
        #expect(gemini.apiKey == "g1")
        #expect(try makeProvider(gemini) is GeminiProvider)

        let google = try ProviderSettings.fromEnvironment(["ASSAY_PROVIDER": "gemini", "GOOGLE_API_KEY": "g2"])
        #expect(google.apiKey == "g2")

        let anthropic = try ProviderSettings.fromEnvironment([
            "ASSAY_PROVIDER": " Anthropic ", "ANTHROPIC_API_KEY": "a1",
            "ASSAY_MODEL": "claude-x", "OPENAI_API_KEY": "o1",
        ])
        #expect(anthropic.kind == .anthropic)
        #expect(anthropic.model == "claude-x")
        #expect(anthropic.apiKey == "a1")
        #expect(try makeProvider(anthropic) is AnthropicProvider)

        let ollama = try ProviderSettings.fromEnvironment(["ASSAY_PROVIDER": "ollama", "OPENAI_API_KEY": "o1"])
        #expect(ollama.baseURL == "http://127.0.0.1:11434")
        #expect(ollama.apiKey == nil)
        #expect(try makeProvider(ollama) is OllamaProvider)
    }

    @Test func assayKeyAndURLWin() throws {
        let settings = try ProviderSettings.fromEnvironment([
            "ASSAY_PROVIDER": "anthropic", "ASSAY_API_KEY": "mine", "ANTHROPIC_API_KEY": "theirs",
            "ASSAY_BASE_URL": "https://proxy.example/v1", "ASSAY_TIMEOUT": "7",
        ])
        #expect(settings.apiKey == "mine")
        #expect(settings.baseURL == "https://proxy.example/v1")
        #expect(settings.timeout == .seconds(7))
    }

    @Test func keysGoOnlyWhereTheyBelong() throws {
        // OpenAI's key is for api.openai.com, not for whatever server ASSAY_BASE_URL names.
        let local = try ProviderSettings.fromEnvironment(["OPENAI_API_KEY": "o1", "ASSAY_BASE_URL": "http://gpu:8000/v1"])
        #expect(local.apiKey == nil)
        let openai = try ProviderSettings.fromEnvironment(["OPENAI_API_KEY": "o1", "ASSAY_BASE_URL": "https://api.openai.com/v1"])
        #expect(openai.apiKey == "o1")
        // Vertex AI wants an access token, so a Gemini API key is not sent there.
        let vertex = try ProviderSettings.fromEnvironment([
            "ASSAY_PROVIDER": "gemini", "GEMINI_API_KEY": "g1",
            "ASSAY_BASE_URL": "https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/publishers/google",
        ])
        #expect(vertex.apiKey == nil)
    }

    @Test func anUnknownProviderIsAnErrorThatListsTheChoices() {
        let error = #expect(throws: ProviderError.self) { try ProviderSettings.fromEnvironment(["ASSAY_PROVIDER": "gemnii"]) }
        #expect(error == .misconfigured("ASSAY_PROVIDER 'gemnii' is not one of openai, gemini, anthropic, ollama"))
        #expect(error?.isRetryable == false)
    }

    @Test func aMissingKeyNamesTheVariableToSet() throws {
        func message(_ env: [String: String]) throws -> String? {
            let settings = try ProviderSettings.fromEnvironment(env)
            let error = #expect(throws: ProviderError.self) { try makeProvider(settings) }
            return error?.description
        }
        let anthropic = try message(["ASSAY_PROVIDER": "anthropic"])
        #expect(anthropic?.contains("set ANTHROPIC_API_KEY or ASSAY_API_KEY") == true)
        let gemini = try message(["ASSAY_PROVIDER": "gemini"])
        #expect(gemini?.contains("set GEMINI_API_KEY or GOOGLE_API_KEY or ASSAY_API_KEY") == true)
        let openai = try message(["ASSAY_BASE_URL": "https://api.openai.com/v1"])
        #expect(openai?.contains("set OPENAI_API_KEY or ASSAY_API_KEY") == true)
        let vertex = try message(["ASSAY_PROVIDER": "gemini", "ASSAY_BASE_URL": "https://europe-west4-aiplatform.googleapis.com/v1"])
        #expect(vertex?.contains("access token") == true)
    }

    @Test func theKeyIsNeverPrinted() {
        let settings = ProviderSettings(kind: .anthropic, apiKey: "sk-ant-secret")
        #expect(!settings.description.contains("secret"))
        #expect(settings.description.contains("key set"))
        #expect(!"\(settings)".contains("secret"))
    }
}

@Suite struct TokenFamilyTests {
    @Test func eachProviderEstimatesLikeItsTokenizer() throws {
        #expect(try ProviderSettings.fromEnvironment([:]).tokenFamily == .smollm)  // the local model
        #expect(try ProviderSettings.fromEnvironment(["ASSAY_PROVIDER": "anthropic", "ANTHROPIC_API_KEY": "k"]).tokenFamily == .anthropic)
        #expect(try ProviderSettings.fromEnvironment(["ASSAY_PROVIDER": "gemini", "GEMINI_API_KEY": "k"]).tokenFamily == .gemini)
        #expect(
            try ProviderSettings.fromEnvironment(["ASSAY_BASE_URL": "https://api.openai.com/v1", "OPENAI_API_KEY": "k"]).tokenFamily
                == .openai)
        #expect(
            try ProviderSettings.fromEnvironment(["ASSAY_BASE_URL": "http://gpu:8000/v1", "ASSAY_MODEL": "Qwen"]).tokenFamily == .generic)
    }

    /// ASSAY_TIMEOUT=-1 used to be accepted: every request then timed out at once and the run
    /// still exited 0. Infinity and huge values crashed converting to milliseconds.
    @Test(arguments: ["-1", "0", "0.5", "3601", "1e300", "inf", "nan", "abc", "12s"])
    func aTimeoutOutsideItsRangeIsRefused(_ value: String) {
        let error = #expect(throws: ProviderError.self) { try ProviderSettings.fromEnvironment(["ASSAY_TIMEOUT": value]) }
        #expect(error == .misconfigured("ASSAY_TIMEOUT must be a number of seconds from 1 to 3600 (got '\(value)')"))
    }

    @Test func timeoutsInRangeAreKept() throws {
        #expect(try ProviderSettings.fromEnvironment(["ASSAY_TIMEOUT": "600"]).timeout == .seconds(600))
        #expect(try ProviderSettings.fromEnvironment(["ASSAY_TIMEOUT": " 2.5 "]).timeout == .milliseconds(2500))
        #expect(try ProviderSettings.fromEnvironment(["ASSAY_TIMEOUT": ""]).timeout == .seconds(120))
    }

    @Test func anUnknownSchemaModeIsRefused() throws {
        #expect(throws: ProviderError.misconfigured("ASSAY_SCHEMA_MODE 'jsonschema' is not one of json_schema, json_object, none")) {
            try ProviderSettings.fromEnvironment(["ASSAY_SCHEMA_MODE": "jsonschema"])
        }
        #expect(try ProviderSettings.fromEnvironment(["ASSAY_SCHEMA_MODE": "JSON_OBJECT"]).schemaMode == .jsonObject)
    }

    /// A typo in a rate limit used to mean no limit at all.
    @Test func rateLimitsFromTheEnvironmentAreChecked() throws {
        #expect(try RateLimits.fromEnvironment([:]).isUnlimited)
        let limits = try RateLimits.fromEnvironment(["ASSAY_RPM": "500", "ASSAY_TPM": "200000"])
        #expect(limits.requestsPerMinute == 500 && limits.tokensPerMinute == 200_000)
        for (name, value) in [
            ("ASSAY_RPM", "5OO"), ("ASSAY_RPM", "0"), ("ASSAY_RPM", "-3"), ("ASSAY_TPM", "1.5"), ("ASSAY_TPM", "99999999999"),
        ] {
            let error = #expect(throws: ProviderError.self) { try RateLimits.fromEnvironment([name: value]) }
            guard case .misconfigured(let why)? = error else { continue }
            #expect(why.hasPrefix("\(name) must be a whole number from 1 to "), "\(why)")
            #expect(why.hasSuffix("(got '\(value)')"), "\(why)")
        }
    }
}
