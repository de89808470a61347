import AssayCore
import Foundation

/// Size rules for turning a trace into the text a model reads, and thresholds for the signals
/// read from it. The defaults are the documented ones (docs/FAILURE_TAXONOMY.md): errors sit at
/// the end of logs, so an oversized payload keeps its tail.
public struct TraceLimits: Sendable, Hashable {
    /// A rendered trace longer than this (UTF-8 bytes) is cut. Default 200 KB.
    public var maxPayloadBytes: Int
    /// How much of the end of an oversized rendering is kept (UTF-8 bytes). Default 100 KB.
    public var keptTailBytes: Int
    /// Prompt tokens at or above this count as a large prompt when the trace gives no context
    /// window to compare with. Default 64,000 (half of a 128k window, over a 32k or 64k one).
    public var largePromptTokens: Int
    /// Prompt tokens at or above this share of a stated context window (`llm.context_window`) are
    /// near the limit. Default 0.9.
    public var contextWindowShare: Double
    /// The same tool called this many times in one trace is reported as a repetition. Default 3.
    public var repeatedCalls: Int

    public init(
        maxPayloadBytes: Int = 200 * 1024, keptTailBytes: Int = 100 * 1024, largePromptTokens: Int = 64_000,
        contextWindowShare: Double = 0.9, repeatedCalls: Int = 3
    ) {
        self.maxPayloadBytes = maxPayloadBytes
        self.keptTailBytes = min(keptTailBytes, maxPayloadBytes)
        self.largePromptTokens = largePromptTokens
        self.contextWindowShare = contextWindowShare
        self.repeatedCalls = repeatedCalls
    }

    /// `100 KB`, as the truncation note says it.
    public var keptTailText: String { Self.kilobytes(keptTailBytes) }

    static func kilobytes(_ bytes: Int) -> String {
        bytes % 1024 == 0 ? "\(bytes / 1024) KB" : String(format: "%.1f KB", Double(bytes) / 1024)
    }
}
