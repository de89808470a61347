import AssayCore
import AssayIngest
import AssayTestSupport
import Foundation
import Testing

@Suite struct RecordTests {
    private func collect(_ file: String, _ text: String, fields: RecordFields = RecordFields()) throws -> [DocumentInput] {
        let folder = try TempFolder("ingest")
        try folder.write(file, text)
        return try Ingestor.collect([folder.path], options: IngestOptions(recordFields: fields), relativeTo: folder.url).documents
    }

    @Test func jsonArrayRecords() throws {
        let documents = try collect(
            "data/articles.json",
            """
            [
              {"id": "a1", "title": "Strike", "text": "Workers walked out.", "source": "Daily", "year": 2021},
              {"id": 7, "text": "Students marched."},
              {"text": "No id here."}
            ]
            """)
        #expect(documents.map(\.externalID) == ["data/articles.json#a1", "data/articles.json#7", "data/articles.json#3"])
        #expect(documents.allSatisfy { $0.status == .ready && $0.mediaType == "application/json" })
        #expect(documents[0].title == "Strike")
        #expect(documents[0].text == "Workers walked out.")
        #expect(documents[0].metadata == ["source": "Daily", "year": 2021])
        #expect(documents[1].title == "articles")
        #expect(documents[1].metadata == .null)
    }

    @Test func aJSONObjectIsOneRecord() throws {
        let documents = try collect("one.json", #"{"id": "x", "text": "Only one."}"#)
        #expect(documents.map(\.externalID) == ["one.json#x"])
        #expect(documents.first?.text == "Only one.")
    }

    @Test func recordWithoutTheTextFieldFailsNamingItsFields() throws {
        let documents = try collect(
            "r.json",
            """
            [{"id": "1", "text": "a"}, {"id": "2", "text": "b"}, {"id": "3", "body": "c"}]
            """)
        #expect(documents.map(\.status) == [.ready, .ready, .failed])
        #expect(documents[2].externalID == "r.json#3")
        #expect(documents[2].error == "record 3 has no 'text' field (fields: id, body)")
    }

    @Test func recordProblems() throws {
        let documents = try collect(
            "r.json",
            """
            [{"text": 42}, "just a string", {"text": "   "}, {"id": "d", "text": "ok"}, {"id": "d", "text": "again"}]
            """)
        #expect(
            documents.map(\.error) == [
                "record 1: 'text' is a number, not text",
                "record 2 is not a JSON object (found a string)",
                "record 3 has no text ('text' is empty)",
                nil,
                "record 5: id 'd' is already used by record 4",
            ])
        #expect(documents.map(\.externalID) == ["r.json#1", "r.json:2", "r.json#3", "r.json#d", "r.json:5"])
    }

    @Test func wholeJSONFileProblems() throws {
        let broken = try collect("broken.json", "[\n  {\"text\": \"a\"},\n  {\"text\": }\n]")
        #expect(broken.count == 1)
        #expect(broken[0].externalID == "broken.json")
        #expect(broken[0].error?.hasPrefix("not valid JSON: ") == true)
        #expect(broken[0].error?.hasSuffix("at line 3, column 12") == true)

        #expect(try collect("e.json", "[]").map(\.error) == ["no records (the array is empty)"])
        #expect(try collect("n.json", "42").map(\.error) == ["expected a JSON object or an array of objects, found a number"])
    }

    @Test func jsonlWithOneBrokenLineKeepsTheOthers() throws {
        let documents = try collect(
            "feed.jsonl",
            """
            {"id": "a", "text": "first"}

            {"id": "b", "text": "second"}
            {"id": "c", "text": "third"
            {"id": "d", "text": "fourth"}

            """)
        #expect(documents.map(\.externalID) == ["feed.jsonl#a", "feed.jsonl#b", "feed.jsonl:4", "feed.jsonl#d"])
        #expect(documents.map(\.status) == [.ready, .ready, .failed, .ready])
        let broken = documents[2]
        #expect(broken.error?.hasPrefix("line 4: not valid JSON: ") == true)
        #expect(broken.mediaType == "application/json")
    }

    @Test func jsonlWithoutIdsUsesLineNumbersAndReadsCRLF() throws {
        let documents = try collect("feed.ndjson", "{\"text\": \"one\"}\r\n\r\n{\"text\": \"two\"}\r\n{\"body\": \"x\"}\r\n")
        #expect(documents.map(\.externalID) == ["feed.ndjson#1", "feed.ndjson#3", "feed.ndjson#4"])
        #expect(documents.map(\.text) == ["one", "two", ""])
        #expect(documents[2].error == "line 4 has no 'text' field (fields: body)")
    }

    @Test func configurableFields() throws {
        let fields = RecordFields(id: "uuid", text: "body", title: "headline")
        let documents = try collect(
            "news.jsonl",
            """
            {"uuid": "u-1", "headline": "Rally", "body": "A rally was held.", "id": "ignored", "text": "not this"}
            {"uuid": "u-2", "body": "Another."}
            """, fields: fields)
        #expect(documents.map(\.externalID) == ["news.jsonl#u-1", "news.jsonl#u-2"])
        #expect(documents.map(\.text) == ["A rally was held.", "Another."])
        #expect(documents.map(\.title) == ["Rally", "news"])
        #expect(documents[0].metadata == ["id": "ignored", "text": "not this"])

        let noTitles = try collect(
            "news.jsonl", #"{"id": "1", "text": "t", "title": "kept as metadata"}"#,
            fields: RecordFields(title: nil))
        #expect(noTitles.first?.title == "news")
        #expect(noTitles.first?.metadata == ["title": "kept as metadata"])
    }

    @Test func jsonlProblemsNameTheLine() throws {
        let documents = try collect("f.jsonl", "[1, 2]\n{\"id\": \"x\", \"text\": \"a\"}\n{\"id\": \"x\", \"text\": \"b\"}\n")
        #expect(
            documents.map(\.error) == [
                "line 1 is not a JSON object (found an array)",
                nil,
                "line 3: id 'x' is already used by line 2",
            ])
        #expect(documents.map(\.externalID) == ["f.jsonl:1", "f.jsonl#x", "f.jsonl:3"])
    }

    /// A NUL character (`\u0000`) would cut the text short in the store; the record is refused
    /// with a reason naming its line and field instead, and the other records go in whole.
    @Test func aNULCharacterRefusesTheRecordInsteadOfCuttingIt() throws {
        let documents = try collect(
            "nul.jsonl",
            #"""
            {"id": "1", "text": "Visible part.\u0000Hidden part"}
            {"id": "2\u0000b", "text": "fine"}
            {"id": "3", "text": "fine", "title": "a\u0000b"}
            {"id": "4", "text": "Kept whole.", "note": "metadata may hold \u0000"}
            """#)
        #expect(documents.map(\.status) == [.failed, .failed, .failed, .ready])
        #expect(documents[0].error == "line 1: 'text' contains a NUL character (\\u0000), which would cut it short; remove it")
        #expect(documents[1].error?.hasPrefix("line 2: 'id' contains a NUL character") == true)
        #expect(documents[2].error?.hasPrefix("line 3: 'title' contains a NUL character") == true)
        #expect(documents.map(\.externalID) == ["nul.jsonl:1", "nul.jsonl:2", "nul.jsonl:3", "nul.jsonl#4"])
        #expect(documents[3].text == "Kept whole.")
        // Metadata is stored as JSON text, where the NUL stays escaped.
        #expect(documents[3].metadata["note"]?.stringValue == "metadata may hold \u{0}")
        #expect(documents[3].metadata.serialized().contains("\\u0000"))
    }
}
