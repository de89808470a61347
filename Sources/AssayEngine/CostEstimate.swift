import AssayCore
import Foundation

/// What a job will cost before it starts: requests and tokens, from the documents' lengths, the
/// shared prompt, the packing decided and the number of runs. An estimate: re-asks, retries and
/// the model's actual reply lengths come on top or below; the run summary says what it cost.
public struct CostEstimate: Sendable, Hashable, Codable {
    public var documents: Int
    public var runs: Int
    public var requests: Int
    public var inputTokens: Int
    /// At most this many output tokens: every reply as long as the schema allows.
    public var maxOutputTokens: Int
    /// An entity project's documents take one more request per entity found, not counted here.
    public var perEntity = false
    /// At most this many US dollars (every reply as long as allowed), when every model's price is known.
    public var maxCost: Double?

    public init(documents: Int = 0, runs: Int = 1, requests: Int = 0, inputTokens: Int = 0, maxOutputTokens: Int = 0) {
        self.documents = documents
        self.runs = runs
        self.requests = requests
        self.inputTokens = inputTokens
        self.maxOutputTokens = maxOutputTokens
    }

    enum CodingKeys: String, CodingKey {
        case documents, runs, requests
        case inputTokens = "input_tokens"
        case maxOutputTokens = "max_output_tokens"
        case perEntity = "per_entity"
        case maxCost = "max_cost_usd"
    }

    /// One line: "60 requests (20 documents × 3 runs), ~41,000 input tokens, at most 9,000 output tokens".
    public var summary: String {
        var text = "\(requests.grouped) requests"
        if runs > 1 { text += " (\(documents.grouped) documents × \(runs) runs)" }
        text += ", ~\(inputTokens.grouped) input tokens, at most \(maxOutputTokens.grouped) output tokens"
        if perEntity { text += ", plus one request per entity found" }
        if let maxCost { text += ", at most \(maxCost.dollarsText)" }
        return text
    }

    /// One run's requests and tokens: one request per batch (a packed request's documents, or a
    /// document alone), one per chunk for a long document; every request repeats the shared prompt.
    static func onePass(
        _ batches: some Sequence<[WorkItem]>, sharedPromptTokens: Int, outputTokensPerDocument: Int, chunking: Chunker?,
        family: TokenEstimator.Family
    ) -> CostEstimate {
        var estimate = CostEstimate()
        for batch in batches {
            let tokens = batch.map { TokenEstimator.estimate(characters: $0.characters, family: family) }
            var requests = 1
            if batch.count == 1, let chunking, chunking.needsChunking(characters: batch[0].characters) {
                let step = max(1, chunking.chunkTokens - chunking.overlapTokens)
                requests = max(1, (tokens[0] - chunking.overlapTokens + step - 1) / step)
            }
            estimate.documents += batch.count
            estimate.requests += requests
            // Chunks overlap: those tokens go twice.
            let overlap = (requests - 1) * (chunking?.overlapTokens ?? 0)
            estimate.inputTokens += requests * sharedPromptTokens + tokens.reduce(0, +) + overlap
            estimate.maxOutputTokens += requests * outputTokensPerDocument * batch.count
        }
        return estimate
    }

    /// `passes` passes of this one (runs, and a request per model within a run): the requests and
    /// tokens multiply; the cost, priced per pass, stays as it is.
    func times(_ passes: Int) -> CostEstimate {
        var total = self
        total.requests *= passes
        total.inputTokens *= passes
        total.maxOutputTokens *= passes
        return total
    }
}
