import Foundation

/// Generated-looking strings with no known prefix: AWS secret keys, random API keys, session
/// secrets. A token is taken when all of these hold:
/// - at least `minimumLength` (24) characters of the base64/base64url alphabet, `=` padding aside;
/// - upper case, lower case and digits all present;
/// - Shannon entropy of its characters at least `minimumEntropy` (3.5 bits per character; random
///   base62 strings of 24 characters score 3.9 or more in 99 of 100 cases);
/// - at most half its length in word-like pieces (`Settings`, `user`, `HTTP`, `v2`), which is
///   what separates identifiers, model names and paths from random strings;
/// - not hex only (trace and span ids, git SHAs, content hashes, UUIDs stay readable),
///   not an id by its prefix (`chatcmpl-`, `msg_`, `call_`, …) and not the value of an id key
///   (`"trace_id": …`, `requestId=…`).
/// Hex secrets under a secret-ish key name are found by `SecretFieldDetector` instead.
enum EntropyDetector {
    static let minimumLength = 24
    static let minimumEntropy = 3.5
    static let maximumWordShare = 0.5
    static let idPrefixes: Set<String> = [
        "chatcmpl", "cmpl", "req", "resp", "msg", "toolu", "call", "run", "thread", "asst", "file", "batch",
        "span", "trace", "evt", "step", "ft", "org", "user", "sess", "conv", "item", "fc", "rs", "ws",
    ]

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        byte.isAlnum || byte == .plus || byte == .slash || byte == .underscore || byte == .hyphen
    }

    static func secrets(in text: ScanText) -> [Candidate] {
        var found: [Candidate] = []
        var index = 0
        while index < text.count {
            guard isTokenByte(text[index]) else {
                index += 1
                continue
            }
            var start = index
            var end = index
            while isTokenByte(text[end]) { end += 1 }
            index = end
            if text.isEscapeLetter(start) { start += 1 }
            let body = start..<end
            while text[end] == .equals, end - body.upperBound < 2 { end += 1 }
            // `key=value` is two tokens; only padding at the very end belongs to a token.
            guard !isTokenByte(text[end]), text[end] != .equals else { continue }
            if body.count >= minimumLength, looksGenerated(Array(text.bytes[body])), !isID(body, in: text) {
                found.append(Candidate(kind: .secret, range: start..<end))
            }
        }
        return found
    }

    static func looksGenerated(_ token: [UInt8]) -> Bool {
        guard token.contains(where: \.isUpper), token.contains(where: \.isLower), token.contains(where: \.isDigit),
            !token.allSatisfy({ $0.isHex || $0 == .hyphen })
        else { return false }
        return entropy(token) >= minimumEntropy && wordShare(token) <= maximumWordShare
    }

    /// Shannon entropy in bits per character.
    static func entropy(_ token: [UInt8]) -> Double {
        var counts = [Int](repeating: 0, count: 256)
        for byte in token { counts[Int(byte)] += 1 }
        let total = Double(token.count)
        return counts.reduce(0.0) { sum, count in
            guard count > 0 else { return sum }
            let share = Double(count) / total
            return sum - share * log2(share)
        }
    }

    /// The share of the token made of word-like pieces: the larger of (a) runs of three or more
    /// lower-case letters, optionally capitalised, and of four or more capitals, and (b) pieces
    /// between `-`, `_`, `/` and `+` that read as one word with an optional number (`Llama`,
    /// `GGUF2`, `70B`, `v1`), counting the separators.
    static func wordShare(_ token: [UInt8]) -> Double {
        var inWords = 0
        var index = 0
        while index < token.count {
            var end = index
            if token[index].isUpper { end += 1 }
            let lowerStart = end
            while end < token.count, token[end].isLower { end += 1 }
            if end - lowerStart >= 3 {
                inWords += end - index
                index = end
                continue
            }
            end = index
            while end < token.count, token[end].isUpper { end += 1 }
            if end - index >= 4 {
                inWords += end - index
                index = end
                continue
            }
            index += 1
        }
        var inPieces = 0
        for piece in token.split(omittingEmptySubsequences: false, whereSeparator: { !$0.isAlnum }) {
            inPieces += isWordLike(piece) ? piece.count + 1 : 1
        }
        return Double(max(inWords, inPieces - 1)) / Double(token.count)
    }

    /// `Word`, `word`, `WORD`, each with optional trailing digits, digits with one optional letter
    /// (`70B`), or anything of two characters or fewer.
    private static func isWordLike(_ piece: ArraySlice<UInt8>) -> Bool {
        if piece.count <= 2 { return true }
        var rest = piece[...]
        if rest.first!.isDigit {
            rest = rest.drop(while: \.isDigit)
            return rest.count <= 1 && rest.allSatisfy(\.isLetter)
        }
        let letters = rest.prefix(while: \.isLetter)
        guard !letters.isEmpty, rest.dropFirst(letters.count).allSatisfy(\.isDigit) else { return false }
        let tail = letters.dropFirst()
        return tail.allSatisfy(\.isLower) || letters.allSatisfy(\.isUpper)
    }

    /// Ids stay readable: a known id prefix (`chatcmpl-…`, `msg_…`), or the value of a key whose
    /// name ends in `id` or `ids` (`"trace_id": "…"`, `requestId=…`).
    private static func isID(_ body: Range<Int>, in text: ScanText) -> Bool {
        var prefixEnd = body.lowerBound
        while prefixEnd < body.upperBound, text[prefixEnd].isAlnum { prefixEnd += 1 }
        if prefixEnd < body.upperBound, text[prefixEnd] == .underscore || text[prefixEnd] == .hyphen,
            idPrefixes.contains(text.string(body.lowerBound..<prefixEnd).lowercased())
        {
            return true
        }
        var keyEnd = body.lowerBound
        var assigns = false
        while keyEnd > 0, body.lowerBound - keyEnd < 6, "\"' \t:=\\".utf8.contains(text[keyEnd - 1]) {
            assigns = assigns || text[keyEnd - 1] == .colon || text[keyEnd - 1] == .equals
            keyEnd -= 1
        }
        guard assigns else { return false }
        var keyStart = keyEnd
        while keyStart > 0, text[keyStart - 1].isAlnum || text[keyStart - 1] == .underscore || text[keyStart - 1] == .hyphen {
            keyStart -= 1
        }
        let key = text.string(keyStart..<keyEnd)
        return key.hasSuffix("id") || key.hasSuffix("ids") || key.hasSuffix("Id") || key.hasSuffix("Ids") || key.hasSuffix("ID")
    }
}
