/// Rough token counts for budgeting and reporting. About four characters per token for English
/// text with BPE tokenizers; good enough to size requests before a provider gives exact usage.
public enum TokenEstimator {
    public static func estimate(_ text: String) -> Int {
        let chars = text.unicodeScalars.count
        return chars == 0 ? 0 : max(1, (chars + 3) / 4)
    }

    public static func wordCount(_ text: String) -> Int {
        text.split(whereSeparator: { $0.isWhitespace || $0.isNewline }).count
    }
}
