import AssayCore
import AssayIngest
import Foundation

/// An Excel workbook (.xlsx, Office Open XML SpreadsheetML) with three sheets: `data` (the wide
/// layout, typed: numbers, booleans and dates as such), `codebook` (every variable) and `quality`
/// (per variable: values, mean confidence, % flagged, % missing, % failed).
///
/// Excel's limits hold: a cell over 32,767 characters is cut and ends with a visible marker
/// (the CSV and JSONL exports keep the whole text); more than 1,048,576 rows is refused.
enum ExcelExport {
    static let maxCellCharacters = 32_767
    static let maxRows = 1_048_576

    /// - Parameter maxRows: Excel's limit, header included; smaller in tests.
    static func data(_ dataset: ExportDataset, columns: ExportColumns, maxRows: Int = maxRows) throws -> Data {
        let table = TypedTable(dataset, columns: columns)
        guard table.rows.count + 1 <= maxRows else {
            throw ExportError.tooManyRows(format: "xlsx", rows: table.rows.count, limit: maxRows - 1)
        }
        let sheets = [
            ("data", dataSheet(table)),
            ("codebook", codebookSheet(dataset)),
            ("quality", qualitySheet(QualitySummary(dataset), spending: dataset.spending)),
        ]
        var entries: [(path: String, data: Data)] = [
            ("[Content_Types].xml", Data(contentTypes(sheets: sheets.count).utf8)),
            ("_rels/.rels", Data(rootRelationships.utf8)),
            ("xl/workbook.xml", Data(workbook(sheets.map { $0.0 }).utf8)),
            ("xl/_rels/workbook.xml.rels", Data(workbookRelationships(sheets: sheets.count).utf8)),
            ("xl/styles.xml", Data(styles.utf8)),
        ]
        for (index, sheet) in sheets.enumerated() {
            entries.append(("xl/worksheets/sheet\(index + 1).xml", Data(sheet.1.utf8)))
        }
        return try ZipPackage.make(entries)
    }

    // MARK: - Sheets

    private static func dataSheet(_ table: TypedTable) -> String {
        var sheet = SheetWriter(header: table.columns.map(\.name))
        for row in table.rows {
            sheet.row(row.map(cell))
        }
        return sheet.finish()
    }

    private static func cell(_ value: TypedTable.Value) -> SheetWriter.Cell {
        switch value {
        case .missing: .empty
        case .text(let text): .text(text)
        case .number(let number): .number(number)
        case .boolean(let flag): .boolean(flag)
        case .date(let days): .date(days)
        }
    }

    private static func codebookSheet(_ dataset: ExportDataset) -> String {
        var sheet = SheetWriter(header: [
            "name", "display_name", "type", "instructions", "categories", "required", "confidence_threshold",
            "if_uncertain", "if_multiple_values", "rules", "version",
        ])
        for variable in dataset.codebook.variables {
            let categories = variable.categories.map { category in
                category.code + (category.label.map { "=" + $0 } ?? "")
            }.joined(separator: " | ")
            sheet.row([
                .text(variable.name), variable.displayName.map(SheetWriter.Cell.text) ?? .empty, .text(variable.type.rawValue),
                .text(variable.instructions), .text(categories), .boolean(variable.required), .number(variable.confidenceThreshold),
                .text(variable.ifUncertain.rawValue), .text(variable.ifMultipleValues.rawValue), .text(rules(variable)),
                .number(Double(dataset.codebookVersion)),
            ])
        }
        return sheet.finish()
    }

    /// The variable's checks in a few words: `min 0; max 100; pattern ^\d+$; depends on violence = true`.
    static func rules(_ variable: Variable) -> String {
        var parts: [String] = []
        if let rules = variable.validation {
            if let min = rules.min { parts.append("min \(JSONValue.number(min).serialized())") }
            if let max = rules.max { parts.append("max \(JSONValue.number(max).serialized())") }
            if let pattern = rules.pattern { parts.append("pattern \(pattern)") }
            if let length = rules.minLength { parts.append("min length \(length)") }
            if let length = rules.maxLength { parts.append("max length \(length)") }
            if let date = rules.minDate { parts.append("from \(date)") }
            if let date = rules.maxDate { parts.append("until \(date)") }
        }
        if let maxValues = variable.maxValues { parts.append("at most \(maxValues) values") }
        if let dependency = variable.dependsOn {
            var text = "depends on \(dependency.variable)"
            if let equals = dependency.equals { text += " = \(equals.serialized())" }
            parts.append(text)
        }
        return parts.joined(separator: "; ")
    }

    /// Per variable, then (after an empty row) what the project's jobs spent: a methods section
    /// reports both.
    private static func qualitySheet(_ quality: QualitySummary, spending: Spending?) -> String {
        var sheet = SheetWriter(header: [
            "variable", "rows", "values", "mean_confidence", "pct_flagged", "pct_missing", "pct_failed", "alpha_people",
            "alpha_people_and_model",
        ])
        for line in quality.lines {
            sheet.row([
                .text(line.variable), .number(Double(line.rows)), .number(Double(line.values)),
                line.meanConfidence.map(SheetWriter.Cell.number) ?? .empty, .number(line.flagged), .number(line.missing),
                .number(line.failed), line.alphaAmongPeople.map(SheetWriter.Cell.number) ?? .empty,
                line.alphaWithModel.map(SheetWriter.Cell.number) ?? .empty,
            ])
        }
        if let spending {
            sheet.row([])
            sheet.row(
                ["spending", "tokens_in", "tokens_out", "tokens_cached", "cost_usd", "cost_per_document_usd"].map(SheetWriter.Cell.text))
            sheet.row([
                .text("all jobs"), .number(Double(spending.tokensIn)), .number(Double(spending.tokensOut)),
                .number(Double(spending.tokensCached)), spending.cost.map(SheetWriter.Cell.number) ?? .empty,
                spending.costPerDocument.map(SheetWriter.Cell.number) ?? .empty,
            ])
        }
        return sheet.finish()
    }

    // MARK: - Package parts

    private static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    private static let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    private static let declaration = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"

    private static func contentTypes(sheets: Int) -> String {
        let prefix = "application/vnd.openxmlformats-"
        var xml = declaration + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
        xml += #"<Default Extension="rels" ContentType="\#(prefix)package.relationships+xml"/>"#
        xml += #"<Default Extension="xml" ContentType="application/xml"/>"#
        xml += #"<Override PartName="/xl/workbook.xml" ContentType="\#(prefix)officedocument.spreadsheetml.sheet.main+xml"/>"#
        for index in 1...sheets {
            xml +=
                #"<Override PartName="/xl/worksheets/sheet\#(index).xml" ContentType="\#(prefix)officedocument.spreadsheetml.worksheet+xml"/>"#
        }
        xml += #"<Override PartName="/xl/styles.xml" ContentType="\#(prefix)officedocument.spreadsheetml.styles+xml"/>"#
        return xml + "</Types>"
    }

    private static let rootRelationships =
        declaration + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        + #"<Relationship Id="rId1" Type="\#(relationships)/officeDocument" Target="xl/workbook.xml"/></Relationships>"#

    private static func workbook(_ names: [String]) -> String {
        var xml = declaration + #"<workbook xmlns="\#(main)" xmlns:r="\#(relationships)"><sheets>"#
        for (index, name) in names.enumerated() {
            xml += #"<sheet name="\#(name)" sheetId="\#(index + 1)" r:id="rId\#(index + 1)"/>"#
        }
        return xml + "</sheets></workbook>"
    }

    private static func workbookRelationships(sheets: Int) -> String {
        var xml = declaration + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        for index in 1...sheets {
            xml += #"<Relationship Id="rId\#(index)" Type="\#(relationships)/worksheet" Target="worksheets/sheet\#(index).xml"/>"#
        }
        xml += #"<Relationship Id="rId\#(sheets + 1)" Type="\#(relationships)/styles" Target="styles.xml"/>"#
        return xml + "</Relationships>"
    }

    /// Style 0 plain, 1 a date (`yyyy-mm-dd`), 2 the bold header.
    private static let styles =
        declaration + #"<styleSheet xmlns="\#(main)">"#
        + #"<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\-mm\-dd"/></numFmts>"#
        + #"<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>"#
        + #"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#
        + #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#
        + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
        + #"<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#
        + #"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
        + #"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>"#
        + #"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#
}

/// One worksheet's XML, a row at a time: a bold, frozen header row, inline strings.
struct SheetWriter {
    enum Cell {
        case empty
        case text(String)
        case number(Double)
        case boolean(Bool)
        /// Days since 1970-01-01.
        case date(Int)
    }

    private var xml: String
    private var rowNumber = 1
    private var letters: [String] = []

    init(header: [String]) {
        xml = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        xml += #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        xml += #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
        xml += #"<selection pane="bottomLeft"/></sheetView></sheetViews><sheetData>"#
        append(header.map(Cell.text), style: 2)
    }

    mutating func row(_ cells: [Cell]) { append(cells, style: 0) }

    mutating func finish() -> String { xml + "</sheetData></worksheet>" }

    private mutating func append(_ cells: [Cell], style: Int) {
        while letters.count < cells.count { letters.append(Self.columnName(letters.count)) }
        xml += #"<row r="\#(rowNumber)">"#
        for (index, cell) in cells.enumerated() {
            let reference = letters[index] + String(rowNumber)
            let styled = style == 0 ? "" : #" s="\#(style)""#
            switch cell {
            case .empty:
                continue
            case .text(let text):
                xml += #"<c r="\#(reference)" t="inlineStr"\#(styled)><is><t xml:space="preserve">"#
                xml += XMLText.escape(Self.fitting(text)) + "</t></is></c>"
            case .number(let number) where number.isFinite:
                xml += #"<c r="\#(reference)"\#(styled)><v>\#(JSONValue.number(number).serialized())</v></c>"#
            case .number:
                continue
            case .boolean(let flag):
                xml += #"<c r="\#(reference)" t="b"\#(styled)><v>\#(flag ? 1 : 0)</v></c>"#
            case .date(let days):
                // Excel's serial day 25,569 is 1970-01-01 (its 1900 system counts a 29 February 1900).
                xml += #"<c r="\#(reference)" s="1"><v>\#(days + 25_569)</v></c>"#
            }
        }
        xml += "</row>"
        rowNumber += 1
    }

    /// `A`…`Z`, `AA`…: the column letters of a zero-based index.
    static func columnName(_ index: Int) -> String {
        var name = ""
        var n = index + 1
        while n > 0 {
            let remainder = (n - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + remainder))) + name
            n = (n - 1) / 26
        }
        return name
    }

    /// The text cut to Excel's 32,767 characters (UTF-16 units, as Excel counts) with a visible marker.
    static func fitting(_ text: String) -> String {
        let limit = ExcelExport.maxCellCharacters
        let length = text.utf16.count
        guard length > limit else { return text }
        let marker = " […cut: \(length) characters, over Excel's \(limit) per cell; the CSV or JSONL export has it all]"
        let budget = limit - marker.utf16.count
        var kept = 0
        var end = text.startIndex
        for (index, character) in zip(text.indices, text) {
            let size = character.utf16.count
            if kept + size > budget { break }
            kept += size
            end = text.index(after: index)
        }
        return String(text[..<end]) + marker
    }
}
