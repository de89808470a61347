import AssayCore
import Testing

/// Inputs libFuzzer found (scripts/fuzz.sh, harness fuzz/json.swift) that broke the JSON reader.
@Suite struct JSONFuzzFindingsTests {
    /// `1e400` read as infinity, which serializes as `null`: a stored value silently changed.
    @Test(arguments: ["1e400", "[-1e400]", #"{"x": 2E+999}"#])
    func aNumberPastDoubleIsRefused(_ text: String) {
        let error = #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(text) }
        #expect(error?.message == "number out of range")
    }

    @Test func numbersWithinRangeStillRoundTrip() throws {
        for text in ["1e308", "-1.7976931348623157e308", "1e-400", "9007199254740993"] {
            let value = try JSONValue.parse(text)
            #expect(try JSONValue.parse(value.serialized()) == value, "\(text)")
        }
    }

    /// A high surrogate followed by an escape that is not a low one (`\ud83d\ud00e`) crashed the
    /// process with an arithmetic overflow: any record, trace or model reply could do it.
    @Test func aHighSurrogateWithoutItsLowHalfIsReplacedNotACrash() throws {
        #expect(try JSONValue.parse(#""\ud83d\ud00e""#) == .string("\u{FFFD}\u{D00E}"))
        #expect(try JSONValue.parse(#""\ud800\u0041""#) == .string("\u{FFFD}A"))
        #expect(try JSONValue.parse(#""\ud800\ud800\udc00""#) == .string("\u{FFFD}\u{10000}"))
        #expect(try JSONValue.parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try ResponseRepair.parse(#"{"a": "\ud83d\u0041"}"#).value == ["a": "\u{FFFD}A"])
    }

    @Test func aUnicodeEscapeTakesExactlyFourHexDigits() {
        for text in [#""\u+041""#, #""\u-041""#, #""\u 041""#, #""\u12""#] {
            #expect(throws: JSONSyntaxError.self, "\(text)") { try JSONValue.parse(text) }
        }
    }
}
