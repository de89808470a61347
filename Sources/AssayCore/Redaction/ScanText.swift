/// The text as UTF-8 bytes for the detectors: everything they look for is ASCII, byte offsets map
/// back to `String.Index` cheaply, and reads outside the text return 0 so scanners need no bounds
/// checks at the edges.
struct ScanText {
    let bytes: [UInt8]

    init(_ text: String) { bytes = Array(text.utf8) }

    var count: Int { bytes.count }

    subscript(_ index: Int) -> UInt8 { index >= 0 && index < bytes.count ? bytes[index] : 0 }

    func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    func hasPrefix(_ ascii: String, at index: Int, ignoringCase: Bool = false) -> Bool {
        hasPrefix(Array(ascii.utf8), at: index, ignoringCase: ignoringCase)
    }

    func hasPrefix(_ needle: [UInt8], at index: Int, ignoringCase: Bool = false) -> Bool {
        guard index >= 0, index + needle.count <= bytes.count else { return false }
        for offset in 0..<needle.count {
            let actual = bytes[index + offset]
            let expected = needle[offset]
            guard actual == expected || (ignoringCase && actual.lowercased == expected.lowercased) else { return false }
        }
        return true
    }

    func firstIndex(of ascii: String, from start: Int, ignoringCase: Bool = false) -> Int? {
        let needle = Array(ascii.utf8)
        guard let first = needle.first, start >= 0, start + needle.count <= count else { return nil }
        let firstLower = first.lowercased
        var index = start
        let last = count - needle.count
        while index <= last {
            let byte = bytes[index]
            if byte == first || (ignoringCase && byte.lowercased == firstLower),
                hasPrefix(needle, at: index, ignoringCase: ignoringCase)
            {
                return index
            }
            index += 1
        }
        return nil
    }

    /// `n`, `t` or `r` right after a backslash: the letter of an escape in JSON or log text, which
    /// must not glue the value after it into one word ("\n4111…" still starts a card number).
    func isEscapeLetter(_ index: Int) -> Bool {
        let byte = self[index]
        return (byte == .n || byte == .t || byte == .r) && self[index - 1] == .backslash
    }

    /// Whether the byte before `index` continues a word of `isPart` bytes, so a match starting at
    /// `index` would begin mid-word.
    func continuesWord(before index: Int, _ isPart: (UInt8) -> Bool) -> Bool {
        index > 0 && isPart(self[index - 1]) && !isEscapeLetter(index - 1)
    }

    /// Up to `count` words (letters and `_`, lowercased) before `index`, nearest first, skipping
    /// digits, punctuation and spaces: the label a value follows, as in `"phone": "…"` or
    /// `SSN no. 123…`.
    func wordsBefore(_ index: Int, count: Int, within window: Int = 32) -> [String] {
        let floor = max(0, index - window)
        var words: [String] = []
        var end = index
        while words.count < count {
            while end > floor, !self[end - 1].isLetter, self[end - 1] != .underscore { end -= 1 }
            var start = end
            while start > floor, self[start - 1].isLetter || self[start - 1] == .underscore { start -= 1 }
            guard start < end else { break }
            words.append(String(decoding: bytes[start..<end].map(\.lowercased), as: UTF8.self))
            end = start
        }
        return words
    }

    /// The nearest word before `index` naming what follows, past "no", "nr", "num" and "number"
    /// (`order no. 123`, `card number 4111 …`).
    func labelBefore(_ index: Int, within window: Int = 32) -> String? {
        wordsBefore(index, count: 3, within: window).first { !["no", "nr", "num", "number"].contains($0) }
    }
}

/// A stretch of the text a detector thinks is sensitive, in byte offsets.
struct Candidate: Equatable {
    let kind: PIIKind
    let range: Range<Int>
}

extension UInt8 {
    static let n = UInt8(ascii: "n"), t = UInt8(ascii: "t"), r = UInt8(ascii: "r")
    static let backslash = UInt8(ascii: "\\"), underscore = UInt8(ascii: "_"), hyphen = UInt8(ascii: "-")
    static let dot = UInt8(ascii: "."), colon = UInt8(ascii: ":"), slash = UInt8(ascii: "/")
    static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), plus = UInt8(ascii: "+")
    static let at = UInt8(ascii: "@"), equals = UInt8(ascii: "="), quote = UInt8(ascii: "\"")
    static let apostrophe = UInt8(ascii: "'"), openParen = UInt8(ascii: "("), closeParen = UInt8(ascii: ")")
    static let zero = UInt8(ascii: "0")

    var isDigit: Bool { self >= 48 && self <= 57 }
    var isUpper: Bool { self >= 65 && self <= 90 }
    var isLower: Bool { self >= 97 && self <= 122 }
    var isLetter: Bool { isUpper || isLower }
    var isAlnum: Bool { isDigit || isLetter }
    var isHex: Bool { isDigit || (self >= 65 && self <= 70) || (self >= 97 && self <= 102) }
    /// Space or tab: what may sit inside one line between a key and its value.
    var isBlank: Bool { self == .space || self == .tab }
    var isWhitespace: Bool { isBlank || self == 10 || self == 13 || self == 11 || self == 12 }
    var lowercased: UInt8 { isUpper ? self + 32 : self }
    var uppercased: UInt8 { isLower ? self - 32 : self }
    var digitValue: Int { Int(self) - 48 }
}
