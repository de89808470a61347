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
            }
        return byteOrderMark ? "\u{FEFF}" + text : text
    }

    /// Renders the dataset and writes it to a file atomically, so a failed export never leaves half a file.
    public static func write(
        _ dataset: ExportDataset, format: ExportFormat, layout: ExportLayout = .wide,
        columns: ExportColumns = .all, byteOrderMark: Bool = false, to url: URL
    ) throws {
        let text = try render(dataset, format: format, layout: layout, columns: columns, byteOrderMark: byteOrderMark)
        do {
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            throw ExportError.cannotWrite(path: url.path, reason: error.localizedDescription)
        }
    }
}
