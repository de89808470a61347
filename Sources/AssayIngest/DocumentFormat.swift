import AssayCore
import Foundation

/// The kinds of file ingest reads, chosen by file extension.
public enum DocumentFormat: String, Sendable, Hashable, CaseIterable {
    case plainText
    case markdown
    /// One record (an object) or several (an array of objects).
    case json
    /// One record per line.
    case jsonLines

    /// The extensions listed to users when a file is refused.
    public static let supportedExtensionsText = ".txt, .md, .json, .jsonl"

    /// The format a file extension names (case-insensitive, without the dot), or nil.
    public init?(pathExtension: String) {
        switch pathExtension.lowercased() {
        case "txt", "text": self = .plainText
        case "md", "markdown": self = .markdown
        case "json": self = .json
        case "jsonl", "ndjson": self = .jsonLines
        default: return nil
        }
    }

    /// The media type recorded on documents read from this format.
    public var mediaType: String {
        switch self {
        case .plainText: "text/plain"
        case .markdown: "text/markdown"
        case .json, .jsonLines: "application/json"
        }
    }

    /// The media type of a file ingest does not read, for the failed document that reports it.
    static func mediaType(ofUnsupportedExtension ext: String) -> String {
        switch ext.lowercased() {
        case "pdf": "application/pdf"
        case "html", "htm": "text/html"
        case "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case "doc": "application/msword"
        case "rtf": "application/rtf"
        case "csv": "text/csv"
        case "xml": "application/xml"
        default: "application/octet-stream"
        }
    }
}
