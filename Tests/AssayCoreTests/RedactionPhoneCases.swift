import AssayCore
import Foundation

/// Generated phone numbers in national and international shapes, and numbers that only look
/// like them: dates, times, versions, postal codes, street addresses, amounts, order numbers.
enum PhoneCases {
    typealias Shape = @Sendable (inout SeededGenerator) -> String

    /// Shapes by country, as people write them, tagged by country (`intl` after a `+`). Two shapes
    /// the redactor does not take without a label stay in so the figures are honest: ten bare
    /// digits (`bare`, as often an id) and Spanish 3-3-3 (`es`, as often an amount).
    static let shapes: [(tag: String, make: Shape)] = [
        ("us", { r in "(\(r.digits(3, leadingNonZero: true))) \(r.digits(3, leadingNonZero: true))-\(r.digits(4))" }),
        ("us", { r in "(\(r.digits(3, leadingNonZero: true)))\(r.digits(3, leadingNonZero: true))-\(r.digits(4))" }),
        ("us", { r in "\(r.digits(3, leadingNonZero: true))-\(r.digits(3, leadingNonZero: true))-\(r.digits(4))" }),
        ("us", { r in "\(r.digits(3, leadingNonZero: true)).\(r.digits(3, leadingNonZero: true)).\(r.digits(4))" }),
        ("us", { r in "\(r.digits(3, leadingNonZero: true)) \(r.digits(3, leadingNonZero: true)) \(r.digits(4))" }),
        ("us", { r in "1-\(r.digits(3, leadingNonZero: true))-\(r.digits(3, leadingNonZero: true))-\(r.digits(4))" }),
        ("us", { r in "1 (\(r.digits(3, leadingNonZero: true))) \(r.digits(3, leadingNonZero: true))-\(r.digits(4))" }),
        ("us", { r in "001-\(r.digits(3, leadingNonZero: true))-\(r.digits(3, leadingNonZero: true))-\(r.digits(4))" }),
        ("us", { r in "\(r.digits(3, leadingNonZero: true))-\(r.digits(4))" }),
        ("uk", { r in "020 \(r.digits(4, leadingNonZero: true)) \(r.digits(4))" }),
        ("uk", { r in "01\(r.digits(2)) \(r.digits(3)) \(r.digits(4))" }),
        ("uk", { r in "07\(r.digits(3)) \(r.digits(6))" }),
        ("uk", { r in "01\(r.digits(3)) \(r.digits(6))" }),
        ("uk", { r in "(020) \(r.digits(4, leadingNonZero: true)) \(r.digits(4))" }),
        ("uk", { r in "(01\(r.digits(3))) \(r.digits(6))" }),
        ("de", { r in "0\(r.digits(2, leadingNonZero: true)) \(r.digits(8))" }),
        ("de", { r in "0\(r.digits(2, leadingNonZero: true)) \(r.digits(4)) \(r.digits(4))" }),
        ("de", { r in "0\(r.digits(2, leadingNonZero: true))-\(r.digits(7))" }),
        ("de", { r in "0\(r.digits(2, leadingNonZero: true))/\(r.digits(7))" }),
        ("de", { r in "(0\(r.digits(2, leadingNonZero: true))) \(r.digits(8))" }),
        ("de", { r in "01\(r.digits(2)) \(r.digits(7))" }),
        ("fr", { r in "0\(r.int(1...9)) \(r.digits(2)) \(r.digits(2)) \(r.digits(2)) \(r.digits(2))" }),
        ("fr", { r in "0\(r.int(1...9)).\(r.digits(2)).\(r.digits(2)).\(r.digits(2)).\(r.digits(2))" }),
        ("fr", { r in "0\(r.int(1...9))-\(r.digits(2))-\(r.digits(2))-\(r.digits(2))-\(r.digits(2))" }),
        ("other", { r in "(0\(r.int(2...8))) \(r.digits(4)) \(r.digits(4))" }),
        ("other", { r in "04\(r.digits(2)) \(r.digits(3)) \(r.digits(3))" }),
        ("other", { r in "0\(r.int(3...9))-\(r.digits(4))-\(r.digits(4))" }),
        ("other", { r in "(\(r.digits(2, leadingNonZero: true))) \(r.digits(5))-\(r.digits(4))" }),
        ("other", { r in "8 (\(r.digits(3))) \(r.digits(3))-\(r.digits(2))-\(r.digits(2))" }),
        ("other", { r in "0\(r.digits(2)) \(r.digits(3)) \(r.digits(4))" }),
        ("intl", { r in "+1 \(r.digits(3, leadingNonZero: true)) \(r.digits(3, leadingNonZero: true)) \(r.digits(4))" }),
        ("intl", { r in "+1-\(r.digits(3, leadingNonZero: true))-\(r.digits(3, leadingNonZero: true))-\(r.digits(4))" }),
        ("intl", { r in "+1 (\(r.digits(3, leadingNonZero: true))) \(r.digits(3, leadingNonZero: true))-\(r.digits(4))" }),
        ("intl", { r in "+1.\(r.digits(3, leadingNonZero: true)).\(r.digits(3, leadingNonZero: true)).\(r.digits(4))" }),
        ("intl", { r in "+44 20 \(r.digits(4)) \(r.digits(4))" }),
        ("intl", { r in "+44 (0)20 \(r.digits(4)) \(r.digits(4))" }),
        ("intl", { r in "+44 7\(r.digits(3)) \(r.digits(6))" }),
        ("intl", { r in "+447\(r.digits(9))" }),
        ("intl", { r in "+49 \(r.digits(2, leadingNonZero: true)) \(r.digits(8))" }),
        ("intl", { r in "+49 (0)\(r.digits(2, leadingNonZero: true)) \(r.digits(8))" }),
        ("intl", { r in "+49 1\(r.digits(2)) \(r.digits(7))" }),
        ("intl", { r in "+33 \(r.int(1...9)) \(r.digits(2)) \(r.digits(2)) \(r.digits(2)) \(r.digits(2))" }),
        ("intl", { r in "+33 (0)\(r.int(1...9)) \(r.digits(2)) \(r.digits(2)) \(r.digits(2)) \(r.digits(2))" }),
        ("intl", { r in "+61 \(r.int(2...8)) \(r.digits(4)) \(r.digits(4))" }),
        ("intl", { r in "+91 \(r.digits(5, leadingNonZero: true)) \(r.digits(5))" }),
        ("intl", { r in "+81 \(r.int(3...9))-\(r.digits(4))-\(r.digits(4))" }),
        ("intl", { r in "+86 1\(r.digits(2)) \(r.digits(4)) \(r.digits(4))" }),
        ("intl", { r in "+55 \(r.digits(2, leadingNonZero: true)) 9\(r.digits(4))-\(r.digits(4))" }),
        ("intl", { r in "+7 \(r.digits(3)) \(r.digits(3))-\(r.digits(2))-\(r.digits(2))" }),
        ("intl", { r in "+34 \(r.digits(3, leadingNonZero: true)) \(r.digits(3)) \(r.digits(3))" }),
        ("intl", { r in "+39 06 \(r.digits(4)) \(r.digits(4))" }),
        ("intl", { r in "+353 1 \(r.digits(3)) \(r.digits(4))" }),
        ("intl", { r in "+971 4 \(r.digits(3)) \(r.digits(4))" }),
        ("labelled", { r in "Phone: \(r.digits(10, leadingNonZero: true))" }),
        ("labelled", { r in "tel. 0\(r.digits(10))" }),
        ("labelled", { r in "Mobile \(r.digits(3, leadingNonZero: true))\(r.digits(3, leadingNonZero: true))\(r.digits(4))" }),
        ("labelled", { r in "call me at \(r.digits(10, leadingNonZero: true))" }),
        ("bare", { r in "\(r.digits(3, leadingNonZero: true))\(r.digits(3, leadingNonZero: true))\(r.digits(4))" }),
        ("es", { r in "6\(r.digits(2)) \(r.digits(3)) \(r.digits(3))" }),
    ]

    /// Extensions as they follow a number: `x4587`, `ext. 12`, `ext 12`, `extension 7`.
    static let extensions: [Shape] = [
        { r in "x\(r.digits(r.int(3...5)))" }, { r in " x\(r.digits(r.int(2...5)))" }, { r in " ext. \(r.digits(r.int(1...4)))" },
        { r in " ext \(r.digits(r.int(1...4)))" }, { r in ", ext. \(r.digits(3))" }, { r in " Ext.\(r.digits(2))" },
        { r in " extension \(r.digits(r.int(1...4)))" }, { r in " X\(r.digits(3))" },
    ]

    /// Sentences a number sits in, none of them with a phone label (those are in the shapes).
    static let contexts = [
        "You can reach me at {}.", "{}", "Reach Ana Silva at {} or by mail.", "Our front desk: {}",
        "Leave a message on {} after 5pm.", #"{"name": "Ana", "number": "{}"}"#, "Ana Silva, {}, ana@example.org",
        "(contact {})", "Numbers: {}; email later.", "Ring {} tomorrow", "Questions? {} (9:00-17:00)",
    ]

    /// Numbers in every shape, about one in five with an extension (tagged `ext`).
    static func positives(_ count: Int, _ random: inout SeededGenerator) -> [LabelledText] {
        (0..<count).map { _ in
            let shape = random.pick(shapes)
            var number = shape.make(&random)
            var tag = shape.tag
            if !["bare", "es", "labelled"].contains(tag), random.chance(0.2) {
                number += random.pick(extensions)(&random)
                tag = "ext"
            }
            let context = random.pick(contexts)
            // A label stays in front of the number, outside what must be redacted.
            if tag == "labelled", let space = number.lastIndex(of: " ") {
                let label = String(number[...space])
                return LabelledText(
                    context.replacingOccurrences(of: "{}", with: label + "{}"),
                    String(number[number.index(after: space)...]), .phone, tag: tag)
            }
            return LabelledText(context, number, .phone, tag: tag)
        }
    }

    /// Texts with numbers that are not phones.
    static func negatives(_ count: Int, _ random: inout SeededGenerator) -> [LabelledText] {
        (0..<count).map { _ in LabelledText(clean: random.pick(hardNegatives)(&random)) }
    }

    static let streets = ["Elm Street", "Main St", "Oak Avenue", "Baker Street", "Hauptstraße", "rue de Rivoli", "Calle Mayor"]
    static let cities = ["Springfield, IL", "Boston, MA", "Portland, ME", "Hartford, CT", "Newark, NJ", "Austin, TX"]

    static let hardNegatives: [Shape] = [
        // Street addresses, ZIP and ZIP+4 codes (New England codes start with 0).
        { r in "\(r.int(1...9999)) \(r.pick(streets)), \(r.pick(cities)) \(r.digits(5))" },
        { r in "\(r.pick(cities)) 0\(r.digits(4))-\(r.digits(4))" },
        { r in "\(r.pick(cities)) 0\(r.digits(4)) \(r.int(100...9999)) \(r.pick(streets))" },
        { r in "Suite \(r.int(100...999)) \(r.int(1000...9999)) \(r.pick(streets))" },
        { r in "PO Box \(r.int(100...999))-\(r.digits(4)), \(r.pick(cities))" },
        { r in "\(r.pick(streets)) \(r.int(1...200)), 0\(r.digits(4)) Dresden" },
        { r in "Apt \(r.int(1...99)), \(r.int(100...9999)) \(r.pick(streets)), \(r.pick(cities)) \(r.digits(5))-\(r.digits(4))" },
        { r in "\(r.int(1...99)) \(r.pick(streets)) 750\(r.digits(2)) Paris" },
        // Dates and times.
        { r in "released 20\(r.digits(2))-0\(r.int(1...9))-\(r.int(10...28))" },
        { r in "on \(r.int(10...28)).0\(r.int(1...9)).20\(r.digits(2)) at \(r.int(10...23)):\(r.int(10...59))" },
        { r in "due 0\(r.int(1...9))/\(r.int(10...28))/20\(r.digits(2))" },
        { r in "at 20\(r.digits(2))-0\(r.int(1...9))-\(r.int(10...28)) \(r.int(10...23)):\(r.int(10...59)):\(r.int(10...59))" },
        { r in "\(r.int(10...28)) 0\(r.int(1...9)) 20\(r.digits(2))" },
        { r in "open 0\(r.int(7...9)):00-\(r.int(17...21)):30" },
        { r in "expires 0\(r.int(1...9))-20\(r.digits(2))" },
        // Versions, addresses, ids.
        { r in "macOS \(r.int(10...15)).\(r.int(0...9)).\(r.int(1...9))" },
        { r in "build \(r.int(10...11)).0.\(r.digits(5)).\(r.int(1...999))" },
        { r in "from 10.\(r.int(0...255)).\(r.int(0...255)).\(r.int(1...254))" },
        { r in "Order \(r.digits(3, leadingNonZero: true))-\(r.digits(3))-\(r.digits(4)) shipped" },
        { r in "invoice no. 0\(r.digits(3)) \(r.digits(4)) \(r.digits(2))" },
        { r in "ticket \(r.digits(3, leadingNonZero: true))-\(r.digits(4))" },
        { r in "SKU 0\(r.digits(2))-\(r.digits(4))-\(r.digits(3))" },
        { r in "ISBN 978-\(r.int(0...1))-\(r.digits(3))-\(r.digits(5))-\(r.int(0...9))" },
        { r in "tool call \(r.digits(7, leadingNonZero: true))" },
        { r in "order \(r.digits(10, leadingNonZero: true)) shipped" },
        { r in "serial \(r.digits(4))-\(r.digits(4))-\(r.digits(4))" },
        // Amounts and quantities.
        { r in "population \(r.int(10...99)) \(r.digits(3)) \(r.digits(3))" },
        { r in "total $\(r.int(1...999)),\(r.digits(3)).\(r.digits(2))" },
        { r in "€ \(r.int(1...999)) \(r.digits(3)) \(r.digits(3)),\(r.digits(2))" },
        { r in "USD \(r.int(100...999)) \(r.digits(3)) \(r.digits(3))" },
        { r in "\(r.int(1...9)).\(r.digits(3)).\(r.digits(3)) EUR" },
        { r in "pages \(r.int(100...499))-\(r.int(500...999))" },
        { r in "score \(r.int(10...99))-\(r.int(10...99)) after \(r.int(60...120)) minutes" },
        { r in "resolution \(r.int(1000...3840))x\(r.int(700...2160))" },
        { r in "coordinates \(r.int(10...60)).\(r.digits(4)), \(r.int(10...60)).\(r.digits(4))" },
        { r in "SSN \(r.int(100...665))-\(r.int(10...99))-\(r.digits(4))" },
        { r in "trace 0x\(r.digits(8)) took \(r.int(100...999)) ms" },
        // Written after the rules, to see what they had not been shaped for.
        { r in "open 0\(r.int(7...9))\(r.pick(["00", "30"]))-\(r.int(16...20))\(r.pick(["00", "30"])) daily" },
        { r in "bytes 00 0\(r.int(0...9)) \(r.digits(2)) \(r.digits(2)) \(r.digits(2))" },
        { r in "Kontonummer 0\(r.digits(3)) \(r.digits(4)) \(r.digits(2))" },
        { r in "P/N 0\(r.digits(3))-\(r.digits(3))-\(r.digits(3))" },
        { r in "ids 000\(r.int(1...9)) 000\(r.int(1...9)) 00\(r.int(10...99))" },
        { r in "lot 0\(r.digits(3)) \(r.digits(4))" },
        { r in "between \(r.int(1990...2010))-\(r.int(2011...2024)) and \(r.int(100...999)) \(r.digits(3)) people" },
        { r in "v\(r.int(1...9)).\(r.int(0...20)).\(r.int(0...99)) (build \(r.digits(4)))" },
    ]
}
