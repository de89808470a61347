/// Email addresses and phone numbers.
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

    // MARK: Phone numbers

    static func phones(in text: ScanText) -> [Candidate] {
        var found: [Candidate] = []
        var index = 0
        while index < text.count {
            let byte = text[index]
            let opens = byte.isDigit || ((byte == .plus || byte == .openParen) && text[index + 1].isDigit)
            guard opens, !text.continuesWord(before: index, isNumberPart) else {
                index += 1
                continue
            }
            let run = PhoneRun(parsing: text, from: index)
            if run.end > index, run.looksLikePhone(labels: text.wordsBefore(index, count: 2)), !continuesNumber(text, at: run.end) {
                found.append(Candidate(kind: .phone, range: index..<run.end))
            }
            index = max(index + 1, run.end)
        }
        return found
    }

    /// Bytes that make a digit run part of something else: a word, a version, a path, an amount.
    private static func isNumberPart(_ byte: UInt8) -> Bool {
        byte.isAlnum || byte == .dot || byte == .hyphen || byte == .underscore || byte == .slash || byte == .plus
            || byte == UInt8(ascii: "#") || byte == UInt8(ascii: "$")
    }

    private static func continuesNumber(_ text: ScanText, at end: Int) -> Bool {
        let next = text[end]
        if next.isAlnum || next == .underscore { return true }
        let joins = next == .dot || next == .hyphen || next == .slash
        return joins && text[end + 1].isDigit
    }
}

/// One run of digits in the shape of a phone number: `+CC`, an optional `(area)`, then digit
/// groups joined by one kind of separator (space, `-` or `.`). A change of separator ends the run,
/// so `2024-05-06 10:30` is read as the date `2024-05-06`, not as one long number.
struct PhoneRun {
    var plus = false
    var parenthesised = false
    var groups: [Int] = []
    var separator: UInt8?
    var end: Int
    /// The first digit after any `+CC` and `(area)`: a trunk `0` or the US `1` makes a national number.
    var nationalLeadingDigit: UInt8 = 0

    init(parsing text: ScanText, from start: Int) {
        var index = start
        end = start
        if text[index] == .plus {
            plus = true
            index += 1
            let codeStart = index
            while text[index].isDigit { index += 1 }
            groups.append(index - codeStart)
            end = index
            if text[index].isBlank || text[index] == .hyphen || text[index] == .dot { index += 1 }
        }
        if text[index] == .openParen {
            let areaStart = index + 1
            var close = areaStart
            while text[close].isDigit { close += 1 }
            guard close > areaStart, close - areaStart <= 5, text[close] == .closeParen else { return }
            parenthesised = true
            groups.append(close - areaStart)
            index = close + 1
            end = index
            if text[index] == .space { index += 1 }
        }
        nationalLeadingDigit = text[index]
        while text[index].isDigit {
            let groupStart = index
            while text[index].isDigit { index += 1 }
            groups.append(index - groupStart)
            end = index
            let next = text[index]
            guard next == .space || next == .hyphen || next == .dot, text[index + 1].isDigit,
                  separator == nil || separator == next
            else { break }
            separator = next
            index += 1
        }
    }

    var digitCount: Int { groups.reduce(0, +) }

    /// International numbers pass on their `+`; national ones need a familiar shape (US 3-3-4 or
    /// 1-3-3-4, a leading trunk 0, an area code in parentheses) or a label such as "phone" or "tel"
    /// before them. Bare digit strings are ids, and date shapes are dates.
    func looksLikePhone(labels: [String]) -> Bool {
        guard (7...15).contains(digitCount), !isDateShaped else { return false }
        if plus || labels.contains(where: Self.isPhoneLabel) { return true }
        guard groups.count >= 2 else { return false }
        if groups == [1, 3, 3, 4] { return nationalLeadingDigit == UInt8(ascii: "1") }
        // 3-2-4 with hyphens is the shape of a US Social Security number, valid or not.
        guard groups.allSatisfy({ $0 >= 2 }), !(groups == [3, 2, 4] && separator == .hyphen) else { return false }
        if separator == .dot { return groups == [3, 3, 4] || groups == [2, 2, 2, 2, 2] }
        return parenthesised || groups == [3, 3, 4] || groups == [3, 4] || nationalLeadingDigit == UInt8(ascii: "0")
    }

    private var isDateShaped: Bool {
        guard !plus, !parenthesised, groups.count == 3 else { return false }
        return (groups[0] == 4 && groups[1] <= 2 && groups[2] <= 2) || (groups[0] <= 2 && groups[1] <= 2 && groups[2] == 4)
    }

    static func isPhoneLabel(_ label: String) -> Bool {
        ["phone", "mobile", "whatsapp", "fax"].contains(where: label.contains)
            || ["tel", "cell", "sms", "mob"].contains(label)
    }
}
