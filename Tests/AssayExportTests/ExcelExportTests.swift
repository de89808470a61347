import AssayCore
import AssayTestSupport
import Foundation
import Testing

@testable import AssayExport

/// The workbook read back cell by cell by openpyxl (Debian's python3-openpyxl), an independent reader.
@Suite struct ExcelExportTests {
    /// Prints every sheet as JSON: its frozen pane and its rows of `[type, value]` cells.
    static let reader = """
        import json, sys, datetime, openpyxl
        book = openpyxl.load_workbook(sys.argv[1])
        out = {}
        for sheet in book.worksheets:
            rows = []
            for row in sheet.iter_rows():
                cells = []
                for cell in row:
                    v = cell.value
                    if v is None: cells.append(["none", None])
                    elif isinstance(v, bool): cells.append(["bool", v])
                    elif isinstance(v, (int, float)): cells.append(["number", v])
                    elif isinstance(v, datetime.datetime): cells.append(["date", v.date().isoformat()])
                    else: cells.append(["text", v])
                rows.append(cells)
            out[sheet.title] = {"freeze": sheet.freeze_panes, "rows": rows}
        print(json.dumps(out))
        """

    struct Sheet {
        var freeze: String?
        var rows: [[(type: String, value: JSONValue)]]

        func column(_ name: String) -> Int? {
            rows.first?.firstIndex { $0.value == .string(name) }
        }

        func cell(_ row: Int, _ name: String) -> (type: String, value: JSONValue)? {
            guard let index = column(name), rows.indices.contains(row), rows[row].indices.contains(index) else { return nil }
            return rows[row][index]
        }
    }

    static func read(_ data: Data) throws -> [String: Sheet] {
        let folder = try TempFolder("xlsx")
        let file = try folder.write("export.xlsx", bytes: Array(data))
        let script = try folder.write("read.py", reader)
        let json = try JSONValue.parse(try ExternalTool.run(ExternalTool.python, [script.path, file.path]))
        var sheets: [String: Sheet] = [:]
        for (name, sheet) in json.objectValue ?? [:] {
            let rows = (sheet.objectValue?["rows"]?.arrayValue ?? []).map { row in
                (row.arrayValue ?? []).map { cell in
                    (type: cell.arrayValue?[0].stringValue ?? "", value: cell.arrayValue?[1] ?? .null)
                }
            }
            sheets[name] = Sheet(freeze: sheet.objectValue?["freeze"]?.stringValue, rows: rows)
        }
        return sheets
    }

    @Test func openpyxlReadsTypedCellsOnThreeSheets() throws {
        let data = try DatasetExporter.data(ResearchFixtures.dataset, format: .xlsx, columns: .all)
        let sheets = try Self.read(data)
        #expect(Set(sheets.keys) == ["data", "codebook", "quality"])
        let sheet = try #require(sheets["data"])
        #expect(sheet.freeze == "A2")
        #expect(sheet.rows.count == 4)
        #expect(sheet.cell(1, "document_id")?.value == "köln/2024-05-01.txt")
        #expect(sheet.cell(1, "violence")?.type == "bool")
        #expect(sheet.cell(1, "violence")?.value == true)
        #expect(sheet.cell(2, "violence")?.value == false)
        #expect(sheet.cell(1, "violence_confidence")?.type == "number")
        #expect(sheet.cell(1, "violence_confidence")?.value == 0.95)
        #expect(sheet.cell(1, "violence_evidence")?.value == .string(ResearchFixtures.quoteA))
        #expect(sheet.cell(1, "crowd_size")?.type == "number")
        #expect(sheet.cell(1, "crowd_size")?.value == 1500)
        #expect(sheet.cell(2, "crowd_size")?.type == "none")
        #expect(sheet.cell(2, "crowd_size_status")?.value == "failed")
        #expect(sheet.cell(1, "event_date")?.type == "date")
        #expect(sheet.cell(1, "event_date")?.value == "2024-05-01")
        #expect(sheet.cell(1, "organiser")?.value == "students")
        // A list-valued category is text, values joined as in the CSV.
        #expect(sheet.cell(2, "tags")?.value == "peaceful; march")
        #expect(sheet.cell(2, "summary")?.value == "Ruhig — ünïcödé ✓")
        #expect(sheet.cell(3, "_outcome")?.value == "not_run")
        #expect(sheet.cell(1, "_codebook_version")?.value == 3)
    }

    @Test func hostileTextIsCutOrCleanedNotFatal() throws {
        let sheets = try Self.read(try DatasetExporter.data(ResearchFixtures.dataset, format: .xlsx, columns: .none))
        let sheet = try #require(sheets["data"])
        let long = try #require(sheet.cell(1, "summary")?.value.stringValue)
        #expect(long.utf16.count <= 32_767)
        #expect(long.hasPrefix(String(repeating: "ä", count: 1000)))
        #expect(long.hasSuffix("the CSV or JSONL export has it all]"))
        #expect(long.contains("40000 characters"))
        // Characters XML 1.0 forbids are dropped; markup and tabs survive as text.
        #expect(sheet.cell(1, "2nd place (city)")?.value == "bell nul escape tab\tok <b>&amp;</b> \"quoted\"")
    }

    @Test func codebookAndQualitySheets() throws {
        let sheets = try Self.read(try DatasetExporter.data(ResearchFixtures.dataset, format: .xlsx))
        let codebook = try #require(sheets["codebook"])
        #expect(codebook.rows.count == 1 + ResearchFixtures.codebook.variables.count)
        #expect(codebook.cell(2, "name")?.value == "organiser")
        #expect(codebook.cell(2, "categories")?.value == "union=Trade union | students=Students | other")
        #expect(codebook.cell(2, "instructions")?.value == "Who organised it?")
        #expect(codebook.cell(4, "rules")?.value == "min 0")
        #expect(codebook.cell(1, "required")?.value == false)
        #expect(codebook.cell(1, "version")?.value == 3)

        let quality = try #require(sheets["quality"])
        // crowd_size: 3 rows, one value, one failed, two missing (the failed and the never-run).
        #expect(quality.cell(4, "variable")?.value == "crowd_size")
        #expect(quality.cell(4, "values")?.value == 1)
        #expect(quality.cell(4, "pct_failed")?.value == 33.3)
        #expect(quality.cell(4, "pct_missing")?.value == 66.7)
        // summary: one flagged of three rows; mean confidence (0.5 + 0.9) / 2.
        #expect(quality.cell(6, "pct_flagged")?.value == 33.3)
        #expect(quality.cell(6, "mean_confidence")?.value.doubleValue.map { abs($0 - 0.7) < 1e-9 } == true)
    }

    /// Below the variables, what the project's jobs spent: tokens and dollars, in all and per document.
    @Test func theQualitySheetEndsWithWhatWasSpent() throws {
        var dataset = ResearchFixtures.dataset
        #expect(
            try Self.read(try DatasetExporter.data(dataset, format: .xlsx))["quality"]?.rows.contains { $0.first?.value == "spending" }
                == false)
        dataset.spending = Spending(tokensIn: 9000, tokensOut: 700, tokensCached: 6000, cost: 0.0123, costPerDocument: 0.0041)
        let quality = try #require(try Self.read(try DatasetExporter.data(dataset, format: .xlsx))["quality"])
        let header = try #require(quality.rows.firstIndex { $0.first?.value == "spending" })
        #expect(
            quality.rows[header].prefix(6).map(\.value) == [
                "spending", "tokens_in", "tokens_out", "tokens_cached", "cost_usd", "cost_per_document_usd",
            ])
        #expect(quality.rows[header + 1].prefix(6).map(\.value) == ["all jobs", 9000, 700, 6000, 0.0123, 0.0041])
    }

    /// With people's codes, the quality sheet has Krippendorff's α among them and with the model.
    @Test func theQualitySheetCarriesAgreementWhenPeopleCoded() throws {
        var dataset = ResearchFixtures.dataset
        // violence: ann and bob agree on all three documents; the model never ran on document 3.
        dataset.humanCodes = [
            HumanCode(documentID: 1, variable: "violence", coder: "ann", value: "yes"),
            HumanCode(documentID: 1, variable: "violence", coder: "bob", value: "true"),
            HumanCode(documentID: 2, variable: "violence", coder: "ann", value: "no"),
            HumanCode(documentID: 2, variable: "violence", coder: "bob", value: "no"),
            HumanCode(documentID: 3, variable: "violence", coder: "ann", value: "no"),
            HumanCode(documentID: 3, variable: "violence", coder: "bob", value: "no"),
        ]
        let quality = try #require(try Self.read(try DatasetExporter.data(dataset, format: .xlsx))["quality"])
        #expect(quality.cell(1, "variable")?.value == "violence")
        #expect(quality.cell(1, "alpha_people")?.value == 1)
        let withModel = try #require(quality.cell(1, "alpha_people_and_model")?.value.doubleValue)
        #expect(withModel < 1)
        #expect(quality.cell(2, "alpha_people")?.value == .null)
        // Without people's codes the columns are there and empty.
        let plain = try #require(try Self.read(try DatasetExporter.data(ResearchFixtures.dataset, format: .xlsx))["quality"])
        #expect(plain.cell(1, "alpha_people")?.value == .null)
    }

    @Test func thousandsOfRows() throws {
        let data = try DatasetExporter.data(ResearchFixtures.many(5_000), format: .xlsx, columns: .none)
        let sheets = try Self.read(data)
        let sheet = try #require(sheets["data"])
        #expect(sheet.rows.count == 5_001)
        #expect(sheet.cell(5_000, "crowd_size")?.value == 5_000)
        #expect(sheet.cell(5_000, "event_date")?.value == "2023-12-31")
    }

    @Test func refusesMoreRowsThanExcelHolds() throws {
        #expect(throws: ExportError.tooManyRows(format: "xlsx", rows: 3, limit: 2)) {
            try ExcelExport.data(ResearchFixtures.dataset, columns: .none, maxRows: 3)
        }
    }

    @Test func columnLetters() {
        #expect([0, 25, 26, 701, 702].map(SheetWriter.columnName) == ["A", "Z", "AA", "ZZ", "AAA"])
    }
}
