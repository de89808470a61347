import AssayCore
import Testing

@Suite struct JSONValueTests {
    @Test func parsesAndSerializesKeepingKeyOrder() throws {
        let text = #"{"b":1,"a":[true,null,"x\n\"y\""],"c":{"z":-2.5,"y":1e3}}"#
        let value = try JSONValue.parse(text)
        #expect(value.serialized() == #"{"b":1,"a":[true,null,"x\n\"y\""],"c":{"z":-2.5,"y":1000}}"#)
        #expect(value.serialized(sortedKeys: true).hasPrefix(#"{"a":"#))
        #expect(value["c"]?["z"]?.doubleValue == -2.5)
    }

    @Test(arguments: ["", "{", #"{"a":1,}"#, "[1 2]", "tru", #"{"a" 1}"#, "1 2"])
    func rejectsInvalidJSON(_ text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(text) }
    }

    @Test func unicodeEscapesRoundTrip() throws {
        let value = try JSONValue.parse(#""caf\u00e9 \ud83d\ude00""#)
        #expect(value == .string("café 😀"))
        #expect(try JSONValue.parse(value.serialized()) == value)
    }

    @Test func displayTextIsWhatACellShows() {
        #expect(JSONValue.number(2500).displayText == "2500")
        #expect(JSONValue.array(["a", "b"]).displayText == "a; b")
        #expect(JSONValue.null.displayText == "")
    }
}
