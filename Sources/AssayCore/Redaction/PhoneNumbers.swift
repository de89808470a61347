/// Phone numbers: international ones by their `+`, national ones by a familiar shape or a label,
/// with an extension when one follows. Numbers that only look like phones — dates, ZIP codes,
/// order numbers, SSNs — are told apart by their shape or by the word before them.
extension ContactDetector {
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
            if run.end > index, !continuesNumber(text, at: run.end),
                run.looksLikePhone(PhoneContext(before: index, in: text))
            {
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

/// What the words before a number say about it.
enum PhoneContext {
    /// "phone", "tel", "fax", "call me at": any number of 7–15 digits is a phone.
    case labelled
    /// Right after "order", "invoice", "suite", "box", "USD" and the like: not a phone, whatever its
    /// shape (only a `+` still makes one).
    case otherNumber
    /// Right after two capitals, as in `Boston, MA 02134 1234 Elm Street`: a five-digit group is a
    /// ZIP code.
    case afterStateCode
    case none

    init(before index: Int, in text: ScanText) {
        let words = text.wordsBefore(index, count: 3)
        if let label = text.labelBefore(index), Self.otherNumberLabels.contains(label) {
            self = .otherNumber
        } else if words.contains(where: Self.isPhoneLabel) || Self.asksToCall(words) {
            self = .labelled
        } else if text[index - 1] == .space, text[index - 2].isUpper, text[index - 3].isUpper, !text[index - 4].isLetter {
            self = .afterStateCode
        } else {
            self = .none
        }
    }

    static func isPhoneLabel(_ label: String) -> Bool {
        ["phone", "mobile", "whatsapp", "fax", "hotline", "helpline"].contains(where: label.contains)
            || ["tel", "cell", "sms", "mob", "ph", "telefon", "handy"].contains(label)
    }

    /// "call me at", "text us on", "ring me" (the words come nearest first).
    private static func asksToCall(_ words: [String]) -> Bool {
        guard let person = words.firstIndex(where: { $0 == "me" || $0 == "us" }), person + 1 < words.count else { return false }
        return ["call", "text", "ring", "reach", "dial"].contains(words[person + 1])
    }

    static let otherNumberLabels: Set<String> = [
        "order", "invoice", "inv", "ref", "reference", "ticket", "case", "id", "account", "acct", "sku", "serial",
        "tracking", "confirmation", "booking", "po", "isbn", "part", "model", "build", "version", "suite", "apt",
        "apartment", "unit", "box", "room", "floor", "zip", "postcode", "usd", "eur", "gbp", "amount", "total",
        "price", "page", "pages",
    ]
}

/// One run of digits in the shape of a phone number: `+CC`, an optional `(area)` (with a
/// national prefix such as the `1` of `1 (555) 123-4567` before it), digit groups joined by
/// spaces, `-` or `.`, then an optional extension. National numbers keep one kind of separator, so
/// `2024-05-06 10:30` is read as the date `2024-05-06`, not as one long number; after a `+` or an
/// `(area)`, spaces and hyphens may mix (`+7 495 123-45-67`, `(11) 91234-5678`).
struct PhoneRun {
    var plus = false
    var parenthesised = false
    /// Digits before the `(area)` without a `+`: `1 (555) …`, the Russian trunk `8 (495) …`.
    var prefixed = false
    var slashed = false
    var groups: [Int] = []
    var separator: UInt8?
    var end: Int
    /// The first digit of the number after any `+CC`, inside the parentheses if there are any: a
    /// trunk `0` or the US `1` makes a national number.
    var firstDigit: UInt8 = 0
    /// The values of the groups after any `+CC` and `(area)`, to tell opening hours from numbers.
    var values: [Int] = []
    /// Starts `000` or is `00` alone: a zero-padded id or hex bytes (`0001 0002`, `00 1f`), where
    /// a phone has a trunk `0` or the international `00` and a country code.
    var zeroPadded = false

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
        } else if let areaAt = Self.parenthesisAfterPrefix(at: index, in: text) {
            prefixed = true
            groups.append(areaAt - index - (text[areaAt - 1].isDigit ? 0 : 1))
            index = areaAt
        }
        firstDigit = text[index]
        if text[index] == .openParen {
            let areaStart = index + 1
            var close = areaStart
            while text[close].isDigit { close += 1 }
            guard close > areaStart, close - areaStart <= 5, text[close] == .closeParen else { return }
            parenthesised = true
            firstDigit = text[areaStart]
            groups.append(close - areaStart)
            index = close + 1
            end = index
            if text[index] == .space { index += 1 }
        }
        zeroPadded = text[index] == .zero && text[index + 1] == .zero && (text[index + 2] == .zero || !text[index + 2].isDigit)
        parseGroups(text, from: index)
        if digitCount >= 7, let extensionEnd = Self.extensionEnd(after: end, in: text) {
            end = extensionEnd
        }
    }

    private mutating func parseGroups(_ text: ScanText, from start: Int) {
        var index = start
        let mixes = plus || parenthesised
        while text[index].isDigit {
            let groupStart = index
            var value = 0
            while text[index].isDigit {
                value = value &* 10 &+ text[index].digitValue
                index += 1
            }
            groups.append(index - groupStart)
            values.append(value)
            end = index
            let next = text[index]
            guard text[index + 1].isDigit else { break }
            // `089/1234567`: German area codes are written before a slash.
            if next == .slash, !mixes, !prefixed, groups.count == 1, firstDigit == UInt8(ascii: "0"),
                (2...5).contains(index - groupStart)
            {
                slashed = true
                index += 1
                continue
            }
            guard next == .space || next == .hyphen || next == .dot else { break }
            if let separator, separator != next {
                guard mixes, separator != .dot, next != .dot else { break }
            }
            separator = separator ?? next
            index += 1
        }
    }

    /// The `(` of an area code after 1–3 digits and an optional space or hyphen, without a `+`.
    private static func parenthesisAfterPrefix(at start: Int, in text: ScanText) -> Int? {
        var index = start
        while text[index].isDigit, index - start < 4 { index += 1 }
        guard (1...3).contains(index - start) else { return nil }
        if text[index] == .space || text[index] == .hyphen { index += 1 }
        return text[index] == .openParen && text[index + 1].isDigit ? index : nil
    }

    /// The end of an extension right after a number: `x4587`, ` x4587`, ` ext. 12`, `, ext 12`,
    /// ` extension 7` — one to six digits.
    static func extensionEnd(after end: Int, in text: ScanText) -> Int? {
        var index = end
        if text[index] == UInt8(ascii: ","), text[index + 1] == .space {
            index += 2
        } else if text[index].isBlank {
            index += 1
        }
        var marker = 0
        for word in ["extension", "extn", "ext", "x"] where text.hasPrefix(word, at: index, ignoringCase: true) {
            marker = word.utf8.count
            break
        }
        guard marker > 0, !text[index + marker].isLetter else { return nil }
        index += marker
        if marker > 1 {
            if text[index] == .dot || text[index] == .colon { index += 1 }
            if text[index].isBlank { index += 1 }
        }
        let digitsStart = index
        while text[index].isDigit { index += 1 }
        guard (1...6).contains(index - digitsStart) else { return nil }
        return index
    }

    var digitCount: Int { groups.reduce(0, +) }

    /// International numbers pass on their `+`; national ones need a label or a familiar shape:
    /// US 3-3-4, 1-3-3-4 and 555-0100, an area code in parentheses, a leading trunk `0`
    /// (`020 7946 0958`, `07700 900123`, `030 12345678`, `01 23 45 67 89`), dots only as 3-3-4 or
    /// 2-2-2-2-2. Bare digit strings are ids, and date shapes are dates.
    func looksLikePhone(_ context: PhoneContext) -> Bool {
        guard (7...15).contains(digitCount), !isDateShaped, !isHoursRange else { return false }
        if plus { return true }
        switch context {
        case .labelled: return true
        case .otherNumber: return false
        case .afterStateCode: if groups.first == 5 { return false }
        case .none: break
        }
        guard groups.count >= 2 else { return false }
        if prefixed { return parenthesised && groups.dropFirst().allSatisfy { $0 >= 2 } }
        if groups == [1, 3, 3, 4] { return firstDigit == UInt8(ascii: "1") }
        guard groups.allSatisfy({ $0 >= 2 }), !zeroPadded else { return false }
        // 3-2-4 is the shape of a US Social Security number, 5-4 of a ZIP+4 code.
        if separator == .hyphen, groups == [3, 2, 4] || groups == [5, 4] { return false }
        if slashed { return groups.count == 2 }
        if separator == .dot { return groups == [3, 3, 4] || groups == [2, 2, 2, 2, 2] }
        if parenthesised || groups == [3, 3, 4] { return true }
        // 555-0100; with a space, 3-4 is as often a suite and a house number.
        if groups == [3, 4] { return separator == .hyphen }
        return firstDigit == UInt8(ascii: "0")
    }

    /// `0900-1730`: two clock times joined by a hyphen.
    private var isHoursRange: Bool {
        !plus && !parenthesised && groups == [4, 4] && separator == .hyphen
            && values.allSatisfy { $0 / 100 <= 23 && $0 % 100 <= 59 }
    }

    private var isDateShaped: Bool {
        guard !plus, !parenthesised, groups.count == 3 else { return false }
        return (groups[0] == 4 && groups[1] <= 2 && groups[2] <= 2) || (groups[0] <= 2 && groups[1] <= 2 && groups[2] == 4)
    }
}
