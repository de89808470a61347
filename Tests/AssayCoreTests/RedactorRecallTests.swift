import AssayCore
import Foundation
import Testing

/// Recall and precision of the card and phone detectors on a few thousand generated, labelled
/// texts (RedactionCardCases, RedactionPhoneCases). Set REDACTION_REPORT=1 to print the figures
/// that docs/REDACTION.md quotes.
@Suite struct RedactionRecallTests {
    /// Every generated text: a phone finding in a card text is as wrong as one in an address.
    static let corpus: [LabelledText] = {
        var random = SeededGenerator(seed: 0xA55A_7_2024)
        return CardCases.positives(perLength: 200, &random) + CardCases.negatives(1200, &random)
            + PhoneCases.positives(2000, &random) + PhoneCases.negatives(1500, &random)
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

    @Test func phonesAreFoundWithoutTakingOtherNumbers() {
        let score = RedactionScore(Self.corpus, kind: .phone)
        Self.report(score, "phones")
        #expect(score.total.recall >= 0.90, "\(score.misses.prefix(10))")
        #expect(score.total.precision >= 0.90, "\(score.wrong.prefix(10))")
    }

    @Test func generatedCardsPassLuhnOrFailItAsAsked() {
        var random = SeededGenerator(seed: 1)
        for length in 12...19 {
            let valid = CardCases.number(length: length, prefix: "5018", valid: true, &random)
            let invalid = CardCases.number(length: length, prefix: "5018", valid: false, &random)
            #expect(valid.count == length && CardCases.luhnCheckDigit(String(valid.dropLast())) == valid.last!.wholeNumberValue)
            #expect(CardCases.luhnCheckDigit(String(invalid.dropLast())) != invalid.last!.wholeNumberValue)
        }
    }
}

/// The misses and false positives named in issue 10, each of which the detectors got wrong before.
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

    @Test(arguments: [
        ("call 555-123-4567x4587 today", "555-123-4567x4587"),
        ("(555)123-4567x123", "(555)123-4567x123"),
        ("+1-555-123-4567 x4587", "+1-555-123-4567 x4587"),
        ("Office: 020 7946 0958 ext. 12, ask for Ana", "020 7946 0958 ext. 12"),
        ("desk 415-555-0100 ext 12", "415-555-0100 ext 12"),
        ("Call me at 5551234567.", "5551234567"),
        ("1 (555) 123-4567", "1 (555) 123-4567"),
        ("Moscow +7 495 123-45-67", "+7 495 123-45-67"),
        ("São Paulo +55 11 91234-5678", "+55 11 91234-5678"),
        ("München 089/1234567", "089/1234567"),
    ])
    func phonesMissedBefore(_ text: String, _ secret: String) {
        expectRedacted(text, secret: secret, as: .phone)
    }

    @Test(arguments: [
        "Suite 300 1200 Main St", "Boston, MA 02134 1234 Elm Street",
        "PO Box 555-1234, Springfield, IL", "Order 555-123-4567 shipped", "invoice no. 0123 4567 89",
        "Hartford, CT 06103-1234", "ref 0201 2345 678",
    ])
    func numbersTakenForPhonesBefore(_ text: String) {
        #expect(redactor.redact(text) == text)
    }

    /// Luhn-valid, yet ids: an order number, a barcode, and 19 digits whose first 16 pass.
    @Test(arguments: ["Order 4111111111111111 shipped", "EAN 4006381333932", "id 4111 1111 1111 1111 111"])
    func numbersTakenForCardsBefore(_ text: String) {
        #expect(Redactor(kinds: [.cardNumber]).redact(text) == text)
    }
}
