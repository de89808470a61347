/// Groups short documents into requests under a token budget, so one call codes several of them.
/// A request's cost counts the fixed prompt (instructions and codebook), each document with its
/// tag, and each document's expected output. Long documents are never packed: they go alone.
public enum Packer {
    public struct Item: Sendable, Hashable {
        public var tokens: Int
        public init(tokens: Int) { self.tokens = tokens }
    }

    public struct Budget: Sendable, Hashable {
        /// Tokens a whole request may use: prompt, documents and expected output (default 8192).
        public var requestTokens: Int
        /// The instructions and codebook, sent once per request.
        public var fixedTokens: Int
        /// The reply for one document.
        public var outputTokensPerDocument: Int
        /// Documents longer than this are sent alone (default: a quarter of the request budget).
        public var longDocumentTokens: Int
        public var maxDocumentsPerRequest: Int

        public init(
            requestTokens: Int = 8192, fixedTokens: Int, outputTokensPerDocument: Int,
            longDocumentTokens: Int? = nil, maxDocumentsPerRequest: Int = 16
        ) {
            self.requestTokens = requestTokens
            self.fixedTokens = fixedTokens
            self.outputTokensPerDocument = outputTokensPerDocument
            self.longDocumentTokens = longDocumentTokens ?? requestTokens / 4
            self.maxDocumentsPerRequest = maxDocumentsPerRequest
        }

        /// The wrapper around each document: `<document id="D12">` … `</document>`.
        static let tagTokens = 12

        func cost(of item: Item) -> Int { item.tokens + Self.tagTokens + outputTokensPerDocument }
    }

    /// Batches of item indices, in input order. Each batch fits the budget, or is a single item
    /// (a document too big to share a request is still sent — alone).
    public static func pack(_ items: [Item], budget: Budget) -> [[Int]] {
        var batches: [[Int]] = []
        var current: [Int] = []
        var used = budget.fixedTokens
        for (index, item) in items.enumerated() {
            let cost = budget.cost(of: item)
            if item.tokens > budget.longDocumentTokens || budget.fixedTokens + cost > budget.requestTokens {
                batches.append([index])
                continue
            }
            if !current.isEmpty, used + cost > budget.requestTokens || current.count >= budget.maxDocumentsPerRequest {
                batches.append(current)
                current = []
                used = budget.fixedTokens
            }
            current.append(index)
            used += cost
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }

    /// Whether packing pays for a set of documents: only when at least two fit one request.
    public static func pays(_ items: [Item], budget: Budget) -> Bool {
        pack(items, budget: budget).contains { $0.count > 1 }
    }
}
