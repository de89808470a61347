import Foundation

/// What a model charges, in US dollars per million tokens.
public struct Price: Sendable, Hashable, Codable {
    public var input: Double
    public var output: Double
    /// Input tokens the provider served from its prompt cache; nil when it has no such price.
    public var cachedInput: Double?
    /// The share of the price the provider's batch API charges (0.5: half price).
    public var batch: Double

    public init(input: Double, output: Double, cachedInput: Double? = nil, batch: Double = 0.5) {
        self.input = input
        self.output = output
        self.cachedInput = cachedInput
        self.batch = batch
    }

    enum CodingKeys: String, CodingKey {
        case input, output, batch
        case cachedInput = "cached_input"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        input = try c.decode(Double.self, forKey: .input)
        output = try c.decode(Double.self, forKey: .output)
        cachedInput = try c.decodeIfPresent(Double.self, forKey: .cachedInput)
        batch = try c.decodeIfPresent(Double.self, forKey: .batch) ?? 0.5
        for (name, value) in [("input", input), ("output", output), ("cached_input", cachedInput ?? 0), ("batch", batch)]
        where !value.isFinite || value < 0 || value > 10_000 {
            throw DecodingError.dataCorruptedError(
                forKey: .input, in: c, debugDescription: "\(name) must be a price from 0 to 10000 dollars per million tokens")
        }
    }

    /// Dollars for these tokens.
    public func dollars(inputTokens: Int, outputTokens: Int, cachedTokens: Int = 0) -> Double {
        let uncached = max(0, inputTokens - cachedTokens)
        let cached = Double(cachedTokens) * (cachedInput ?? input)
        return (Double(uncached) * input + cached + Double(outputTokens) * output) / 1_000_000
    }

    /// The price through the provider's batch API.
    public var batched: Price {
        Price(input: input * batch, output: output * batch, cachedInput: cachedInput.map { $0 * batch }, batch: 1)
    }

    /// "$0.15 in, $0.60 out per million tokens".
    public var text: String {
        func money(_ value: Double) -> String { String(format: value < 0.01 && value > 0 ? "$%.4f" : "$%.2f", value) }
        return "\(money(input)) in, \(money(output)) out per million tokens"
    }

    /// The highest of each price among these (nil for none): an upper bound on what tokens cost
    /// when it is not known which of the models spent them.
    public static func dearest(_ prices: [Price]) -> Price? {
        guard let first = prices.first else { return nil }
        return prices.dropFirst().reduce(first) { a, b in
            Price(
                input: max(a.input, b.input), output: max(a.output, b.output),
                cachedInput: max(a.cachedInput ?? a.input, b.cachedInput ?? b.input), batch: max(a.batch, b.batch))
        }
    }

    /// A model on this machine: compute, not money.
    public static let free = Price(input: 0, output: 0, cachedInput: 0, batch: 1)
}

/// Prices per model: list prices shipped with Assay (`defaults`, as of `defaultsAsOf`), which a
/// JSON file can extend or override (`ASSAY_PRICES`): `{"gpt-4o-mini": {"input": 0.15, "output":
/// 0.6, "cached_input": 0.075}}`. A model matches the longest name that begins it, whatever the
/// case, so `gpt-4o-mini-2024-07-18` takes `gpt-4o-mini`'s price and `gpt-4o` does not.
public struct PriceTable: Sendable, Hashable {
    public var prices: [String: Price]

    public init(_ prices: [String: Price]) { self.prices = prices }

    public static let defaultsAsOf = "2025-06"

    /// Providers' published list prices (standard tier, US dollars per million tokens).
    public static let defaults = PriceTable([
        // OpenAI
        "gpt-4o": Price(input: 2.5, output: 10, cachedInput: 1.25),
        "gpt-4o-mini": Price(input: 0.15, output: 0.6, cachedInput: 0.075),
        "gpt-4.1": Price(input: 2, output: 8, cachedInput: 0.5),
        "gpt-4.1-mini": Price(input: 0.4, output: 1.6, cachedInput: 0.1),
        "gpt-4.1-nano": Price(input: 0.1, output: 0.4, cachedInput: 0.025),
        "o4-mini": Price(input: 1.1, output: 4.4, cachedInput: 0.275),
        "o3": Price(input: 2, output: 8, cachedInput: 0.5),
        // Anthropic (cached input: a cache read)
        "claude-opus-4": Price(input: 15, output: 75, cachedInput: 1.5),
        "claude-sonnet-4": Price(input: 3, output: 15, cachedInput: 0.3),
        "claude-3-7-sonnet": Price(input: 3, output: 15, cachedInput: 0.3),
        "claude-3-5-sonnet": Price(input: 3, output: 15, cachedInput: 0.3),
        "claude-3-5-haiku": Price(input: 0.8, output: 4, cachedInput: 0.08),
        // Claude Haiku 4.5 (October 2025): Assay's default Anthropic model.
        "claude-haiku-4": Price(input: 1, output: 5, cachedInput: 0.1),
        // Google (prompts up to 200,000 tokens)
        "gemini-2.5-pro": Price(input: 1.25, output: 10, cachedInput: 0.31),
        "gemini-2.5-flash": Price(input: 0.3, output: 2.5, cachedInput: 0.075),
        "gemini-2.5-flash-lite": Price(input: 0.1, output: 0.4, cachedInput: 0.025),
        "gemini-2.0-flash": Price(input: 0.1, output: 0.4, cachedInput: 0.025),
    ])

    /// The price of `model`, or nil when no name in the table begins it.
    public func price(for model: String) -> Price? {
        let name = model.lowercased().split(separator: "/").last.map(String.init) ?? model.lowercased()
        return prices.filter { name.hasPrefix($0.key.lowercased()) }.max { $0.key.count < $1.key.count }?.value
    }

    /// The defaults with a file's prices over them. Throws a readable error for a bad file.
    public static func loading(_ data: Data, over base: PriceTable = .defaults) throws -> PriceTable {
        guard data.count <= 1 << 20 else { throw PriceFileError("the price file is over 1 MB") }
        let prices: [String: Price]
        do {
            prices = try JSONDecoder().decode([String: Price].self, from: data)
        } catch let error as DecodingError {
            throw PriceFileError("not a price table: \(error.readable)")
        } catch {
            throw PriceFileError("not JSON: \(error.localizedDescription)")
        }
        var table = base
        for (model, price) in prices { table.prices[model] = price }
        return table
    }
}

public struct PriceFileError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

extension DecodingError {
    /// The problem and where, in a sentence.
    var readable: String {
        switch self {
        case .dataCorrupted(let context), .keyNotFound(_, let context), .typeMismatch(_, let context),
            .valueNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return (path.isEmpty ? "" : "\(path): ") + context.debugDescription
        @unknown default: return "\(self)"
        }
    }
}

extension Double {
    /// Dollars as people read them: "$12.40", "$0.0042", "$0".
    public var dollarsText: String {
        if self == 0 { return "$0" }
        if self >= 1 { return String(format: "$%.2f", self) }
        return String(format: "$%.4f", self)
    }
}

extension Int {
    /// 41000 as "41,000": token counts read at a glance.
    public var grouped: String {
        let digits = String(magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (self < 0 ? "-" : "") + out
    }
}
