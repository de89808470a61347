import AssayCore
import Foundation

/// Reads plain text and Markdown files: the text is kept as written (Markdown markup included),
/// so evidence offsets point into what the user sees in the file.
struct TextReader {
    var format: DocumentFormat
    var source: String
    var title: String

    func read(_ text: String) -> [DocumentInput] {
        guard !text.allSatisfy(\.isWhitespace) else {
            return [.failed(externalID: source, mediaType: format.mediaType, reason: "no text (the file holds only whitespace)")]
        }
        return [DocumentInput(externalID: source, title: title, mediaType: format.mediaType, text: text)]
    }
}
