import AssayCore
import CSV
import Foundation

/// A codebook as a CSV table, one variable per row, for people who keep codebooks in a spreadsheet.
///
/// Columns (a header row names them; order is free, unknown or repeated columns are refused):
/// `name`, `type`, `display_name`, `instructions`, `categories`, `required`, `confidence_threshold`,
/// `if_uncertain`, `if_multiple_values`, `max_values`, `default`, `validation`, `depends_on`, `examples`,
/// `definition`, `include`, `exclude` (a JSON list of rules, or one rule as text).
/// `categories` is `code=label` pairs separated by `|` (a bare `code` has no label; `\|`, `\=` and `\\`
/// escape), or a JSON array when a category has a description. `default`, `validation`, `depends_on` and
/// `examples` are JSON. An empty cell leaves the field at its default.
///
/// The codebook's own name, description and general instructions have no row: a CSV holds variables only.
public enum CodebookCSV {
    static let columns = [
        "name", "type", "display_name", "instructions", "categories", "required", "confidence_threshold",
        "if_uncertain", "if_multiple_values", "max_values", "default", "validation", "depends_on", "examples",
        "definition", "include", "exclude",
    ]
    static let jsonColumns: Set = ["default", "validation", "depends_on", "examples"]

    /// The codebook's variables as CSV text (RFC 4180, CRLF, UTF-8).
    public static func text(_ codebook: Codebook) throws -> String {
        let stream = OutputStream(toMemory: ())
        let writer = try CSVWriter(stream: stream, newline: .crlf)
        try writer.write(row: columns)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        func json(_ value: some Encodable) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        for variable in codebook.variables {
            let categories =
                variable.categories.contains { $0.description != nil }
                ? try json(variable.categories)
                : variable.categories.map { category in
                    escape(category.code) + (category.label.map { "=" + escape($0) } ?? "")
                }.joined(separator: "|")
            try writer.write(row: [
                variable.name, variable.type.rawValue, variable.displayName ?? "", variable.instructions, categories,
                variable.required ? "true" : "false", JSONValue.number(variable.confidenceThreshold).serialized(),
                variable.ifUncertain.rawValue, variable.ifMultipleValues.rawValue, variable.maxValues.map(String.init) ?? "",
                try variable.defaultValue.map(json) ?? "", try variable.validation.map(json) ?? "",
                try variable.dependsOn.map(json) ?? "", variable.examples.isEmpty ? "" : try json(variable.examples),
                variable.definition ?? "", try variable.include.map(json) ?? "", try variable.exclude.map(json) ?? "",
            ])
        }
        guard let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else { throw CSVError.cannotWriteStream }
        stream.close()
        return String(decoding: data, as: UTF8.self) + "\r\n"
    }

    /// The CSV as the JSON tree of a codebook (`{"variables": [...]}`), for `CodebookLoader` to decode and
    /// check, so its field paths (`variables[2].type`) apply: `variables[N]` is data row N + 1.
    static func tree(_ text: String) throws(CodebookLoadError) -> JSONValue {
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text, hasHeaderRow: true)
        } catch {
            throw .syntax("CSV error: \(error)")
        }
        guard let header = reader.headerRow?.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }), !header.isEmpty else {
            throw .syntax("the CSV has no header row (expected columns \(columns.joined(separator: ", ")))")
        }
        // Checked on the header, so a misspelt column is refused even where its cells are empty.
        var problems: [CodebookProblem] = []
        var seen: Set<String> = []
        for column in header where !seen.insert(column).inserted {
            problems.append(CodebookProblem(field: column, reason: "the column appears twice"))
        }
        for column in seen.subtracting(columns).sorted() {
            problems.append(
                CodebookProblem(field: column, reason: "unknown column (expected \(columns.joined(separator: ", ")))"))
        }
        guard problems.isEmpty else { throw .invalid(Array(problems.prefix(20))) }
        var variables: [JSONValue] = []
        var line = 1
        while let row = reader.next() {
            line += 1
            if row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            var object: OrderedDictionary<String, JSONValue> = [:]
            for (index, column) in header.enumerated() where index < row.count {
                let cell = row[index]
                guard !cell.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
                object[column] = try value(cell, column: column, line: line)
            }
            variables.append(.object(object))
        }
        if let error = reader.error { throw .syntax("CSV error after line \(line): \(error)") }
        return .object(["variables": .array(variables)])
    }

    private static func value(_ cell: String, column: String, line: Int) throws(CodebookLoadError) -> JSONValue {
        let trimmed = cell.trimmingCharacters(in: .whitespaces)
        func parseJSON() throws(CodebookLoadError) -> JSONValue {
            do {
                return try JSONValue.parse(trimmed)
            } catch {
                throw .syntax("line \(line), column '\(column)': not valid JSON (\(error))")
            }
        }
        switch column {
        case _ where jsonColumns.contains(column):
            return try parseJSON()
        case "include", "exclude":
            // A JSON list of rules, or one rule as plain text.
            return trimmed.hasPrefix("[") ? try parseJSON() : .string(cell)
        case "categories":
            if trimmed.hasPrefix("[") { return try parseJSON() }
            return .array(
                split(cell, on: "|").map { pair in
                    let parts = split(pair, on: "=")
                    let code = unescape(parts[0]).trimmingCharacters(in: .whitespaces)
                    guard parts.count > 1 else { return .string(code) }
                    let label = unescape(parts[1...].joined(separator: "=")).trimmingCharacters(in: .whitespaces)
                    return .object(["code": .string(code), "label": .string(label)])
                })
        case "required":
            switch trimmed.lowercased() {
            case "true", "yes", "1": return .bool(true)
            case "false", "no", "0": return .bool(false)
            default: return .string(cell)
            }
        case "confidence_threshold", "max_values":
            return Double(trimmed).map(JSONValue.number) ?? .string(cell)
        default:
            return .string(cell)
        }
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|")
            .replacingOccurrences(of: "=", with: "\\=")
    }

    /// Splits on `separator` where it is not escaped by a backslash; escapes are kept for `unescape`.
    private static func split(_ text: String, on separator: Character) -> [String] {
        var parts: [String] = []
        var current = ""
        var escaped = false
        for character in text {
            if escaped {
                current += "\\" + String(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == separator {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        if escaped { current += "\\" }
        parts.append(current)
        return parts
    }

    private static func unescape(_ text: String) -> String {
        var out = ""
        var escaped = false
        for character in text {
            if escaped {
                out.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                out.append(character)
            }
        }
        return out
    }
}
