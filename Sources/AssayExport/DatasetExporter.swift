import AssayCore
import Foundation

/// Writes a dataset as CSV (wide or long) or JSONL.
public enum DatasetExporter {
    /// The dataset as text in the chosen format.
    /// - Parameters:
    ///   - layout: CSV only; JSONL always has one object per document.
    ///   - columns: the optional columns of the wide CSV layout.
    ///   - byteOrderMark: starts the text with U+FEFF, which Excel needs to read UTF-8 CSV as UTF-8.
    public static func render(
        _ dataset: ExportDataset, format: ExportFormat, layout: ExportLayout = .wide,
        columns: ExportColumns = .all, byteOrderMark: Bool = false
    ) throws -> String {
        let text =
            switch (format, layout) {
            case (.csv, .wide): try WideCSVExport.render(dataset, columns: columns)
            case (.csv, .long): try LongCSVExport.render(dataset)
            case (.jsonl, _): JSONLExport.render(dataset)
            case (.xlsx, _), (.qdpx, _), (.sav, _), (.dta, _): throw ExportError.binaryFormat(format.rawValue)
            }
        return byteOrderMark ? "\u{FEFF}" + text : text
    }

    /// The dataset as the bytes of a file in any format; the wide layout's columns for the typed
    /// formats (Excel, SPSS, Stata).
    public static func data(
        _ dataset: ExportDataset, format: ExportFormat, layout: ExportLayout = .wide,
        columns: ExportColumns = .all, byteOrderMark: Bool = false
    ) throws -> Data {
        switch format {
        case .csv, .jsonl:
            Data(try render(dataset, format: format, layout: layout, columns: columns, byteOrderMark: byteOrderMark).utf8)
        case .xlsx: try ExcelExport.data(dataset, columns: columns)
        case .qdpx: try QDPXExport.data(dataset)
        case .sav: try StatFileExport.data(dataset, columns: columns, format: .sav)
        case .dta: try StatFileExport.data(dataset, columns: columns, format: .dta)
        }
    }

    /// Renders the dataset and writes it to a file atomically, so a failed export never leaves half a file.
    public static func write(
        _ dataset: ExportDataset, format: ExportFormat, layout: ExportLayout = .wide,
        columns: ExportColumns = .all, byteOrderMark: Bool = false, to url: URL
    ) throws {
        let bytes = try data(dataset, format: format, layout: layout, columns: columns, byteOrderMark: byteOrderMark)
        do {
            try bytes.write(to: url, options: .atomic)
        } catch {
            throw ExportError.cannotWrite(path: url.path, reason: error.localizedDescription)
        }
    }
}
