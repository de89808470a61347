import AssayCore
import Foundation

/// A provider's asynchronous batch API (OpenAI's `/v1/batches`, Anthropic's message batches,
/// Gemini's `batchGenerateContent`):
/// the same requests as live calls, submitted together, answered within hours at a discount.
/// Assay's `BatchingProvider` gathers a job's requests into batches through this protocol,
/// records each batch it submits, polls it and hands each reply back to the request it answers.
public protocol BatchAPI: Sendable {
    /// The model every request of a batch goes to.
    var model: String { get }
    /// The provider's name as recorded with each batch ("openai", "anthropic", "gemini").
    var providerName: String { get }
    /// How large one batch may be: requests and bytes.
    var limits: BatchLimits { get }
    /// The bytes an item adds to a batch (for the size limit).
    func size(of item: BatchItem) -> Int
    /// Submits the items as one batch and returns the provider's id for it. The batch carries
    /// `marker` where the provider keeps such a thing, so `find(marker:)` can tell later whether
    /// the provider accepted it.
    func submit(_ items: [BatchItem], marker: String) async throws -> String
    /// The provider's id of the batch submitted with this marker: what decides, after a kill
    /// between the provider's acceptance and its id being recorded (or a submission whose answer
    /// was lost), whether the batch exists, so it is neither lost nor paid for twice.
    func find(marker: String) async throws -> BatchLookup
    /// Where the batch stands.
    func status(of batchID: String) async throws -> BatchStatus
    /// Each item's result, by custom id, once the batch has ended (completed, expired,
    /// cancelled): a reply, or why there is none. Items missing from the answer were not done.
    func results(of batchID: String) async throws -> [String: BatchItemResult]
}

/// What a provider says of a batch submitted with a marker.
public enum BatchLookup: Sendable, Hashable {
    case found(String)
    case notFound
    /// The provider keeps no marker with a batch (Anthropic): nobody can tell.
    case unknown
}

extension BatchAPI {
    public func find(marker: String) async throws -> BatchLookup { .unknown }
}

/// One request of a batch, named by an id unique within the batch (the request's key).
public struct BatchItem: Sendable, Hashable {
    public var customID: String
    public var request: LLMRequest

    public init(customID: String, request: LLMRequest) {
        self.customID = customID
        self.request = request
    }
}

/// What one batch may hold. Assay stays a little under the providers' documented limits.
public struct BatchLimits: Sendable, Hashable {
    public var maxItems: Int
    public var maxBytes: Int

    public init(maxItems: Int, maxBytes: Int) {
        self.maxItems = maxItems
        self.maxBytes = maxBytes
    }

    /// OpenAI: 50,000 requests and 200 MB per input file.
    public static let openAI = BatchLimits(maxItems: 50_000, maxBytes: 190_000_000)
    /// Anthropic: 100,000 requests or 256 MB per batch.
    public static let anthropic = BatchLimits(maxItems: 100_000, maxBytes: 240_000_000)
    /// Gemini: inlined requests up to 20 MB per batch (larger ones would need a file).
    public static let gemini = BatchLimits(maxItems: 50_000, maxBytes: 19_000_000)
}

/// Where a batch stands, with its counts as the provider reports them.
public struct BatchStatus: Sendable, Hashable {
    public var state: BatchState
    public var total: Int
    public var completed: Int
    public var failed: Int
    /// Why a failed batch failed, in the provider's words.
    public var reason: String?

    public init(state: BatchState, total: Int = 0, completed: Int = 0, failed: Int = 0, reason: String? = nil) {
        self.state = state
        self.total = total
        self.completed = completed
        self.failed = failed
        self.reason = reason
    }
}

/// One item's result: the reply, or why there is none.
public enum BatchItemResult: Sendable, Hashable {
    case reply(LLMResponse)
    case failed(String)
}

/// Helpers the batch APIs share.
enum BatchWire {
    /// Reads JSON Lines, skipping blank lines; a line that is not JSON is skipped too (a cut-off
    /// last line), its items then count as not done.
    static func lines(_ text: String) -> [JSONValue] {
        text.split(whereSeparator: \.isNewline).compactMap { try? JSONValue.parse(String($0)) }
    }

    /// A results file may be large: up to 200 MB of replies for a full OpenAI batch.
    static let maxResultBytes = 512 * 1024 * 1024
}
