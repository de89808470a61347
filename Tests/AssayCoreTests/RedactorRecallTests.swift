import AssayCore
import Foundation
import Testing

/// Recall and precision of the card detector on a few thousand generated, labelled texts
/// (RedactionCardCases). Set REDACTION_REPORT=1 to print the figures that docs/REDACTION.md quotes.
@Suite struct RedactionRecallTests {
    static let corpus: [LabelledText] = {
        var random = SeededRandom(seed: 0xA55A_7_2024)
        return CardCases.positives(perLength: 200, &random) + CardCases.negatives(1200, &random)
    }()

    static func report(_ score: RedactionScore, _ title: String) {
        guard ProcessInfo.processInfo.environment["REDACTION_REPORT"] != nil else { return }
        print(score.report(title))
        for tag in score.byTag.keys.sorted() {
            for line in score.misses.filter({ $0.hasPrefix("\(tag):") }).prefix(3) { print("  missed  \(line)") }
        }
        for line in score.wrong.prefix(15) { print("  wrong   \(line)") }
    }

    @Test func cardsOfEveryLengthAreFound() {
        let score = RedactionScore(Self.corpus, kind: .cardNumber)
        Self.report(score, "cards")
        #expect(score.byTag.count == 8)
        for (length, tally) in score.byTag.sorted(by: { $0.key < $1.key }) {
            #expect(tally.recall >= 0.99, "\(length): \(tally.found)/\(tally.planted)")
        }
        #expect(score.total.precision >= 0.99, "\(score.wrong.prefix(10))")
    }

    @Test func generatedCardsPassLuhnOrFailItAsAsked() {
        var random = SeededRandom(seed: 1)
        for length in 12...19 {
            let valid = CardCases.number(length: length, prefix: "5018", valid: true, &random)
            let invalid = CardCases.number(length: length, prefix: "5018", valid: false, &random)
            #expect(valid.count == length && CardCases.luhnCheckDigit(String(valid.dropLast())) == valid.last!.wholeNumberValue)
            #expect(CardCases.luhnCheckDigit(String(invalid.dropLast())) != invalid.last!.wholeNumberValue)
        }
    }
}

/// The misses and false positives named in issue 10, each of which the detector got wrong before.
@Suite struct RedactionRegressionTests {
    @Test(arguments: [
        ("Maestro 5018 0000 0009", "5018 0000 0009"),
        ("maestro 501800000009 ok", "501800000009"),
        ("6759-6498-2648", "6759-6498-2648"),
        ("JCB 1800 0000 0000 002", "1800 0000 0000 002"),
        ("uatp 180012345678905.", "180012345678905"),
        ("UnionPay 6212 3456 7890 1234 57", "6212 3456 7890 1234 57"),
        ("Maestro 6759 0000 0000 0000 00", "6759 0000 0000 0000 00"),
    ])
    func cardsMissedBefore(_ text: String, _ secret: String) {
        expectRedacted(text, secret: secret, as: .cardNumber)
    }

    /// Luhn-valid, yet ids: an order number, a barcode, and 19 digits whose first 16 pass.
    @Test(arguments: ["Order 4111111111111111 shipped", "EAN 4006381333932", "id 4111 1111 1111 1111 111"])
    func numbersTakenForCardsBefore(_ text: String) {
        #expect(Redactor(kinds: [.cardNumber]).redact(text) == text)
    }
}
