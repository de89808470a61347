import AssayCore
import AssayIngest
import Foundation

/// A file that arrives as bytes (an HTTP upload) rather than a path.
package struct Upload: Sendable {
    /// The file name as sent; only its last component is kept, as the document's external id.
    package var fileName: String
    package var data: Data

    package init(fileName: String, data: Data) {
        self.fileName = fileName
        self.data = data
    }

    /// The name with any folders, `..` and control characters removed: it names the document,
    /// it never becomes a path.
    package var safeName: String {
        let last = fileName.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = String(last.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) }.map(Character.init))
        guard !cleaned.isEmpty, cleaned != ".", cleaned != ".." else { return "upload" }
        // Keep the extension (it picks the reader) when cutting a very long name.
        guard cleaned.count > 200 else { return cleaned }
        let ext = (cleaned as NSString).pathExtension
        return String(cleaned.prefix(190)) + (ext.isEmpty || ext.count > 9 ? "" : "." + ext)
    }
}
