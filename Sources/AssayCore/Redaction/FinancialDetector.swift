/// Payment card numbers, IBANs and US Social Security numbers: each is only redacted when its own
/// check passes (Luhn, mod 97, SSA number ranges), which keeps ids and amounts readable.
enum FinancialDetector {
    /// Bytes that make a digit run part of a larger token (an id, a version, a path).
    private static func isTokenPart(_ byte: UInt8) -> Bool {
        byte.isAlnum || byte == .underscore || byte == .hyphen || byte == .dot || byte == .slash
    }

    // MARK: Payment cards

    /// Runs of digit groups joined by single spaces or hyphens; within a run the longest stretch of
    /// 12–19 digits in a card's layout, with one kind of separator, an issuer's first digit and a
    /// valid Luhn check is a card number. Several cards in one run are found one after the other.
    static func cardNumbers(in text: ScanText) -> [Candidate] {
        var found: [Candidate] = []
        var index = 0
        while index < text.count {
            // A `+` starts a phone number, never a card.
            guard text[index].isDigit, !text.continuesWord(before: index, { isTokenPart($0) || $0 == .plus }) else {
                index += 1
                continue
            }
            var groups: [Range<Int>] = []
            var cursor = index
            while groups.count < 40 {
                let start = cursor
                while text[cursor].isDigit { cursor += 1 }
                groups.append(start..<cursor)
                guard text[cursor] == .space || text[cursor] == .hyphen, text[cursor + 1].isDigit else { break }
                cursor += 1
            }
            let runEnd = groups.last!.upperBound
            // `4111 1111 1111 1111 12/27`: the group before a slash is an expiry date's month.
            if text[runEnd] == .slash, groups.count > 1 { groups.removeLast() }
            if !text[runEnd].isAlnum, text[runEnd] != .underscore, !isLabelledID(before: index, in: text) {
                found += cards(in: groups, of: text)
            }
            index = max(index + 1, runEnd)
        }
        return found
    }

    private static func cards(in groups: [Range<Int>], of text: ScanText) -> [Candidate] {
        var found: [Candidate] = []
        var first = 0
        // The first group not taken by a card found before.
        var free = 0
        while first < groups.count {
            guard let last = longestCard(in: groups, from: first, of: text) else {
                first += 1
                continue
            }
            // A card is a whole number. When a four-digit group before it or any group after it, in
            // the same layout, would make it a longer card-shaped number, it is part of that number,
            // which failed the check ("5018 0000 0009 0001": the first 12 digits pass Luhn, the 16
            // do not) — unless a second card starts right after it.
            let extendsBefore = first > free && groups[first - 1].count == 4 && layoutAllows(groups[first - 1...last], of: text)
            let extendsAfter =
                last + 1 < groups.count && layoutAllows(groups[first...last + 1], of: text)
                && longestCard(in: groups, from: last + 1, of: text) == nil
            if extendsBefore || extendsAfter {
                first += 1
                continue
            }
            found.append(Candidate(kind: .cardNumber, range: groups[first].lowerBound..<groups[last].upperBound))
            first = last + 1
            free = first
        }
        return found
    }

    /// The last group of the longest card starting at group `first`, if any.
    private static func longestCard(in groups: [Range<Int>], from first: Int, of text: ScanText) -> Int? {
        var match: Int?
        var digits = 0
        for last in first..<groups.count {
            digits += groups[last].count
            let window = groups[first...last]
            guard digits <= 19, Set(window.dropLast().map { text[$0.upperBound] }).count <= 1 else { break }
            guard digits >= 12, layoutAllows(window, of: text) else { continue }
            let number = window.flatMap { $0.map { text[$0].digitValue } }
            if issuerAllows(number), luhnValid(number) { match = last }
        }
        return match
    }

    /// How cards are printed: compact, in groups of 3–8 (fours, Amex 4-6-5, Diners 4-6-4), or in
    /// fours with a shorter last group (4-4-4-4-3 for 19 digits, 4-4-4-1 for 13); at most 19 digits.
    private static func layoutAllows(_ window: ArraySlice<Range<Int>>, of text: ScanText) -> Bool {
        let sizes = window.map(\.count)
        guard sizes.reduce(0, +) <= 19, Set(window.dropLast().map { text[$0.upperBound] }).count <= 1 else { return false }
        if sizes.count == 1 || sizes.allSatisfy({ (3...8).contains($0) }) { return true }
        return sizes.count >= 4 && sizes.dropLast().allSatisfy { $0 == 4 } && (1...3).contains(sizes.last!)
    }

    /// First digits cards of each length are issued with (ISO/IEC 7812 ranges): 2–6 for 13–19
    /// digits (Mastercard, Mir, Amex, Diners, JCB, Visa, Maestro, Discover, UnionPay, RuPay); 12
    /// digits only for Maestro (5, 6); `1` only for the 15 digits of UATP and JCB's `1800`. Other
    /// first digits are timestamps (`17…` milliseconds to nanoseconds), barcodes (`978…`) and ids.
    private static func issuerAllows(_ number: [Int]) -> Bool {
        switch (number.count, number[0]) {
        case (12, let first): (5...6).contains(first)
        case (15, 1): true
        case (_, let first): (2...6).contains(first)
        }
    }

    /// A number right after a word such as "order", "invoice" or "EAN" is that id, whatever its
    /// checksum ("card number" still reads as a card).
    private static func isLabelledID(before index: Int, in text: ScanText) -> Bool {
        text.labelBefore(index, within: 24).map(idLabels.contains) ?? false
    }

    static let idLabels: Set<String> = [
        "order", "invoice", "tracking", "ticket", "booking", "confirmation", "ref", "reference", "sku", "isbn", "ean",
        "upc", "gtin", "barcode", "serial", "id", "timestamp", "ts", "epoch",
    ]

    static func luhnValid(_ digits: [Int]) -> Bool {
        var sum = 0
        for (offset, digit) in digits.reversed().enumerated() {
            let doubled = offset % 2 == 1 ? digit * 2 : digit
            sum += doubled > 9 ? doubled - 9 : doubled
        }
        return sum % 10 == 0
    }

    // MARK: IBANs

    /// Country code, two check digits, then the account number, compact or in groups of four; the
    /// length must be the country's IBAN length and the mod-97 remainder 1. Letters in any case.
    static func ibans(in text: ScanText) -> [Candidate] {
        var found: [Candidate] = []
        var index = 0
        while index + 4 < text.count {
            guard text[index].isLetter, !text.continuesWord(before: index, { $0.isAlnum || $0 == .underscore }),
                let match = iban(at: index, in: text)
            else {
                index += 1
                continue
            }
            found.append(match)
            index = match.range.upperBound
        }
        return found
    }

    private static func iban(at start: Int, in text: ScanText) -> Candidate? {
        guard text[start + 1].isLetter, text[start + 2].isDigit, text[start + 3].isDigit,
            let length = ibanLengths[String(decoding: [text[start].uppercased, text[start + 1].uppercased], as: UTF8.self)]
        else { return nil }
        var compact: [UInt8] = (start..<start + 4).map { text[$0].uppercased }
        var index = start + 4
        while compact.count < length {
            if text[index].isAlnum {
                compact.append(text[index].uppercased)
                index += 1
            } else if text[index] == .space, compact.count % 4 == 0, text[index + 1].isAlnum {
                index += 1
            } else {
                return nil
            }
        }
        guard !text[index].isAlnum, mod97(compact) == 1 else { return nil }
        return Candidate(kind: .iban, range: start..<index)
    }

    /// ISO 13616: the country code and check digits move to the end, letters count as 10–35.
    static func mod97(_ iban: [UInt8]) -> Int {
        var remainder = 0
        for byte in iban[4...] + iban[..<4] {
            if byte.isDigit {
                remainder = (remainder * 10 + byte.digitValue) % 97
            } else {
                remainder = (remainder * 100 + Int(byte) - 55) % 97
            }
        }
        return remainder
    }

    /// IBAN lengths by country (SWIFT IBAN registry).
    static let ibanLengths: [String: Int] = [
        "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
        "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
        "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
        "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27,
        "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25,
        "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18,
        "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33,
        "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
        "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
    ]

    // MARK: US Social Security numbers

    /// `AAA-GG-SSSS` always; `AAA GG SSSS` and nine bare digits only after a label such as "SSN",
    /// since otherwise they are ordinary numbers. Areas 000, 666 and 900–999, group 00 and serial
    /// 0000 are never issued, so those are left alone.
    static func socialSecurityNumbers(in text: ScanText) -> [Candidate] {
        var found: [Candidate] = []
        var index = 0
        while index + 9 <= text.count {
            guard text[index].isDigit, !text.continuesWord(before: index, isTokenPart),
                let end = ssn(at: index, in: text)
            else {
                index += 1
                continue
            }
            found.append(Candidate(kind: .nationalID, range: index..<end))
            index = end
        }
        return found
    }

    private static func ssn(at start: Int, in text: ScanText) -> Int? {
        func digits(_ from: Int, _ count: Int) -> Int? {
            var value = 0
            for offset in from..<from + count {
                guard text[offset].isDigit else { return nil }
                value = value * 10 + text[offset].digitValue
            }
            return value
        }
        let separator = text[start + 3]
        let spaced = separator == .hyphen || separator == .space
        let width = spaced ? 11 : 9
        guard let area = digits(start, 3) else { return nil }
        let groupAt = spaced ? start + 4 : start + 3
        let serialAt = spaced ? start + 7 : start + 5
        guard let group = digits(groupAt, 2), let serial = digits(serialAt, 4),
            !spaced || text[start + 6] == separator
        else { return nil }
        let end = start + width
        guard !isTokenPart(text[end]) || (text[end] == .dot && !text[end + 1].isAlnum) else { return nil }
        if separator != .hyphen {
            let labels = text.wordsBefore(start, count: 3)
            guard labels.contains(where: { $0.hasSuffix("ssn") || $0 == "security" }) else { return nil }
        }
        guard area != 0, area != 666, area < 900, group != 0, serial != 0 else { return nil }
        return end
    }
}
