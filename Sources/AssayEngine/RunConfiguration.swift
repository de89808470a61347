import AssayCore
import AssayProviders
import AssayStore
import Foundation

/// How jobs run, decided once from flags and the environment and used by every front end (`assay
/// run`, `assay serve`, `assay traces`): the model and its HTTP client sized to the concurrency,
/// retries and rate limits, packing where it pays, the tokenizer, time budgets and chunking.
/// Front ends only fill it in; what follows from it (the provider, the engine, a job's options)
/// is built here, so an HTTP job packs exactly as a CLI run does.
public struct RunConfiguration: Sendable {
    public var settings: ProviderSettings
    /// Requests and tokens per minute the provider allows.
    public var limits: RateLimits
    /// While the provider keeps failing, fail documents at once instead of waiting for it.
    public var failFast: Bool
    /// Documents (or packed requests) in flight at once; the HTTP pool gets as many connections.
    public var concurrency: Int
    /// Pack short documents: always (true), never (false), or where it pays (nil: on hosted APIs,
    /// when the job's documents are shorter than the shared prompt).
    public var pack: Bool?
    /// When packing: tokens one request may use, prompt, documents and expected output together.
    public var tokenBudget: Int
    public var temperature: Double
    /// Stop a job after this many documents failed in a row.
    public var maxConsecutiveFailures: Int
    /// Wall time one document may take, retries included.
    public var documentTimeout: Duration?
    /// How long documents are split; nil sends them whole.
    public var chunking: Chunker?
    /// How many times each document is coded (majority value, agreement across runs), and the
    /// temperature of the runs after the first.
    public var runs = 1
    public var variedTemperature = ExtractionEngine.Options.defaultVariedTemperature
    /// Models' prices: Assay's list prices, and the file `ASSAY_PRICES` names over them.
    public var prices = PriceTable.defaults
    /// The prices a file named (`ASSAY_PRICES`) and nothing else: they hold even for a model
    /// on this machine, which otherwise costs nothing (a mock, a proxy, a price for compute).
    public var pricesFromFile: PriceTable?
    /// Send jobs through the provider's batch API (`--batch`), and how batch mode polls.
    public var batch = false
    public var batchTiming = BatchTiming()

    public init(
        settings: ProviderSettings, limits: RateLimits = RateLimits(), failFast: Bool = false,
        concurrency: Int = 8, pack: Bool? = nil, tokenBudget: Int = 8192, temperature: Double = 0,
        maxConsecutiveFailures: Int = 10, documentTimeout: Duration? = .seconds(300), chunking: Chunker? = Chunker()
    ) {
        self.settings = settings
        self.limits = limits
        self.failFast = failFast
        self.concurrency = concurrency
        self.pack = pack
        self.tokenBudget = tokenBudget
        self.temperature = temperature
        self.maxConsecutiveFailures = maxConsecutiveFailures
        self.documentTimeout = documentTimeout
        self.chunking = chunking
    }

    /// The model and rate limits from the environment (`ASSAY_PROVIDER`, `ASSAY_BASE_URL`,
    /// `ASSAY_MODEL`, `ASSAY_RPM`, `ASSAY_TPM`, …) and the prices (`ASSAY_PRICES`, a JSON file),
    /// everything else at its default.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> RunConfiguration {
        var config = RunConfiguration(
            settings: try ProviderSettings.fromEnvironment(env), limits: try RateLimits.fromEnvironment(env))
        config.batchTiming = try BatchTiming.fromEnvironment(env)
        if let path = env["ASSAY_PRICES"], !path.isEmpty {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ProviderError.misconfigured("ASSAY_PRICES=\(path): cannot read the file")
            }
            do {
                let file = try PriceTable.loading(data, over: PriceTable([:]))
                config.pricesFromFile = file
                config.prices.prices.merge(file.prices) { $1 }
            } catch {
                throw ProviderError.misconfigured("ASSAY_PRICES=\(path): \(error)")
            }
        }
        return config
    }

    /// A model's price at the configured provider: a price file's for the model, else nothing
    /// for a server on this machine, else the table's (nil when the table has none).
    public var price: @Sendable (String) -> Price? {
        { [settings, prices, pricesFromFile] model in
            pricesFromFile?.price(for: model) ?? (settings.isOnThisMachine ? .free : prices.price(for: model))
        }
    }

    /// Packing as decided: a model server on this machine caches the prompt the requests share,
    /// so packing there only lengthens replies and is off unless asked for; elsewhere it is on
    /// where the job's documents make it pay (`PackingDecision`).
    public var packing: ExtractionEngine.Packing? {
        switch pack {
        case true?: ExtractionEngine.Packing(requestTokens: tokenBudget)
        case false?: nil
        case nil: settings.isOnThisMachine ? nil : ExtractionEngine.Packing(requestTokens: tokenBudget, onlyWhereItPays: true)
        }
    }

    /// Retries (2, 4, 8 s), circuit breaker and rate limits.
    public var guards: ProviderGuards {
        ProviderGuards(limits: limits, breaker: CircuitBreaker.Policy(waitWhenOpen: !failFast))
    }

    /// The provider without guards (wrap it with `guards`), its HTTP pool sized to the
    /// concurrency; unguarded, its reachability check fails at once instead of retrying.
    public func makeProvider() throws -> any LLMProvider & Reachable {
        try AssayProviders.makeProvider(settings, connections: concurrency)
    }

    /// A job's options: this configuration with the job's kind and documents.
    public func options(kind: JobKind = .full, selection: JobSelection = .all) -> ExtractionEngine.Options {
        var options = ExtractionEngine.Options(
            kind: kind, selection: selection, concurrency: concurrency, maxConsecutiveFailures: maxConsecutiveFailures,
            temperature: temperature, packing: packing, documentTimeBudget: documentTimeout, chunking: chunking)
        options.runs = runs
        options.variedTemperature = variedTemperature
        options.batch = batch
        return options
    }

    /// The model's own tokenizer when packing can use it (llama-server's `/tokenize`), else nil.
    public func tokenizer() async -> (any TokenCounting)? {
        guard packing != nil, settings.kind == .openai else { return nil }
        return await LlamaServerTokenizer.probe(baseURL: settings.baseURL)
    }
}

extension RunConfiguration {
    /// The engine every job of this configuration runs on: over `store`, calling `provider`
    /// (already guarded), estimating tokens as the model's family does and, when packing against
    /// llama-server, counting them exactly (`tokenizer: false` skips the probe, as a replay does).
    public func engine(store: any Store, provider: any LLMProvider, tokenizer probe: Bool = true) async -> ExtractionEngine {
        var engine = ExtractionEngine(store: store, provider: provider, tokenCounter: probe ? await tokenizer() : nil)
        engine.tokenFamily = settings.tokenFamily
        engine.modelProvider = modelProvider
        engine.prices = price
        engine.batchAPI = batchAPI
        engine.batchTiming = batchTiming
        return engine
    }

    /// A model's batch API at the configured provider (same kind, address and key).
    public var batchAPI: @Sendable (String) throws -> any BatchAPI {
        { [settings] name in
            var other = settings
            other.model = name
            return try AssayProviders.makeBatchAPI(other)
        }
    }

    /// Another model at the configured provider (same kind, address and key), guarded like the
    /// configured one: for codebooks that name models.
    public var modelProvider: @Sendable (String) throws -> any LLMProvider {
        { [settings, concurrency, guards] name in
            var other = settings
            other.model = name
            return guards.wrap(try AssayProviders.makeProvider(other, connections: concurrency))
        }
    }
}
