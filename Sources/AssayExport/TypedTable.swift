import AssayCore
import Foundation

/// The wide layout (a row per document, or per entity, as `DatasetRows` arranges it) with a type per
/// column, for the formats that store types: Excel, SPSS and Stata. Columns match the wide CSV's.
struct TypedTable {
    enum Kind: Equatable {
        case text, number, boolean, date
        /// One of the variable's categories, by code; `labels` are `label ?? code` in code order.
        case category(codes: [String], labels: [String])
    }

    enum Value: Equatable {
        case missing
        case text(String)
        case number(Double)
        case boolean(Bool)
        /// Days since 1970-01-01.
        case date(Int)
    }

    struct Column {
        var name: String
        /// What the column holds, in words, for a variable label.
        var label: String
        var kind: Kind
    }

    var columns: [Column]
    var rows: [[Value]]

    init(_ dataset: ExportDataset, columns chosen: ExportColumns) {
        let arranged = DatasetRows(dataset)
        let variables = dataset.codebook.variables
        let runs = dataset.hasRuns
        var columns = [Column(name: "document_id", label: "document id", kind: .text), Column(name: "title", label: "title", kind: .text)]
        if arranged.hasEntities {
            columns += [
                Column(name: "entity_index", label: "entity index", kind: .number), Column(name: "entity", label: "entity", kind: .text),
            ]
        }
        for variable in variables {
            columns.append(Column(name: variable.name, label: variable.label, kind: Self.kind(of: variable, in: arranged.rows)))
            if chosen.contains(.confidence) {
                columns.append(Column(name: "\(variable.name)_confidence", label: "\(variable.label): confidence", kind: .number))
            }
            if runs {
                columns.append(
                    Column(name: "\(variable.name)_run_agreement", label: "\(variable.label): share of runs agreeing", kind: .number))
            }
            if chosen.contains(.evidence) {
                columns.append(Column(name: "\(variable.name)_evidence", label: "\(variable.label): evidence", kind: .text))
            }
            if chosen.contains(.status) {
                columns.append(Column(name: "\(variable.name)_status", label: "\(variable.label): status", kind: .text))
            }
        }
        if chosen.contains(.codebookVersion) {
            columns.append(Column(name: "_codebook_version", label: "codebook version", kind: .number))
        }
        columns.append(Column(name: "_outcome", label: "outcome of the latest run", kind: .text))
        self.columns = columns

        var rows: [[Value]] = []
        rows.reserveCapacity(arranged.rows.count)
        var kinds: [String: Kind] = [:]
        for column in columns { kinds[column.name] = column.kind }
        for row in arranged.rows {
            var cells: [Value] = [.text(row.document.externalID), row.document.title.map(Value.text) ?? .missing]
            if arranged.hasEntities {
                cells += [row.entityIndex.map { .number(Double($0)) } ?? .missing, row.entityText.map(Value.text) ?? .missing]
            }
            for variable in variables {
                let value = row.values[variable.name]
                cells.append(Self.value(value?.value, as: kinds[variable.name] ?? .text))
                if chosen.contains(.confidence) { cells.append(value?.confidence.map(Value.number) ?? .missing) }
                if runs { cells.append(value?.runAgreement.map(Value.number) ?? .missing) }
                if chosen.contains(.evidence) { cells.append(value?.evidence.map { .text($0.quote) } ?? .missing) }
                if chosen.contains(.status) { cells.append(value.map { .text($0.status.rawValue) } ?? .missing) }
            }
            if chosen.contains(.codebookVersion) { cells.append(row.codebookVersion.map { .number(Double($0)) } ?? .missing) }
            cells.append(.text(row.outcomeText))
            rows.append(cells)
        }
        self.rows = rows
    }

    /// The variable's type, unless a stored value does not fit it (a list of values, a code not in the
    /// codebook, a date that is not `YYYY-MM-DD`): then text, so nothing is lost.
    private static func kind(of variable: Variable, in rows: [DatasetRows.Row]) -> Kind {
        let kind: Kind =
            switch variable.type {
            case .text: .text
            case .number: .number
            case .boolean: .boolean
            case .date: .date
            case .category: .category(codes: variable.categories.map(\.code), labels: variable.categories.map { $0.label ?? $0.code })
            }
        for row in rows {
            guard let stored = row.values[variable.name]?.value, !stored.isNull else { continue }
            if !fits(stored, kind) { return .text }
        }
        return kind
    }

    private static func fits(_ stored: JSONValue, _ kind: Kind) -> Bool {
        switch (kind, stored) {
        case (.text, _): true
        case (.number, .number): true
        case (.boolean, .bool): true
        case (.date, .string(let text)): days(text) != nil
        case (.category(let codes, _), .string(let code)): codes.contains(code)
        default: false
        }
    }

    /// A stored value as the column's kind; a value that does not fit comes back as text.
    private static func value(_ stored: JSONValue?, as kind: Kind) -> Value {
        guard let stored, !stored.isNull else { return .missing }
        switch (kind, stored) {
        case (.number, .number(let number)): return .number(number)
        case (.boolean, .bool(let flag)): return .boolean(flag)
        case (.date, .string(let text)): return days(text).map(Value.date) ?? .text(text)
        case (.category(let codes, _), .string(let code)) where codes.contains(code): return .text(code)
        case (.category, _): return .text(stored.displayText)
        default: return .text(stored.displayText)
        }
    }

    /// Days since 1970-01-01 of an ISO `YYYY-MM-DD` date (proleptic Gregorian), or nil.
    static func days(_ text: String) -> Int? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
            (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        // Howard Hinnant's days_from_civil.
        let year = m <= 2 ? y - 1 : y
        let era = (year >= 0 ? year : year - 399) / 400
        let yoe = year - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146097 + doe - 719468
        let monthDays = [31, (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return d <= monthDays[m - 1] ? days : nil
    }
}
