import AssayCore
import Foundation

/// Generated card numbers of every length 12–19 and digit strings that are not cards.
enum CardCases {
    static let maestro = ["5018", "5020", "5038", "5893", "6304", "6759", "6761", "6762", "6763", "6390", "56", "57", "58"]

    /// Issuer prefixes by length, from the schemes' published ranges: Maestro 12–19, Visa 13/16/19,
    /// Diners 14 and 16–19, Amex, JCB (`1800`, `2131`) and UATP (`1`) 15, Mastercard (51–55,
    /// 2221–2720), Discover, JCB 3528–3589, UnionPay, Mir and RuPay 16–19.
    static let issuers: [Int: [String]] = [
        12: maestro,
        13: ["4", "4"] + maestro,
        14: ["300", "305", "36", "38"] + maestro,
        15: ["34", "37", "1800", "2131", "1"],
        16: ["4", "51", "55", "2221", "2720", "6011", "65", "3528", "3589", "62", "2200", "6521", "36"] + maestro,
        17: ["62", "3528", "6011"] + maestro,
        18: ["62", "3528", "2204"] + maestro,
        19: ["4", "6011", "65", "3528", "62", "2200", "36"] + maestro,
    ]

    static let contexts = [
        "Card: {}", "Please refund {} and confirm.", "{}", "paid with {} yesterday", "card number {}, exp 12/27",
        #"{"pan": "{}", "exp": "11/26"}"#, "charged to {}.", "cc={}&amount=12.00", "Kartennummer {} (Maestro)",
        "Visa {} CVV 123", "my card is {} thanks", "billing: {}\nname: Ana Silva",
    ]

    /// `length` digits starting with `prefix` whose Luhn check passes, or fails when `valid` is false.
    static func number(length: Int, prefix: String, valid: Bool, _ random: inout SeededGenerator) -> String {
        let body = prefix + random.digits(length - prefix.count - 1)
        let check = luhnCheckDigit(body)
        return body + String(valid ? check : (check + random.int(1...9)) % 10)
    }

    static func luhnCheckDigit(_ body: String) -> Int {
        var sum = 0
        // The check digit will sit at offset 0 from the right, so the body's last digit is doubled.
        for (offset, character) in body.reversed().enumerated() {
            let digit = character.wholeNumberValue!
            let doubled = offset % 2 == 0 ? digit * 2 : digit
            sum += doubled > 9 ? doubled - 9 : doubled
        }
        return (10 - sum % 10) % 10
    }

    /// The layouts cards are written in: compact, fours (the last group shorter), Amex 4-6-5 and
    /// Diners 4-6-4, each with spaces or hyphens.
    static func layout(_ number: String, _ random: inout SeededGenerator) -> String {
        let digits = Array(number)
        var sizes: [Int]
        switch random.int(0...4) {
        case 0: return number
        case 1 where digits.count == 15: sizes = [4, 6, 5]
        case 1 where digits.count == 14: sizes = [4, 6, 4]
        default: sizes = Array(repeating: 4, count: digits.count / 4) + (digits.count % 4 == 0 ? [] : [digits.count % 4])
        }
        let separator = random.pick([" ", " ", "-"])
        var groups: [String] = []
        var start = 0
        for size in sizes {
            groups.append(String(digits[start..<start + size]))
            start += size
        }
        return groups.joined(separator: separator)
    }

    /// Valid numbers of every length, tagged `card 12` … `card 19`.
    static func positives(perLength: Int, _ random: inout SeededGenerator) -> [LabelledText] {
        (12...19).flatMap { length in
            (0..<perLength).map { _ in
                let number = number(length: length, prefix: random.pick(issuers[length]!), valid: true, &random)
                return LabelledText(random.pick(contexts), layout(number, &random), .cardNumber, tag: "card \(length)")
            }
        }
    }

    /// The same shapes with a failing check digit, and digit strings that are something else:
    /// timestamps, barcodes, order and tracking numbers, runs too long or too short for a card.
    static func negatives(_ count: Int, _ random: inout SeededGenerator) -> [LabelledText] {
        (0..<count).map { _ in
            switch random.int(0...7) {
            case 0, 1, 2:
                let length = random.int(12...19)
                let number = number(length: length, prefix: random.pick(issuers[length]!), valid: false, &random)
                return LabelledText(clean: random.pick(contexts).replacingOccurrences(of: "{}", with: layout(number, &random)))
            case 3:
                // Unix time in milliseconds, microseconds and nanoseconds, as spans and logs write it.
                let width = random.pick([13, 16, 19])
                let stamp = "17" + random.digits(width - 2)
                return LabelledText(
                    clean: random.pick([
                        "ts=\(stamp)", "\"start_time_unix_nano\": \(stamp)",
                        "epoch \(stamp) ms", "at \(stamp)",
                    ]))
            case 4:
                let isbn = "978" + random.digits(10)
                let ean = random.pick(["40", "50", "54", "76"]) + random.digits(11)
                return LabelledText(clean: random.pick(["ISBN \(isbn)", "EAN \(ean)", "barcode \(ean) scanned", "isbn: \(isbn)"]))
            case 5:
                let id = String(random.int(2...6)) + random.digits(random.int(11...18))
                let label = random.pick([
                    "Order", "order no.", "Invoice", "Tracking number", "Ticket", "Booking ref",
                    "Confirmation", "SKU", "order #", "invoice number:",
                ])
                return LabelledText(clean: "\(label) \(id) is on its way")
            case 6:
                let long = String(random.int(2...6)) + random.digits(random.int(19...30))
                return LabelledText(clean: random.pick(["id \(long)", "hash \(long)", "\(long)", "value=\(long);"]))
            default:
                let short = String(random.int(2...6)) + random.digits(random.int(5...10))
                return LabelledText(clean: random.pick(["total \(short) items", "#\(short)", "pid \(short)", "\(short)"]))
            }
        }
    }
}
