import AssayCore
import AssayTestSupport
import Foundation
import Testing

@testable import AssayExport

/// SPSS and Stata files read back by ReadStat's own command-line tools from Debian's `readstat`
/// package: `readstat FILE -` prints the values as CSV, `extract_metadata FILE OUT.json` the variables,
/// their labels and value labels.
@Suite struct StatFileExportTests {
    struct ReadBack {
        var header: [String]
        var rows: [[String]]
        var metadata: JSONValue

        func cell(_ row: Int, _ name: String) -> String? {
            guard let index = header.firstIndex(of: name), rows.indices.contains(row) else { return nil }
            return rows[row][index]
        }

        func variable(_ name: String) -> JSONValue? {
            metadata["variables"]?.arrayValue?.first { $0["name"]?.stringValue == name }
        }
    }

    static func read(_ data: Data, as ext: String) throws -> ReadBack {
        let folder = try TempFolder("stat")
        let file = try folder.write("export.\(ext)", bytes: Array(data))
        let csv = try ExternalTool.run("/usr/bin/readstat", [file.path, "-"])
        let metadata = folder.file("metadata.json")
        _ = try ExternalTool.run("/usr/bin/extract_metadata", [file.path, metadata.path])
        let records = parseCSV(csv)
        return ReadBack(
            header: records.first ?? [], rows: Array(records.dropFirst()),
            metadata: try JSONValue.parse(String(decoding: try Data(contentsOf: metadata), as: UTF8.self)))
    }

    /// ReadStat's CSV: fields quoted with `"`, quotes doubled, LF between records.
    static func parseCSV(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var iterator = Array(text).makeIterator()
        var pending: Character? = nil
        while let character = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    let next = iterator.next()
                    if next == "\"" {
                        field.append("\"")
                    } else {
                        quoted = false
                        pending = next
                    }
                } else {
                    field.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                record.append(field)
                field = ""
            } else if character == "\n" {
                record.append(field)
                records.append(record)
                record = []
                field = ""
            } else {
                field.append(character)
            }
        }
        if !field.isEmpty || !record.isEmpty { records.append(record + [field]) }
        return records
    }

    @Test(arguments: ["sav", "dta"])
    func readStatReadsValuesLabelsAndDates(ext: String) throws {
        let format: ExportFormat = ext == "sav" ? .sav : .dta
        let back = try Self.read(try DatasetExporter.data(ResearchFixtures.dataset, format: format, columns: .all), as: ext)
        #expect(back.rows.count == 3)
        #expect(back.header.prefix(4) == ["document_id", "title", "violence", "violence_confidence"])
        #expect(back.header.contains("v2nd_place__city_"))
        #expect(back.cell(0, "document_id") == "köln/2024-05-01.txt")
        #expect(Double(back.cell(0, "violence") ?? "") == 1)
        #expect(Double(back.cell(1, "violence") ?? "") == 0)
        #expect(Double(back.cell(0, "violence_confidence") ?? "") == 0.95)
        // "students" is the codebook's second category.
        #expect(Double(back.cell(0, "organiser") ?? "") == 2)
        #expect(Double(back.cell(1, "organiser") ?? "") == 1)
        #expect(back.cell(2, "organiser") == "")
        #expect(back.cell(1, "tags") == "peaceful; march")
        #expect(Double(back.cell(0, "crowd_size") ?? "") == 1500)
        #expect(back.cell(1, "crowd_size") == "")
        // 2024-05-01: SPSS counts seconds from 1582-10-14, Stata days from 1960-01-01.
        #expect(Double(back.cell(0, "event_date") ?? "") == (ext == "sav" ? 13_933_900_800 : 23_497))
        #expect(back.cell(1, "summary") == "Ruhig — ünïcödé ✓")
        // NUL cannot be stored and is dropped; other control characters are kept.
        #expect(back.cell(0, "v2nd_place__city_") == "bell\u{07} nul escape\u{1B} tab\tok <b>&amp;</b> \"quoted\"")

        let long = back.cell(0, "summary") ?? ""
        if ext == "dta" {
            #expect(long == ResearchFixtures.longText)
        } else {
            #expect(long.utf8.count <= 32_767 && long.hasPrefix("ää") && long.hasSuffix("the CSV or JSONL export has it all]"))
        }

        let organiser = back.variable("organiser")
        #expect(organiser?["label"] == "organiser")
        let labels = organiser?["categories"]?.arrayValue?.compactMap { $0["label"]?.stringValue }
        #expect(labels == ["Trade union", "Students", "other"])
        #expect(back.variable("violence")?["categories"]?.arrayValue?.compactMap { $0["label"]?.stringValue } == ["false", "true"])
        #expect(back.variable("v2nd_place__city_")?["label"] == "2nd place (city)")
        #expect(back.variable("violence_confidence")?["label"] == "violence: confidence")
        let dateFormat = back.variable("event_date")?["format"]?.stringValue ?? ""
        #expect(dateFormat.hasPrefix("DATE"))
    }

    @Test(arguments: ["sav", "dta"])
    func thousandsOfRows(ext: String) throws {
        let data = try DatasetExporter.data(ResearchFixtures.many(5_000), format: ext == "sav" ? .sav : .dta, columns: .none)
        let back = try Self.read(data, as: ext)
        #expect(back.rows.count == 5_000)
        #expect(back.cell(4_999, "document_id") == "doc-5000.txt")
        #expect(Double(back.cell(4_999, "crowd_size") ?? "") == 5_000)
    }

    @Test func namesAreMadeValidAndUnique() {
        let names = [
            "2nd place (city)", "crowd size", "Crowd_Size", "ALL", "in", "str80", String(repeating: "long", count: 20), "größe", "ok",
        ]
        #expect(
            StatNames.valid(names, for: .spss) == [
                "v2nd_place__city_", "crowd_size", "Crowd_Size_2", "ALL_", "in", "str80", String(repeating: "long", count: 16), "gr__e",
                "ok",
            ])
        #expect(
            StatNames.valid(names, for: .stata) == [
                "v2nd_place__city_", "crowd_size", "Crowd_Size_2", "ALL", "in_", "str80_", String(repeating: "long", count: 8), "gr__e",
                "ok",
            ])
        // Cut names that collide get a suffix inside the length limit.
        let long = String(repeating: "x", count: 40)
        #expect(
            StatNames.valid([long + "a", long + "b"], for: .stata) == [
                String(repeating: "x", count: 32), String(repeating: "x", count: 30) + "_2",
            ])
    }
}
