/// Token counts for budgeting and reporting before a provider gives exact usage: characters per
/// token, calibrated per tokenizer family. `assay-bench --tokenizer-url` measures the error
/// against llama-server's exact `/tokenize` (see the README's performance section).
public enum TokenEstimator {
    /// Tokenizer families and their characters per token on English prose.
    public enum Family: String, Sendable, CaseIterable {
        /// Four characters per token: the usual rule for BPE tokenizers; the default.
        case generic
        /// OpenAI's o200k/cl100k tokenizers: about four characters per token in English.
        case openai
        /// Anthropic's tokenizer counts somewhat more tokens for the same text.
        case anthropic
        /// Gemini's SentencePiece tokenizer: about four characters per token.
        case gemini
        /// SmolLM2 (the local model), measured with llama-server's /tokenize on the example documents.
        case smollm

        public var charactersPerToken: Double {
            switch self {
            case .generic, .openai, .gemini: 4.0
            case .anthropic: 3.5
            case .smollm: 4.5
            }
        }
    }

    public static func estimate(_ text: String) -> Int { estimate(text, family: .generic) }

    public static func estimate(_ text: String, family: Family) -> Int {
        estimate(characters: text.unicodeScalars.count, family: family)
    }

    /// The estimate for a text of this many Unicode scalars, when only its length is at hand.
    public static func estimate(characters: Int, family: Family = .generic) -> Int {
        characters <= 0 ? 0 : max(1, Int((Double(characters) / family.charactersPerToken).rounded(.up)))
    }

    public static func wordCount(_ text: String) -> Int {
        text.split(whereSeparator: { $0.isWhitespace || $0.isNewline }).count
    }
}
