import Foundation

/// How much a job, or a whole project, may spend: tokens (input and output) and US dollars at
/// the models' prices. Either, both or neither; reaching one pauses the job, and raising it
/// lets the job go on.
public struct Budget: Sendable, Hashable, Codable {
    public var maxTokens: Int?
    public var maxCost: Double?

    public init(maxTokens: Int? = nil, maxCost: Double? = nil) {
        self.maxTokens = maxTokens
        self.maxCost = maxCost
    }

    public static let none = Budget()

    public var isEmpty: Bool { maxTokens == nil && maxCost == nil }

    /// The ranges a budget's limits must fall in.
    public static let tokenRange = 1...1_000_000_000_000
    public static let costRange = 0.000_001...1_000_000.0

    /// Why the spending has reached this budget, or nil while it is within it. `whose` names
    /// the budget in the reason ("the budget", "the project's budget"); `dollars` is nil when
    /// what was spent has no known price (a dollar limit then cannot be checked).
    public func reached(tokens: Int, dollars: Double?, whose: String = "the budget") -> String? {
        if let maxTokens, tokens >= maxTokens {
            return "\(whose) of \(maxTokens.grouped) tokens is spent (\(tokens.grouped) used)"
        }
        if let maxCost, let dollars, dollars >= maxCost {
            return "\(whose) of \(maxCost.dollarsText) is spent (\(dollars.dollarsText) used)"
        }
        return nil
    }

    /// "100,000 tokens and $5.00", or "no budget".
    public var text: String {
        let parts = [maxTokens.map { "\($0.grouped) tokens" }, maxCost.map(\.dollarsText)].compactMap { $0 }
        return parts.isEmpty ? "no budget" : parts.joined(separator: " and ")
    }
}
