import AssayCore
import CSV
import Foundation

/// Codes of several coders from a CSV file with the columns `unit, coder, variable, value` (in any
/// order, other columns ignored; `document` is taken for `unit`), one row per code: the input of
/// `assay agreement FILE`. An empty value is a missing code. Each variable becomes one `Ratings`.
public enum CodingsCSV {
    public static let maxBytes = 64 * 1024 * 1024

    /// What is wrong with the file, with the row it is on.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String

        public init(description: String) { self.description = description }
    }

    /// The variables in the order they first appear, each with its coders' codes.
    public static func read(contentsOf url: URL) throws(Problem) -> [(variable: String, ratings: Ratings)] {
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? nil
        guard let size else { throw Problem(description: "cannot read \(url.path)") }
        guard size <= maxBytes else {
            throw Problem(description: "\(url.lastPathComponent) is \(size) bytes, over the limit of \(maxBytes)")
        }
        guard let data = try? Data(contentsOf: url) else { throw Problem(description: "cannot read \(url.path)") }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Problem(description: "\(url.lastPathComponent) is not UTF-8 text")
        }
        return try read(text)
    }

    public static func read(_ text: String) throws(Problem) -> [(variable: String, ratings: Ratings)] {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw Problem(description: "the file is empty (expected the columns unit, coder, variable, value)")
        }
        guard !text.contains("\u{0}") else { throw Problem(description: "the file holds a NUL byte: not a CSV file") }
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text, hasHeaderRow: true)
        } catch {
            throw Problem(description: "CSV error: \(error)")
        }
        let header = (reader.headerRow ?? []).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func column(_ names: String...) -> Int? { header.firstIndex { names.contains($0) } }
        guard let unit = column("unit", "document"), let coder = column("coder"), let variable = column("variable"),
            let value = column("value")
        else {
            throw Problem(
                description: "the header must name the columns unit (or document), coder, variable and value; it has "
                    + (header.isEmpty ? "none" : header.joined(separator: ", ")))
        }
        var order: [String] = []
        var rows: [String: [(unit: String, coder: String, value: String?)]] = [:]
        var seen: [String: Int] = [:]
        var row = 1
        while let cells = reader.next() {
            row += 1
            if cells.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            func cell(_ index: Int) -> String {
                index < cells.count ? cells[index].trimmingCharacters(in: .whitespacesAndNewlines) : ""
            }
            let (u, c, v) = (cell(unit), cell(coder), cell(variable))
            for (name, content) in [("unit", u), ("coder", c), ("variable", v)] where content.isEmpty {
                throw Problem(description: "row \(row): the \(name) is empty")
            }
            let key = [v, u, c].joined(separator: "\u{1F}")
            if let earlier = seen[key] {
                throw Problem(description: "row \(row): coder '\(c)' coded unit '\(u)' for '\(v)' already on row \(earlier)")
            }
            seen[key] = row
            if rows[v] == nil { order.append(v) }
            let code = cell(value)
            rows[v, default: []].append((u, c, code.isEmpty ? nil : code))
        }
        if let error = reader.error { throw Problem(description: "CSV error after row \(row): \(error)") }
        guard !order.isEmpty else { throw Problem(description: "the file has a header but no codes") }
        return order.map { ($0, Ratings(rows: rows[$0]!)) }
    }
}
