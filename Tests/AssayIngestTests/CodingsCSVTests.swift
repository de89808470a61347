import AssayCore
import AssayIngest
import AssayTestSupport
import Foundation
import Testing

/// The codes file of `assay agreement`: columns by name, missing codes, and every mistake named
/// with its row.
@Suite struct CodingsCSVTests {
    @Test func variablesInFileOrderWithTheirCodersAndMissingCodes() throws {
        let text =
            "\u{FEFF}Coder,Document,Variable,Value,Note\r\nann,d1,violence,yes,\r\nbob,d1,violence,,unsure\r\n"
            + "ann,d1,size,\" 120 \",\r\nbob,d2,violence,no,\r\n\r\nbob,d1,size,\"1,200\",\r\n"
        let variables = try CodingsCSV.read(text)
        #expect(variables.map(\.variable) == ["violence", "size"])
        let violence = variables[0].ratings
        #expect(violence.coders == ["ann", "bob"] && violence.units == ["d1", "d2"])
        #expect(violence.values == [["yes", nil], [nil, "no"]])
        #expect(variables[1].ratings.values == [["120", "1,200"]])
    }

    @Test(arguments: [
        (
            "unit,coder,value\n1,a,x\n",
            "the header must name the columns unit (or document), coder, variable, value; it has unit, coder, value"
        ),
        ("", "the file is empty (expected the columns unit (or document), coder, variable, value)"),
        ("unit,coder,variable,value\n", "the file has a header but no codes"),
        ("unit,coder,variable,value\n1,a,v,x\n1,a,v,y\n", "row 3: unit '1', coder 'a', variable 'v' is already on row 2"),
        ("unit,coder,variable,value\n1,,v,x\n", "row 2: the coder is empty"),
        ("unit,coder,variable,value\n1,a,v,x\u{0}\n", "the file holds a NUL byte: not a CSV file"),
    ])
    func mistakesAreNamed(text: String, problem: String) {
        #expect(throws: CodingsCSV.Problem(description: problem)) { try CodingsCSV.read(text) }
    }

    @Test func aFileThatIsNotTextOrTooLargeIsRefusedBeforeParsing() throws {
        let folder = try TempFolder("codings")
        let binary = try folder.write("codes.csv", bytes: [0x75, 0x6E, 0xFF, 0xFE, 0x00])
        #expect(throws: CodingsCSV.Problem(description: "codes.csv is not UTF-8 text")) { try CodingsCSV.read(contentsOf: binary) }
        #expect(throws: CodingsCSV.Problem.self) { try CodingsCSV.read(contentsOf: folder.file("missing.csv")) }
        let big = folder.file("big.csv")
        FileManager.default.createFile(atPath: big.path, contents: nil)
        let handle = try FileHandle(forWritingTo: big)
        try handle.truncate(atOffset: UInt64(CodingsCSV.maxBytes + 1))
        try handle.close()
        #expect(
            throws: CodingsCSV.Problem(description: "big.csv is \(CodingsCSV.maxBytes + 1) bytes, over the limit of \(CodingsCSV.maxBytes)")
        ) {
            try CodingsCSV.read(contentsOf: big)
        }
    }

    @Test func aGoldSetNamesDocumentsAndSkipsEmptyCodes() throws {
        let codes = try CodingsCSV.gold("document,variable,value\na.txt,violence,yes\na.txt,size,\nb.txt,violence,no\n")
        #expect(codes.map(\.document) == ["a.txt", "b.txt"])
        #expect(codes.map(\.value) == ["yes", "no"])
        #expect(throws: CodingsCSV.Problem(description: "row 3: document 'a.txt', variable 'v' is already on row 2")) {
            try CodingsCSV.gold("document,variable,value\na.txt,v,1\na.txt,v,2\n")
        }
    }
}
