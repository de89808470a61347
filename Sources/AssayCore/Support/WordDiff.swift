/// What changed between two texts, word by word (a longest common subsequence): what a person
/// reads to see how proposed instructions differ from today's.
public enum WordDiff {
    public enum Part: Sendable, Hashable {
        case same(String)
        case added(String)
        case removed(String)
    }

    /// The parts, runs of words of one kind joined by spaces. Texts of more than 1,000 words are
    /// compared whole (removed, then added): the table (words × words) would be too large.
    public static func parts(from old: String, to new: String) -> [Part] {
        let a = old.split(whereSeparator: \.isWhitespace).map(String.init)
        let b = new.split(whereSeparator: \.isWhitespace).map(String.init)
        guard a.count <= 1000, b.count <= 1000 else { return merged([.removed(old), .added(new)].filter { !$0.text.isEmpty }) }
        // lcs[i][j]: the longest common subsequence of a[i...] and b[j...].
        var lcs = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var parts: [Part] = []
        var (i, j) = (0, 0)
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                parts.append(.same(a[i]))
                (i, j) = (i + 1, j + 1)
            } else if i < a.count, j == b.count || lcs[i + 1][j] >= lcs[i][j + 1] {
                // What goes comes before what replaces it, as a reader expects.
                parts.append(.removed(a[i]))
                i += 1
            } else {
                parts.append(.added(b[j]))
                j += 1
            }
        }
        return merged(parts)
    }

    /// The diff as text: removed words in [-…-], added ones in {+…+} (as `git diff --word-diff`).
    public static func text(from old: String, to new: String) -> String {
        parts(from: old, to: new).map { part in
            switch part {
            case .same(let words): words
            case .added(let words): "{+\(words)+}"
            case .removed(let words): "[-\(words)-]"
            }
        }.joined(separator: " ")
    }

    private static func merged(_ parts: [Part]) -> [Part] {
        var out: [Part] = []
        for part in parts {
            switch (out.last, part) {
            case (.same(let a)?, .same(let b)): out[out.count - 1] = .same(a + " " + b)
            case (.added(let a)?, .added(let b)): out[out.count - 1] = .added(a + " " + b)
            case (.removed(let a)?, .removed(let b)): out[out.count - 1] = .removed(a + " " + b)
            default: out.append(part)
            }
        }
        return out
    }
}

extension WordDiff.Part {
    public var text: String {
        switch self {
        case .same(let text), .added(let text), .removed(let text): text
        }
    }
}
