import AssayCore
import Foundation
import Testing

/// Prices per model: the longest name that begins the model's, a file over the defaults, dollars.
struct PriceTableTests {
    @Test func aModelTakesTheLongestNameThatBeginsIt() throws {
        let table = PriceTable.defaults
        #expect(table.price(for: "gpt-4o-mini-2024-07-18")?.input == 0.15)
        #expect(table.price(for: "gpt-4o-2024-08-06")?.input == 2.5)
        #expect(table.price(for: "GPT-4.1-nano")?.output == 0.4)
        // A router's provider prefix is not part of the model's name.
        #expect(table.price(for: "openai/gpt-4o-mini")?.input == 0.15)
        #expect(table.price(for: "claude-sonnet-4-20250514")?.cachedInput == 0.3)
        #expect(table.price(for: "SmolLM2-135M-Instruct") == nil)
    }

    @Test func dollarsCountCachedInputAtItsOwnPrice() {
        let price = Price(input: 2, output: 8, cachedInput: 0.5)
        #expect(price.dollars(inputTokens: 1_000_000, outputTokens: 500_000) == 6)
        // 400,000 of the million input tokens from the cache: 0.6 × 2 + 0.4 × 0.5 + 4.
        #expect(abs(price.dollars(inputTokens: 1_000_000, outputTokens: 500_000, cachedTokens: 400_000) - 5.4) < 1e-12)
        #expect(Price.free.dollars(inputTokens: 9_999, outputTokens: 9_999) == 0)
        #expect(0.0042.dollarsText == "$0.0042" && 12.4.dollarsText == "$12.40" && 0.0.dollarsText == "$0")
        #expect(Price(input: 0.15, output: 0.6).text == "$0.15 in, $0.60 out per million tokens")
    }

    @Test func aFileAddsAndOverridesPrices() throws {
        let table = try PriceTable.loading(
            Data(#"{"gpt-4o-mini": {"input": 0.1, "output": 0.5}, "my-model": {"input": 1, "output": 2, "batch": 1}}"#.utf8))
        #expect(table.price(for: "gpt-4o-mini") == Price(input: 0.1, output: 0.5))
        #expect(table.price(for: "my-model-v2")?.batch == 1)
        #expect(table.price(for: "gpt-4.1")?.input == 2)
    }

    @Test(arguments: [
        (#"{"m": {"input": -1, "output": 2}}"#, "input must be a price from 0 to 10000 dollars per million tokens"),
        (#"{"m": {"input": 1}}"#, "m"),
        (#"["m"]"#, "not a price table"),
        ("{", "not valid JSON"),
    ])
    func aBadFileSaysWhatIsWrong(text: String, says: String) {
        #expect {
            _ = try PriceTable.loading(Data(text.utf8))
        } throws: { error in
            "\(error)".contains(says)
        }
    }
}
