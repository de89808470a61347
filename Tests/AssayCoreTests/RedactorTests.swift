import AssayCore
import Foundation
import Testing

@Suite struct RedactorTests {
    @Test func placeholdersNameTheKind() {
        #expect(PIIKind.cardNumber.placeholder == "[REDACTED:card_number]")
        #expect(
            redactor.redact("mail ana@example.com or call +1 415 555 0100")
                == "mail [REDACTED:email] or call [REDACTED:phone]")
    }

    @Test func textWithoutFindingsIsUntouched() {
        let text = "The agent retried the tool call 3 times (v1.2.3) and gave up — ünïcödé stays 🙂."
        #expect(redactor.redact(text) == text)
        #expect(redactor.findings(in: text).isEmpty)
    }

    @Test func findingsGiveKindAndRange() {
        let text = "é ana@example.com, 🙂 4111 1111 1111 1111"
        let found = redactor.findings(in: text)
        #expect(found.map(\.kind) == [.email, .cardNumber])
        #expect(found.map { String(text[$0.range]) } == ["ana@example.com", "4111 1111 1111 1111"])
    }

    @Test func onlyChosenKinds() {
        let text = "ana@example.com 192.168.1.20"
        #expect(Redactor(kinds: [.email]).redact(text) == "[REDACTED:email] 192.168.1.20")
        #expect(Redactor(kinds: [.ipAddress]).redact(text) == "ana@example.com [REDACTED:ip_address]")
        #expect(Redactor(kinds: []).redact(text) == text)
    }

    @Test func overlapsGoToTheLongestThenTheMostSpecific() {
        // The card number is the value of a password key: same span, the checked kind names it.
        #expect(redactor.redact("password=4111111111111111") == "password=[REDACTED:card_number]")
        // A quoted password holding an email: the whole value goes, not just the email.
        #expect(redactor.redact(#""password": "ana@example.com and more""#) == #""password": "[REDACTED:password]""#)
        // An API key inside a bearer header and under a key name.
        #expect(redactor.redact("Authorization: Bearer \(Planted.openAIKey)") == "Authorization: Bearer [REDACTED:api_key]")
        #expect(redactor.redact("OPENAI_API_KEY=\(Planted.openAIKey)") == "OPENAI_API_KEY=[REDACTED:api_key]")
        // The URL's password, not an email made of "password@host".
        #expect(redactor.redact("https://ana:hunter2@example.com") == "https://ana:[REDACTED:password]@example.com")
        #expect(redactor.findings(in: "password=4111111111111111").count == 1)
    }

    @Test func redactingTwiceEqualsOnce() {
        for sample in Self.samples + [TraceSample.text] {
            let once = redactor.redact(sample)
            #expect(redactor.redact(once) == once, "\(sample)")
            #expect(redactor.findings(in: once).isEmpty, "\(once)")
        }
    }

    static let samples = [
        "password=hunter2", #"{"password": "x y z", "api_key": "\#(Planted.openAIKey)"}"#,
        "https://ana:hunter2@example.com", "Authorization: Bearer abc123DEF456ghi789", "Authorization: Basic dXNlcjpwYXNz",
        "4111 1111 1111 1111", "DE89 3704 0044 0532 0130 00", "536-22-1234", "+1 415 555 0100", "ana@example.com",
        "192.168.1.20:8080", "2001:db8::1", Planted.jwt, Planted.awsSecret, "--password hunter2",
        "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----", "token=\(Planted.genericSecret)",
        "phone: 4155550100", "SSN 536 22 1234",
    ]

    @Test func excerptCollapsesWhitespaceAndCaps() {
        #expect(redactor.excerpt("a\n\n  b\tc  ") == "a b c")
        let long = String(repeating: "word ", count: 100)
        let cut = redactor.excerpt(long, limit: 20)
        #expect(cut.count == 20)
        #expect(cut.hasSuffix("…"))
    }

    @Test func excerptCutsOnCharacterBoundaries() {
        // Multi-byte characters and a flag made of two scalars: the cut counts characters.
        let text = String(repeating: "ünï🇩🇪", count: 30)
        let cut = redactor.excerpt(text, limit: 10)
        #expect(cut == "ünï🇩🇪ünï🇩🇪ü…")
        #expect(cut.count == 10)
    }

    @Test func excerptRedactsBeforeCutting() {
        let text = "user 4111 1111 1111 1111 said hello " + String(repeating: "x", count: 300)
        let cut = redactor.excerpt(text, limit: 40)
        #expect(!cut.contains("4111"))
        #expect(cut.hasPrefix("user [REDACTED:card_number] said"))
        // Never half a placeholder.
        #expect(redactor.excerpt("abc ana@example.com", limit: 10) == "abc…")
    }

    @Test func excerptHelperUsesTheRedactor() {
        let reply = "Sorry, I cannot help.\nYour key sk-abc is invalid; email ana@example.com, card 4111-1111-1111-1111"
        let excerpt = Excerpt.redacted(reply)
        #expect(excerpt == "Sorry, I cannot help. Your key sk-abc is invalid; email [REDACTED:email], card [REDACTED:card_number]")
        #expect(Excerpt.redacted(String(repeating: "a", count: 500)).count == 160)
    }

    @Test func plantedSecretsInATraceDoNotSurvive() {
        let redacted = redactor.redact(TraceSample.text)
        for (secret, kind) in TraceSample.planted {
            #expect(!redacted.contains(secret), "\(secret) survived")
            #expect(redacted.contains(kind.placeholder), "no \(kind.placeholder)")
        }
        for kept in TraceSample.readable {
            #expect(redacted.contains(kept), "\(kept) was redacted")
        }
    }
}

/// A failure trace as it arrives from an agent: spans, tool calls with JSON arguments (some
/// escaped inside strings), an HTTP error and the user's own words.
enum TraceSample {
    static let planted: [(String, PIIKind)] = [
        ("maria.gonzalez@example.org", .email), ("+34 612 345 678", .phone), ("4000 0566 5566 5556", .cardNumber),
        ("GB82 WEST 1234 5698 7654 32", .iban), ("536-22-1234", .nationalID), ("203.0.113.42", .ipAddress),
        ("2001:db8:85a3::8a2e:370:7334", .ipAddress), (Planted.anthropicKey, .apiKey), (Planted.awsKeyID, .apiKey),
        (Planted.jwt, .jwt), ("dGhpc2lzYXNlY3JldHRva2VuMTIz", .bearerToken), ("Tr0ub4dor&3", .password),
        ("pg-s3cret-pw", .password), (Planted.awsSecret, .secret),
    ]
    static let readable = [
        "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", "gpt-4o-mini-2024-07-18", "2024-05-06T10:31:07Z",
        "invoke_agent", "gen_ai.usage.input_tokens", "127.0.0.1:5432", "maria", "db.internal",
    ]
    static let text = """
        trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7 name=invoke_agent
        2024-05-06T10:31:07Z gen_ai.request.model=gpt-4o-mini-2024-07-18 gen_ai.usage.input_tokens=1532
        user: Hi, I'm Maria (maria.gonzalez@example.org, +34 612 345 678). Please refund card 4000 0566 5566 5556 \
        to GB82 WEST 1234 5698 7654 32; my SSN is 536-22-1234.
        execute_tool lookup_customer {"arguments": "{\\"password\\": \\"Tr0ub4dor&3\\", \\"ip\\": \\"203.0.113.42\\"}"}
        http.request.header.authorization: Bearer dGhpc2lzYXNlY3JldHRva2VuMTIz
        client: anthropic key=\(Planted.anthropicKey) aws=\(Planted.awsKeyID) \(Planted.awsSecret)
        session cookie jwt \(Planted.jwt)
        db: postgres://maria:pg-s3cret-pw@db.internal:5432/app (local proxy 127.0.0.1:5432)
        peer 2001:db8:85a3::8a2e:370:7334 reset the connection
        error.type=tool_error: customer not found
        """
}
