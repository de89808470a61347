import Foundation

/// What a project's jobs spent: tokens and, where the models' prices were known, US dollars.
public struct Spending: Sendable, Hashable, Codable {
    public var tokensIn: Int
    public var tokensOut: Int
    /// Of `tokensIn`, those served from the provider's prompt cache.
    public var tokensCached: Int
    /// Every job's cost together (re-runs included); nil when no price was known.
    public var cost: Double?
    /// The mean cost of a coded document's last run; nil when none had a price.
    public var costPerDocument: Double?

    public init(tokensIn: Int = 0, tokensOut: Int = 0, tokensCached: Int = 0, cost: Double? = nil, costPerDocument: Double? = nil) {
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.tokensCached = tokensCached
        self.cost = cost
        self.costPerDocument = costPerDocument
    }

    /// The share of input tokens the provider's prompt cache served (0 with none).
    public var cachedShare: Double { tokensIn > 0 ? Double(tokensCached) / Double(tokensIn) : 0 }
}
