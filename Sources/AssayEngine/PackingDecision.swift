import AssayCore

/// Whether packing several documents into one request pays for a job. Packing saves the shared
/// prompt (system text and codebook) that every single request repeats, and the per-call overhead;
/// it pays when that prompt is at least as long as a typical document and at least two documents
/// fit in a request. Long documents gain little (the prompt is a small share of each request) and
/// a packed reply is longer and harder for a model to get right, so then each goes alone.
public struct PackingDecision: Sendable, Hashable {
    public var pays: Bool
    /// In words, with the numbers it was decided on (shown in the job's events).
    public var reason: String

    public init(
        _ documents: [WorkItem], sharedPromptTokens: Int, outputTokensPerDocument: Int,
        packing: ExtractionEngine.Packing, family: TokenEstimator.Family = .generic
    ) {
        guard documents.count >= 2 else {
            self.init(pays: false, reason: "fewer than two documents")
            return
        }
        let average = documents.reduce(0) { $0 + TokenEstimator.estimate(characters: $1.characters, family: family) } / documents.count
        let room = packing.requestTokens - sharedPromptTokens - 64
        let perRequest = min(packing.maxDocumentsPerRequest, room / max(1, average + outputTokensPerDocument))
        if perRequest < 2 {
            self.init(
                pays: false,
                reason: "only \(max(0, perRequest)) document of ~\(average) tokens fits the \(packing.requestTokens)-token budget")
        } else if sharedPromptTokens < average {
            self.init(
                pays: false, reason: "documents (~\(average) tokens) are longer than the shared prompt (~\(sharedPromptTokens) tokens)")
        } else {
            self.init(
                pays: true,
                reason: "up to \(perRequest) documents of ~\(average) tokens per request share a ~\(sharedPromptTokens)-token prompt")
        }
    }

    public init(pays: Bool, reason: String) {
        self.pays = pays
        self.reason = reason
    }
}
