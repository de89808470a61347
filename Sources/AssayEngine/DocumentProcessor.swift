import AssayCore
import AssayProviders
import Foundation
import Tracing

/// Turns one document into a `DocumentResult`: one request for every variable, parse and
/// validate the reply, ask once more if it is unusable, then coerce, check and ground each value.
/// It never throws for a bad document or reply — those become recorded failures — only for cancellation.
struct DocumentProcessor: Sendable {
    let provider: any LLMProvider
    let prompt: ExtractionPrompt
    let codebookVersion: Int
    let temperature: Double
    /// The sampling seed of this processor's requests; nil sends none.
    let seed: Int?
    /// Recorded with every value: how the model was asked.
    let settings: ModelSettings
    let maxTokens: Int
    let recorder: MetricsRecorder
    /// Wall time one document may take, retries and re-ask included; nil for no limit. A
    /// chunked document gets it once per chunk.
    let timeBudget: Duration?
    /// How documents longer than the model should see at once are split; nil sends them whole.
    let chunker: Chunker?
    /// The model's price (the batch price in batch mode), so each result carries its cost; nil
    /// when unknown.
    let price: Price?
    /// Where the requests' spans go; nil for the process's tracer.
    let tracer: (any Tracer)?

    init(
        provider: any LLMProvider, prompt: ExtractionPrompt, codebookVersion: Int, temperature: Double = 0, maxTokens: Int? = nil,
        recorder: MetricsRecorder = MetricsRecorder(), timeBudget: Duration? = nil, chunker: Chunker? = nil, seed: Int? = nil,
        settings: ModelSettings? = nil, price: Price? = nil, tracer: (any Tracer)? = nil
    ) {
        self.tracer = tracer
        self.price = price
        self.seed = seed
        self.settings = settings ?? ModelSettings(temperature: temperature)
        self.chunker = chunker
        self.recorder = recorder
        self.timeBudget = timeBudget
        self.provider = provider
        self.prompt = prompt
        self.codebookVersion = codebookVersion
        self.temperature = temperature
        self.maxTokens = maxTokens ?? ExtractionSchema.maxOutputTokens(for: prompt.codebook)
    }

    /// A document that failed: why, the reply that could not be used (kept as a hash and a
    /// redacted excerpt), and the tokens spent on it.
    func failed(
        _ document: Document, jobID: Int64, _ kind: ErrorKind, _ reason: String, reply: String? = nil, usage: TokenUsage
    ) -> DocumentResult {
        let record = ErrorRecord(
            jobID: jobID, documentID: document.id, kind: kind, reason: reason,
            responseHash: reply.map { Hashing.sha256($0) }, excerpt: reply.map { Excerpt.redacted($0) })
        var result = DocumentResult(
            jobID: jobID, documentID: document.id, codebookVersion: codebookVersion,
            contentHash: document.contentHash, outcome: .failed, extractions: [], errors: [record],
            tokensIn: usage.promptTokens, tokensOut: usage.completionTokens)
        charge(usage, to: &result)
        result.reply = reply
        return result
    }

    func process(_ document: Document, jobID: Int64) async throws -> DocumentResult {
        if let identification = prompt.identification {
            return try await processEntities(document, jobID: jobID, identification: identification)
        }
        var usage = TokenUsage()
        func failed(_ kind: ErrorKind, _ reason: String, reply: String? = nil) -> DocumentResult {
            self.failed(document, jobID: jobID, kind, reason, reply: reply, usage: usage)
        }

        let chunks = chunker?.chunks(document.text) ?? []
        let exchange: Exchange?
        do {
            if chunks.count > 1 {
                exchange = try await TimeBudget.run(timeBudget.map { $0 * chunks.count }) {
                    try await self.ask(chunks, of: document)
                }
            } else {
                let messages = prompt.messages(for: document.text, title: document.title)
                exchange = try await TimeBudget.run(timeBudget) { try await self.ask(messages, about: document.id) }
            }
        } catch let error as ProviderError {
            return failed(error.errorKind, error.description)
        }
        guard let exchange else {
            return failed(
                .timeout,
                "no usable reply within the time budget of \(budgetText) per document"
                    + (chunks.count > 1 ? " part (\(chunks.count) parts)" : ""))
        }
        usage = exchange.usage
        let parsed: ParsedReply
        switch exchange.reply {
        case .parsed(let reply): parsed = reply
        case .unusable(let kind, let reason, let text): return failed(kind, reason, reply: text)
        }

        var result = result(from: parsed, document: document, jobID: jobID, usage: usage)
        result.reply = exchange.text
        return result
    }

    var budgetText: String { timeBudget.map { "\($0.components.seconds) s" } ?? "" }

    /// What asking the model about one document came to: a usable reply or why not, and the
    /// tokens it cost.
    struct Exchange: Sendable {
        enum Reply: Sendable {
            case parsed(ParsedReply)
            case unusable(ErrorKind, String, reply: String)
        }
        var reply: Reply
        var usage: TokenUsage
        /// The model's last raw reply (of the last part, for a chunked document).
        var text: String?
    }

    /// Asks, parses and validates; asks once more, saying what was wrong, if the reply is unusable.
    func ask(_ messages: [ChatMessage], about document: Int64) async throws -> Exchange {
        let first = try await call(messages, about: document, attempt: 1)
        do {
            return Exchange(reply: .parsed(try ResponseParser.parse(first.text, prompt: prompt)), usage: first.usage, text: first.text)
        } catch let problem {
            try Task.checkCancellation()
            await recorder.reask()
            let retry = try await call(
                prompt.retryMessages(after: messages, reply: first.text, problem: problem.description), about: document, attempt: 2)
            let usage = first.usage + retry.usage
            do {
                return Exchange(reply: .parsed(try ResponseParser.parse(retry.text, prompt: prompt)), usage: usage, text: retry.text)
            } catch let again {
                return Exchange(
                    reply: .unusable(again.kind, "reply unusable after one retry: \(again.description)", reply: retry.text),
                    usage: usage, text: retry.text)
            }
        }
    }

    /// Asks about each chunk in turn and merges the answers (`ChunkMerge`); the document fails
    /// with the first part that stays unusable.
    private func ask(_ chunks: [Chunker.Chunk], of document: Document) async throws -> Exchange {
        var replies: [ParsedReply] = []
        var usage = TokenUsage()
        var text: String?
        for (index, chunk) in chunks.enumerated() {
            try Task.checkCancellation()
            let part = "part \(index + 1) of \(chunks.count)"
            let title = document.title.map { "\($0) (\(part))" } ?? part
            let exchange = try await ask(prompt.messages(for: chunk.text, title: title), about: document.id)
            usage = usage + exchange.usage
            text = exchange.text
            switch exchange.reply {
            case .parsed(let reply): replies.append(reply)
            case .unusable(let kind, let reason, let text):
                return Exchange(reply: .unusable(kind, "\(part): \(reason)", reply: text), usage: usage, text: text)
            }
        }
        await recorder.chunked(parts: chunks.count)
        let merged = ChunkMerge.merge(replies, codebook: prompt.codebook, documentText: document.text)
        return Exchange(reply: .parsed(merged), usage: usage, text: text)
    }

    /// The stored form of a usable reply: coerced, checked and grounded values.
    func result(from parsed: ParsedReply, document: Document, jobID: Int64, usage: TokenUsage) -> DocumentResult {
        let values = ValuePostProcessor.process(parsed, codebook: prompt.codebook, documentText: document.text)
        let extractions = values.filter { !$0.skipped }.map { value in
            Extraction(
                documentID: document.id, variable: value.variable, value: value.value,
                confidence: value.confidence, evidence: value.evidence, rationale: value.rationale,
                status: value.status, error: value.note, codebookVersion: codebookVersion,
                promptHash: prompt.hash, model: provider.model, jobID: jobID, settings: settings)
        }
        let needsReview = extractions.contains { $0.status == .flagged || $0.status == .failed }
        var result = DocumentResult(
            jobID: jobID, documentID: document.id, codebookVersion: codebookVersion,
            contentHash: document.contentHash, outcome: needsReview ? .flagged : .succeeded,
            extractions: extractions, errors: [], tokensIn: usage.promptTokens, tokensOut: usage.completionTokens)
        charge(usage, to: &result)
        return result
    }

    /// The result's cached tokens and, at the model's price, its cost.
    func charge(_ usage: TokenUsage, to result: inout DocumentResult) {
        result.tokensCached = usage.cachedPromptTokens
        result.cost = price.map { usage.dollars(at: $0) }
    }

    private func call(_ messages: [ChatMessage], about document: Int64, attempt: Int) async throws -> LLMResponse {
        try await call(messages, schema: prompt.schema, maxTokens: maxTokens, schemaID: prompt.hash, about: [document], attempt: attempt)
    }

    /// `schemaID` names a schema that stays the same across requests (the prompt's own), so the
    /// provider serializes it once; a packed request's schema is made for that request.
    /// `documents` and `attempt` (1, or 2 for the re-ask) label the request's span.
    func call(
        _ messages: [ChatMessage], schema: JSONValue, maxTokens: Int, schemaID: String? = nil, about documents: [Int64], attempt: Int
    ) async throws -> LLMResponse {
        var request = LLMRequest(
            messages: messages, responseSchema: schema, temperature: temperature, maxTokens: maxTokens, schemaID: schemaID,
            seed: seed)
        request.sharedPrefix = prompt.codebookSection + "\n\n"
        return try await JobSpans.request(Telemetry.tracer(tracer), provider: provider, documents: documents, attempt: attempt) {
            let clock = ContinuousClock()
            let started = clock.now
            var response: LLMResponse
            do {
                response = try await provider.complete(request)
                await recorder.request(latency: clock.now - started)
            } catch {
                // Failed calls count too: they cost time and, often, money.
                await recorder.request(latency: clock.now - started)
                throw error
            }
            // Some servers report no usage; estimate so token totals are never silently zero.
            if response.usage.promptTokens == 0 {
                response.usage.promptTokens = TokenEstimator.estimate(messages.map(\.content).joined(separator: "\n"))
            }
            if response.usage.completionTokens == 0 {
                response.usage.completionTokens = TokenEstimator.estimate(response.text)
            }
            return response
        }
    }
}
