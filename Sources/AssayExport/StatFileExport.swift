import AssayCore
import CReadStat
import Foundation

/// SPSS (.sav) and Stata (.dta, format 118: UTF-8, strL) files of the wide layout, written by
/// ReadStat's C library.
///
/// Categories and booleans are numbers with value labels (category n of the codebook is n, its label
/// the category's label or code; false is 0, true is 1); the original column name is each variable's
/// label; dates are real dates (SPSS `DATE11`, Stata `%td`); a missing value is system missing.
/// Long text: Stata keeps every character (strL beyond 2,045 bytes); SPSS cuts a text at 32,767 bytes
/// (less one byte) with a visible marker. NUL characters cannot be in either and are dropped.
enum StatFileExport {
    enum Format {
        case sav, dta
    }

    /// SPSS's longest string is 32,767 bytes; one is kept free (see the width below).
    static let spssMaxStringBytes = 32_766
    static let stataMaxStrBytes = 2_045

    static func data(_ dataset: ExportDataset, columns: ExportColumns, format: Format) throws -> Data {
        let table = TypedTable(dataset, columns: columns)
        let names = StatNames.valid(table.columns.map(\.name), for: format == .sav ? .spss : .stata)
        let sink = Sink()
        guard let writer = readstat_writer_init() else { throw failure("could not start ReadStat's writer") }
        defer { readstat_writer_free(writer) }
        readstat_set_data_writer(writer) { bytes, length, context in
            guard let bytes, let context else { return -1 }
            Unmanaged<Sink>.fromOpaque(context).takeUnretainedValue().data.append(
                bytes.assumingMemoryBound(to: UInt8.self), count: length)
            return length
        }

        // Texts once, cleaned for C (no NUL), so widths are measured on what is written.
        let texts: [[String?]] = table.rows.map { row in
            row.map { value in
                guard case .text(let text) = value else { return nil }
                let clean = text.contains("\0") ? text.replacingOccurrences(of: "\0", with: "") : text
                return format == .sav ? cut(clean) : clean
            }
        }

        typealias Handle = UnsafeMutablePointer<readstat_variable_t>?
        enum Slot {
            case text(Handle, strL: Bool)
            case number(Handle)
            case code(Handle, codes: [String: Int32])
            case boolean(Handle)
            case date(Handle)

            var variable: Handle {
                switch self {
                case .text(let variable, _), .number(let variable), .code(let variable, _), .boolean(let variable), .date(let variable):
                    variable
                }
            }
        }
        var slots: [Slot] = []
        for (index, column) in table.columns.enumerated() {
            let name = names[index]
            // Words for people; the original column name first where the valid name differs from it.
            let label = name == column.name || column.name == column.label ? column.label : "\(column.name): \(column.label)"
            func add(_ type: readstat_type_t, width: Int = 0) -> Handle {
                let variable = readstat_add_variable(writer, name, type, width)
                readstat_variable_set_label(variable, prefix(label, bytes: format == .sav ? 255 : 80))
                return variable
            }
            let labelType = format == .sav ? READSTAT_TYPE_DOUBLE : READSTAT_TYPE_INT32
            func labels(_ pairs: [(Int32, String)]) -> UnsafeMutablePointer<readstat_label_set_t>? {
                let set = readstat_add_label_set(writer, labelType, "l\(index)")
                for (value, text) in pairs {
                    // Stata's value labels hold at most 32,000 bytes; SPSS's 120.
                    let short = prefix(text, bytes: format == .sav ? 120 : 32_000)
                    if format == .sav {
                        readstat_label_double_value(set, Double(value), short)
                    } else {
                        readstat_label_int32_value(set, value, short)
                    }
                }
                return set
            }
            let numberType = format == .sav ? READSTAT_TYPE_DOUBLE : READSTAT_TYPE_INT32
            switch column.kind {
            case .text:
                // One byte wider than the longest text: ReadStat 1.1.8 loses the last byte of an SPSS
                // long string that fills its width exactly at some widths (4,033, 32,512, …).
                let width = 1 + (texts.lazy.compactMap { $0[index]?.utf8.count }.max() ?? 0)
                let strL = format == .dta && width > stataMaxStrBytes
                slots.append(.text(strL ? add(READSTAT_TYPE_STRING_REF) : add(READSTAT_TYPE_STRING, width: width), strL: strL))
            case .number:
                slots.append(.number(add(READSTAT_TYPE_DOUBLE)))
            case .boolean:
                let variable = add(numberType)
                readstat_variable_set_label_set(variable, labels([(0, "false"), (1, "true")]))
                slots.append(.boolean(variable))
            case .date:
                let variable = add(READSTAT_TYPE_DOUBLE)
                readstat_variable_set_format(variable, format == .sav ? "DATE11" : "%td")
                slots.append(.date(variable))
            case .category(let codes, let texts):
                let variable = add(numberType)
                let numbered = codes.enumerated().map { (Int32($0.offset + 1), texts[$0.offset]) }
                readstat_variable_set_label_set(variable, labels(numbered))
                slots.append(.code(variable, codes: Dictionary(codes.enumerated().map { ($1, Int32($0 + 1)) }) { first, _ in first }))
            }
        }

        // strL values are registered before writing starts; Stata files share them by reference.
        var references: [[UnsafeMutablePointer<readstat_string_ref_t>?]] = []
        var emptyReference: UnsafeMutablePointer<readstat_string_ref_t>?
        if slots.contains(where: { if case .text(_, true) = $0 { true } else { false } }) {
            // ReadStat has no missing strL: a missing text is the empty string, as in a str column.
            emptyReference = readstat_add_string_ref(writer, "")
            references = texts.map { row in
                row.enumerated().map { index, text in
                    guard case .text(_, true) = slots[index], let text else { return nil }
                    return readstat_add_string_ref(writer, text)
                }
            }
        }

        let context = Unmanaged.passUnretained(sink).toOpaque()
        if format == .sav {
            try check(readstat_begin_writing_sav(writer, context, table.rows.count), "starting the file")
        } else {
            // 118: UTF-8 text and strL (Stata 14 and later).
            try check(readstat_writer_set_file_format_version(writer, 118), "choosing Stata format 118")
            try check(readstat_begin_writing_dta(writer, context, table.rows.count), "starting the file")
        }
        try check(readstat_validate_metadata(writer), "checking the variables")
        for (rowIndex, row) in table.rows.enumerated() {
            try check(readstat_begin_row(writer), "starting a row")
            for (index, value) in row.enumerated() {
                let status: readstat_error_t
                switch (slots[index], value) {
                case (.text(let variable, strL: true), .text):
                    status = readstat_insert_string_ref(writer, variable, references[rowIndex][index])
                case (.text(let variable, _), .text):
                    status = readstat_insert_string_value(writer, variable, texts[rowIndex][index] ?? "")
                case (.number(let variable), .number(let number)):
                    status = readstat_insert_double_value(writer, variable, number)
                case (.boolean(let variable), .boolean(let flag)):
                    status =
                        format == .sav
                        ? readstat_insert_double_value(writer, variable, flag ? 1 : 0)
                        : readstat_insert_int32_value(writer, variable, flag ? 1 : 0)
                case (.code(let variable, let codes), .text(let code)) where codes[code] != nil:
                    let number = codes[code]!
                    status =
                        format == .sav
                        ? readstat_insert_double_value(writer, variable, Double(number))
                        : readstat_insert_int32_value(writer, variable, number)
                case (.date(let variable), .date(let days)):
                    // SPSS counts seconds from 1582-10-14, Stata days from 1960-01-01.
                    let value = format == .sav ? Double(days + 141_428) * 86_400 : Double(days + 3_653)
                    status = readstat_insert_double_value(writer, variable, value)
                case (.text(let variable, strL: true), _):
                    status = readstat_insert_string_ref(writer, variable, emptyReference)
                default:
                    status = readstat_insert_missing_value(writer, slots[index].variable)
                }
                try check(status, "writing row \(rowIndex + 1)")
            }
            try check(readstat_end_row(writer), "ending row \(rowIndex + 1)")
        }
        try check(readstat_end_writing(writer), "finishing the file")
        return sink.data
    }

    /// Text cut to SPSS's longest string, ending with a visible marker, on a character boundary.
    static func cut(_ text: String) -> String {
        let length = text.utf8.count
        guard length > spssMaxStringBytes else { return text }
        let marker = " […cut: \(length) bytes, over SPSS's \(spssMaxStringBytes); the CSV or JSONL export has it all]"
        return prefix(text, bytes: spssMaxStringBytes - marker.utf8.count) + marker
    }

    /// The text's longest start that fits in `bytes` of UTF-8, on a character boundary.
    static func prefix(_ text: String, bytes: Int) -> String {
        guard text.utf8.count > bytes else { return text }
        var kept = 0
        var end = text.startIndex
        for index in text.indices {
            let size = text[index].utf8.count
            if kept + size > bytes { break }
            kept += size
            end = text.index(after: index)
        }
        return String(text[..<end])
    }

    private final class Sink {
        var data = Data()
    }

    private static func check(_ status: readstat_error_t, _ step: String) throws {
        guard status != READSTAT_OK else { return }
        throw failure("ReadStat failed \(step): \(String(cString: readstat_error_message(status)))")
    }

    private static func failure(_ reason: String) -> ExportError {
        .cannotWrite(path: "(memory)", reason: reason)
    }
}
