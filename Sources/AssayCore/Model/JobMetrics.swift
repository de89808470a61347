/// How a job used the model, stored with the job and shown by `assay status`: the numbers that
/// say whether packing pays, how often replies needed a second ask, and how slow the provider was.
public struct JobMetrics: Sendable, Hashable, Codable {
    /// Provider calls, including re-asks, retries alone and split halves.
    public var requests: Int
    public var documents: Int
    /// Second asks after an unusable reply.
    public var reasks: Int
    /// Packed requests that failed and were split in halves.
    public var splits: Int
    /// Documents missing or unusable in a packed reply, redone alone.
    public var redoneAlone: Int
    public var averageLatencyMs: Double
    public var p95LatencyMs: Double
    public var valuesStored: Int
    /// Documents that ended without a single non-null value.
    public var documentsWithoutValues: Int
    /// Calls tried again after a retryable provider error (429, 5xx, timeout).
    public var retries: Int
    /// Time calls spent waiting for the requests/tokens-per-minute budget, summed over calls.
    public var throttledMs: Double
    /// Times the circuit breaker opened because the provider kept failing.
    public var circuitOpenings: Int
    /// Documents too long for one request, and the chunks they were sent in.
    public var chunkedDocuments: Int
    public var chunks: Int
    /// Entities found, for a codebook that codes entities (nil otherwise; optional so metrics
    /// stored before entities existed still read).
    public var entities: Int?

    public init(
        requests: Int = 0, documents: Int = 0, reasks: Int = 0, splits: Int = 0, redoneAlone: Int = 0,
        averageLatencyMs: Double = 0, p95LatencyMs: Double = 0, valuesStored: Int = 0, documentsWithoutValues: Int = 0,
        retries: Int = 0, throttledMs: Double = 0, circuitOpenings: Int = 0, chunkedDocuments: Int = 0, chunks: Int = 0
    ) {
        self.chunkedDocuments = chunkedDocuments
        self.chunks = chunks
        self.requests = requests
        self.documents = documents
        self.reasks = reasks
        self.splits = splits
        self.redoneAlone = redoneAlone
        self.averageLatencyMs = averageLatencyMs
        self.p95LatencyMs = p95LatencyMs
        self.valuesStored = valuesStored
        self.documentsWithoutValues = documentsWithoutValues
        self.retries = retries
        self.throttledMs = throttledMs
        self.circuitOpenings = circuitOpenings
    }

    private enum CodingKeys: String, CodingKey {
        case requests, documents, reasks, splits, redoneAlone, averageLatencyMs, p95LatencyMs, valuesStored,
            documentsWithoutValues, retries, throttledMs, circuitOpenings, chunkedDocuments, chunks, entities
    }

    /// Metrics stored before a field existed read it as zero.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func int(_ key: CodingKeys) throws -> Int { try c.decodeIfPresent(Int.self, forKey: key) ?? 0 }
        func double(_ key: CodingKeys) throws -> Double { try c.decodeIfPresent(Double.self, forKey: key) ?? 0 }
        self.init(
            requests: try int(.requests), documents: try int(.documents), reasks: try int(.reasks),
            splits: try int(.splits), redoneAlone: try int(.redoneAlone),
            averageLatencyMs: try double(.averageLatencyMs), p95LatencyMs: try double(.p95LatencyMs),
            valuesStored: try int(.valuesStored), documentsWithoutValues: try int(.documentsWithoutValues),
            retries: try int(.retries), throttledMs: try double(.throttledMs),
            circuitOpenings: try int(.circuitOpenings), chunkedDocuments: try int(.chunkedDocuments),
            chunks: try int(.chunks))
        entities = try c.decodeIfPresent(Int.self, forKey: .entities)
    }

    public var documentsPerRequest: Double { requests == 0 ? 0 : Double(documents) / Double(requests) }
    public var valuesPerDocument: Double { documents == 0 ? 0 : Double(valuesStored) / Double(documents) }
    /// Calls one-document-per-request would have made beyond these (never negative).
    public var callsSavedByPacking: Int { max(0, documents + reasks + redoneAlone - requests) }

    /// Nearest-rank percentile of latencies in milliseconds.
    public static func percentile(_ p: Double, of latencies: [Double]) -> Double {
        guard !latencies.isEmpty else { return 0 }
        let sorted = latencies.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count, max(1, rank)) - 1]
    }
}
