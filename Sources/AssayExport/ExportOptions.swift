import AssayCore
import Foundation

/// The file formats a dataset is exported in.
public enum ExportFormat: String, Sendable, Hashable, CaseIterable {
    /// RFC 4180 CSV, wide or long.
    case csv
    /// One JSON object per document and line.
    case jsonl
    /// An Excel workbook: data, codebook and quality sheets.
    case xlsx
    /// A REFI-QDA project for QDA programs: sources, codes, coded evidence.
    case qdpx
    /// An SPSS data file with variable and value labels.
    case sav
    /// A Stata data file (format 118) with variable and value labels.
    case dta

    /// Formats that are bytes, not text: written to a file, never to a terminal.
    public var isBinary: Bool { self != .csv && self != .jsonl }

    public var fileExtension: String { rawValue }

    /// The media type an HTTP download announces.
    public var mediaType: String {
        switch self {
        case .csv: "text/csv; charset=utf-8"
        case .jsonl: "application/x-ndjson"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case .qdpx: "application/zip"
        case .sav: "application/x-spss-sav"
        case .dta: "application/x-stata-dta"
        }
    }
}

/// How CSV rows are cut.
public enum ExportLayout: String, Sendable, Hashable, CaseIterable {
    /// One row per document, one column (or a few) per variable.
    case wide
    /// One row per value.
    case long
}

/// The optional per-variable and per-row columns of the wide layout.
public struct ExportColumns: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// `VAR_confidence`
    public static let confidence = ExportColumns(rawValue: 1 << 0)
    /// `VAR_evidence`: the quote supporting the value.
    public static let evidence = ExportColumns(rawValue: 1 << 1)
    /// `VAR_status`: validated, flagged or failed.
    public static let status = ExportColumns(rawValue: 1 << 2)
    /// `_codebook_version`: the version that made the row's values.
    public static let codebookVersion = ExportColumns(rawValue: 1 << 3)

    public static let all: ExportColumns = [.confidence, .evidence, .status, .codebookVersion]
    public static let none: ExportColumns = []
}
