import Foundation

/// Locates an evidence quote in the document: exactly, then ignoring case, whitespace and
/// typographic quote/dash differences, then as the best fuzzy word-window match. Offsets count
/// Unicode scalars of the original text (end exclusive) so any client can slice the text.
public enum Grounder {
    /// Share of the quote's words a fuzzy match must contain.
    public static let fuzzyThreshold = 0.8

    public static func locate(_ quote: String, in text: String, fuzzyThreshold: Double = Grounder.fuzzyThreshold) -> Evidence {
        let trimmed = quote.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return Evidence(quote: quote, match: .notFound) }
        if let range = text.range(of: trimmed) {
            let scalars = text.unicodeScalars
            let start = scalars.distance(from: scalars.startIndex, to: range.lowerBound)
            let end = scalars.distance(from: scalars.startIndex, to: range.upperBound)
            return Evidence(quote: quote, start: start, end: end, match: .exact)
        }
        let doc = Normalized(text)
        let needle = Normalized(trimmed)
        if let at = doc.firstIndex(of: needle.scalars) {
            return Evidence(quote: quote, start: doc.origin[at], end: doc.origin[at + needle.scalars.count - 1] + 1, match: .normalized)
        }
        if let (start, end) = fuzzyWindow(needle.words, in: doc.words, threshold: fuzzyThreshold) {
            return Evidence(quote: quote, start: start, end: end, match: .fuzzy)
        }
        return Evidence(quote: quote, match: .notFound)
    }

    /// The window of document words, as long as the quote, that shares the most words with it.
    static func fuzzyWindow(_ quote: [Word], in words: [Word], threshold: Double) -> (Int, Int)? {
        let m = quote.count
        // One or two words are too few to call a near match evidence.
        guard m >= 3, words.count >= m else { return nil }
        var wanted: [String: Int] = [:]
        for w in quote { wanted[w.text, default: 0] += 1 }
        var have: [String: Int] = [:]
        var overlap = 0
        func add(_ w: Word) {
            have[w.text, default: 0] += 1
            if have[w.text]! <= wanted[w.text] ?? 0 { overlap += 1 }
        }
        func remove(_ w: Word) {
            if have[w.text]! <= wanted[w.text] ?? 0 { overlap -= 1 }
            have[w.text]! -= 1
        }
        var best = (score: 0, start: 0)
        for i in 0..<words.count {
            add(words[i])
            if i >= m { remove(words[i - m]) }
            if i >= m - 1, overlap > best.score { best = (overlap, i - m + 1) }
        }
        guard Double(best.score) / Double(m) >= threshold else { return nil }
        return (words[best.start].start, words[best.start + m - 1].end)
    }

    struct Word {
        var text: String
        var start: Int
        var end: Int
    }

    /// Text folded for comparison, remembering where each folded scalar came from.
    struct Normalized {
        var scalars: [Unicode.Scalar] = []
        var origin: [Int] = []

        init(_ text: String) {
            var pendingSpace: Int? = nil
            for (offset, scalar) in text.unicodeScalars.enumerated() {
                if scalar.properties.isWhitespace {
                    if pendingSpace == nil { pendingSpace = offset }
                    continue
                }
                if let space = pendingSpace, !scalars.isEmpty {
                    scalars.append(" ")
                    origin.append(space)
                }
                pendingSpace = nil
                for folded in Self.fold(scalar) {
                    scalars.append(folded)
                    origin.append(offset)
                }
            }
        }

        static func fold(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
            switch scalar {
            case "\u{2018}", "\u{2019}", "\u{201B}", "\u{2032}": return ["'"]
            case "\u{201C}", "\u{201D}", "\u{201F}", "\u{2033}": return ["\""]
            case "\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2212}": return ["-"]
            default: return Array(scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }

        func firstIndex(of needle: [Unicode.Scalar]) -> Int? {
            guard !needle.isEmpty, needle.count <= scalars.count else { return nil }
            let first = needle[0]
            outer: for i in 0...(scalars.count - needle.count) where scalars[i] == first {
                for j in 1..<needle.count where scalars[i + j] != needle[j] { continue outer }
                return i
            }
            return nil
        }

        /// Runs of letters and digits, with their original offsets.
        var words: [Word] {
            var result: [Word] = []
            var current = String.UnicodeScalarView()
            var start = 0
            var last = 0
            func flush() {
                if !current.isEmpty { result.append(Word(text: String(current), start: start, end: last + 1)) }
                current = String.UnicodeScalarView()
            }
            for (i, scalar) in scalars.enumerated() {
                if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                    if current.isEmpty { start = origin[i] }
                    current.append(scalar)
                    last = origin[i]
                } else {
                    flush()
                }
            }
            flush()
            return result
        }
    }
}
