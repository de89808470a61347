/// Email addresses and phone numbers (PhoneNumbers.swift).
enum ContactDetector {
    static func emails(in text: ScanText) -> [Candidate] {
        var found: [Candidate] = []
        var index = 0
        while index < text.count {
            guard text[index] == .at, let match = email(around: index, in: text) else {
                index += 1
                continue
            }
            found.append(match)
            index = match.range.upperBound
        }
        return found
    }

    private static func isLocalPart(_ byte: UInt8) -> Bool {
        byte.isAlnum || byte == .dot || byte == .underscore || byte == .hyphen || byte == .plus
            || byte == UInt8(ascii: "%")
    }

    private static func email(around at: Int, in text: ScanText) -> Candidate? {
        var start = at
        while start > 0, isLocalPart(text[start - 1]), !text.isEscapeLetter(start - 1) { start -= 1 }
        while start < at, text[start] == .dot { start += 1 }
        guard start < at, at - start <= 64, text[at - 1] != .dot, !isURLUserInfo(start, in: text) else { return nil }
        // Domain: labels of letters, digits and hyphens joined by single dots; a final dot ends the sentence.
        var end = at + 1
        var labels: [Range<Int>] = []
        while true {
            let labelStart = end
            while text[end].isAlnum || text[end] == .hyphen { end += 1 }
            guard end > labelStart else { break }
            labels.append(labelStart..<end)
            guard text[end] == .dot, text[end + 1].isAlnum else { break }
            end += 1
        }
        guard labels.count >= 2, let tld = labels.last, tld.count >= 2,
            (tld.lowerBound..<tld.upperBound).allSatisfy({ text[$0].isLetter }),
            labels.allSatisfy({ text[$0.lowerBound] != .hyphen && text[$0.upperBound - 1] != .hyphen })
        else { return nil }
        return Candidate(kind: .email, range: start..<tld.upperBound)
    }

    /// `scheme://user:pass@host` is a URL's user and host, which stay readable; only the password
    /// goes (see `CredentialDetector.urlPasswords`). An address later in the path or query is an email.
    private static func isURLUserInfo(_ start: Int, in text: ScanText) -> Bool {
        var index = start
        while index >= 3, !text[index - 1].isWhitespace {
            let byte = text[index - 1]
            if byte == .slash, text[index - 2] == .slash, text[index - 3] == .colon { return true }
            if byte == .slash || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#") { return false }
            index -= 1
        }
        return false
    }
}
