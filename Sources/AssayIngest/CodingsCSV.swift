import AssayCore
import CSV
import Foundation

/// Codes from CSV files, one row per code; columns are found by name in any order and other
/// columns are ignored. An empty value is a missing code.
/// - `assay agreement FILE`: `unit` (or `document`), `coder`, `variable`, `value`; each variable
///   becomes one `Ratings`.
/// - `assay eval GOLD`: `document` (or `unit`), `variable`, `value`: the gold set.
public enum CodingsCSV {
    public static let maxBytes = 64 * 1024 * 1024

    /// What is wrong with the file, with the row it is on.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String

        public init(description: String) { self.description = description }
    }

    /// One code of one coder: the unit (a document's name), the coder, the variable, the value
    /// (nil for an empty cell).
    public struct Coded: Sendable, Hashable {
        public var unit: String
        public var coder: String
        public var variable: String
        public var value: String?
    }

    /// One code of a gold set.
    public struct GoldCode: Sendable, Hashable {
        public var document: String
        public var variable: String
        public var value: String
    }

    /// The variables in the order they first appear, each with its coders' codes.
    public static func read(contentsOf url: URL) throws(Problem) -> [(variable: String, ratings: Ratings)] {
        try read(try text(of: url))
    }

    public static func read(_ text: String) throws(Problem) -> [(variable: String, ratings: Ratings)] {
        var order: [String] = []
        var rows: [String: [(unit: String, coder: String, value: String?)]] = [:]
        for code in try coded(text) {
            if rows[code.variable] == nil { order.append(code.variable) }
            rows[code.variable, default: []].append((code.unit, code.coder, code.value))
        }
        return order.map { ($0, Ratings(rows: rows[$0]!)) }
    }

    /// The codes in file order.
    public static func coded(contentsOf url: URL) throws(Problem) -> [Coded] {
        try coded(try text(of: url))
    }

    public static func coded(_ text: String) throws(Problem) -> [Coded] {
        var codes: [Coded] = []
        try table(text, columns: [["unit", "document"], ["coder"], ["variable"], ["value"]]) { cells in
            codes.append(Coded(unit: cells[0], coder: cells[1], variable: cells[2], value: cells[3].isEmpty ? nil : cells[3]))
        }
        return codes
    }

    /// The gold codes in file order; rows with an empty value are left out (nothing to compare).
    public static func gold(contentsOf url: URL) throws(Problem) -> [GoldCode] {
        try gold(try text(of: url))
    }

    public static func gold(_ text: String) throws(Problem) -> [GoldCode] {
        var codes: [GoldCode] = []
        try table(text, columns: [["document", "unit"], ["variable"], ["value"]]) { cells in
            if !cells[2].isEmpty { codes.append(GoldCode(document: cells[0], variable: cells[1], value: cells[2])) }
        }
        return codes
    }

    static func text(of url: URL) throws(Problem) -> String {
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? nil
        guard let size else { throw Problem(description: "cannot read \(url.path)") }
        guard size <= maxBytes else {
            throw Problem(description: "\(url.lastPathComponent) is \(size) bytes, over the limit of \(maxBytes)")
        }
        guard let data = try? Data(contentsOf: url) else { throw Problem(description: "cannot read \(url.path)") }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Problem(description: "\(url.lastPathComponent) is not UTF-8 text")
        }
        return text
    }

    /// Calls `row` with the trimmed cells of `columns` (each given by its accepted names) for every
    /// row that is not blank. Every column but the last must have a value, and the same key (every
    /// column but the last) may not come twice.
    static func table(_ text: String, columns: [[String]], row: ([String]) -> Void) throws(Problem) {
        let expected = columns.map { $0.count == 1 ? $0[0] : "\($0[0]) (or \($0[1]))" }.joined(separator: ", ")
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw Problem(description: "the file is empty (expected the columns \(expected))")
        }
        guard !text.contains("\u{0}") else { throw Problem(description: "the file holds a NUL byte: not a CSV file") }
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text, hasHeaderRow: true)
        } catch {
            throw Problem(description: "CSV error: \(error)")
        }
        let header = (reader.headerRow ?? []).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let indexes = columns.map { names in header.firstIndex { names.contains($0) } }
        guard indexes.allSatisfy({ $0 != nil }) else {
            throw Problem(description: "the header must name the columns \(expected); it has \(header.joined(separator: ", "))")
        }
        var seen: [String: Int] = [:]
        var number = 1
        var any = false
        while let cells = reader.next() {
            number += 1
            if cells.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            let values = indexes.map { index in
                index! < cells.count ? cells[index!].trimmingCharacters(in: .whitespacesAndNewlines) : ""
            }
            for (position, value) in values.dropLast().enumerated() where value.isEmpty {
                throw Problem(description: "row \(number): the \(columns[position][0]) is empty")
            }
            let key = values.dropLast().joined(separator: "\u{1F}")
            if let earlier = seen[key] {
                let named = zip(columns.dropLast(), values).map { "\($0[0]) '\($1)'" }.joined(separator: ", ")
                throw Problem(description: "row \(number): \(named) is already on row \(earlier)")
            }
            seen[key] = number
            any = true
            row(values)
        }
        if let error = reader.error { throw Problem(description: "CSV error after row \(number): \(error)") }
        guard any else { throw Problem(description: "the file has a header but no codes") }
    }
}
