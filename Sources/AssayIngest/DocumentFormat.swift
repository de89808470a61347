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
    /// Through poppler's pdftotext, with page offsets; OCR on request.
    case pdf
    /// Word (Office Open XML) and OpenDocument text: ZIP containers of XML.
    case docx
    case odt
    /// A saved web page: its main text, title and source URL.
    case html

    /// Formats stored as ZIP or binary data, read by their own readers rather than decoded as text.
    var isContainer: Bool { self == .pdf || self == .docx || self == .odt }

    /// The extensions listed to users when a file is refused.
    public static let supportedExtensionsText = ".txt, .md, .json, .jsonl, .pdf, .docx, .odt, .html"

    /// The format a file extension names (case-insensitive, without the dot), or nil.
    public init?(pathExtension: String) {
        switch pathExtension.lowercased() {
        case "txt", "text": self = .plainText
        case "md", "markdown": self = .markdown
        case "json": self = .json
        case "jsonl", "ndjson": self = .jsonLines
        case "pdf": self = .pdf
        case "docx": self = .docx
        case "odt": self = .odt
        case "html", "htm", "xhtml": self = .html
        default: return nil
        }
    }

    /// The media type recorded on documents read from this format.
    public var mediaType: String {
        switch self {
        case .plainText: "text/plain"
        case .markdown: "text/markdown"
        case .json, .jsonLines: "application/json"
        case .pdf: PDFReader.mediaType
        case .docx: DOCXReader.mediaType
        case .odt: ODTReader.mediaType
        case .html: HTMLReader.mediaType
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
