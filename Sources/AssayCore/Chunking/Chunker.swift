/// Splits a long document into chunks that fit a model's context: on paragraph and sentence
/// boundaries, each under a token budget, consecutive chunks sharing an overlap so a fact that
/// straddles a boundary is whole in at least one of them.
public struct Chunker: Sendable, Hashable {
    /// Tokens of document text per chunk (estimated).
    public var chunkTokens: Int
    /// Tokens the next chunk repeats from the end of the previous one.
    public var overlapTokens: Int

    public init(chunkTokens: Int = 2500, overlapTokens: Int = 250) {
        self.chunkTokens = max(16, chunkTokens)
        self.overlapTokens = max(0, min(overlapTokens, chunkTokens / 2))
    }

    /// One piece of the document; `start`/`end` are Unicode scalar offsets into it.
    public struct Chunk: Sendable, Hashable {
        public var text: String
        public var start: Int
        public var end: Int
    }

    /// True when the text is longer than one chunk.
    public func needsChunking(_ text: String) -> Bool { needsChunking(characters: text.unicodeScalars.count) }

    /// True when a text of this many Unicode scalars is longer than one chunk.
    public func needsChunking(characters: Int) -> Bool { TokenEstimator.estimate(characters: characters) > chunkTokens }

    public func chunks(_ text: String) -> [Chunk] {
        let scalars = Array(text.unicodeScalars)
        guard TokenEstimator.estimate(text) > chunkTokens else {
            return [Chunk(text: text, start: 0, end: scalars.count)]
        }
        let segments = Self.segments(scalars, maxLength: chunkTokens * 4)
        var chunks: [Chunk] = []
        var first = 0
        while first < segments.count {
            // Take whole segments while they fit.
            var last = first
            var tokens = Self.tokens(segments[first])
            while last + 1 < segments.count, tokens + Self.tokens(segments[last + 1]) <= chunkTokens {
                last += 1
                tokens += Self.tokens(segments[last])
            }
            let start = segments[first].lowerBound
            let end = segments[last].upperBound
            chunks.append(Chunk(text: Self.string(scalars[start..<end]), start: start, end: end))
            guard last + 1 < segments.count else { break }
            // Step back over trailing segments worth at most the overlap, always moving forward.
            var next = last + 1
            var overlap = 0
            while next - 1 > first, overlap + Self.tokens(segments[next - 1]) <= overlapTokens {
                next -= 1
                overlap += Self.tokens(segments[next])
            }
            first = next
        }
        return chunks
    }

    static func tokens(_ range: Range<Int>) -> Int { (range.count + 3) / 4 }

    static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars)
        return String(result)
    }

    /// Sentence-sized ranges covering the text without gaps: a segment ends after a newline, or
    /// after `.`, `!` or `?` followed by whitespace. A segment longer than `maxLength` is cut at
    /// its last whitespace before the limit (or at the limit, for text without any).
    static func segments(_ s: [Unicode.Scalar], maxLength: Int) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = 0
        func close(at end: Int) {
            var from = start
            while end - from > maxLength {
                var cut = from + maxLength
                if let space = (from + 1..<cut).last(where: { s[$0].properties.isWhitespace }) { cut = space + 1 }
                result.append(from..<cut)
                from = cut
            }
            if end > from { result.append(from..<end) }
            start = end
        }
        var i = 0
        while i < s.count {
            let c = s[i]
            if c == "\n" {
                close(at: i + 1)
            } else if c == "." || c == "!" || c == "?", i + 1 < s.count, s[i + 1] == " " {
                close(at: i + 2)
                i += 1
            }
            i += 1
        }
        close(at: s.count)
        return result
    }
}
