import AssayCore
import Foundation

/// The file formats a dataset is exported in.
public enum ExportFormat: String, Sendable, Hashable, CaseIterable {
    /// RFC 4180 CSV, wide or long.
    case csv
    /// One JSON object per document and line.
    case jsonl
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
