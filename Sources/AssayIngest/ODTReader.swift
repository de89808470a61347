import AssayCore
import Foundation

/// Reads OpenDocument text (.odt) from its content.xml, with the same text shape as DOCX
/// (`OfficeText`): paragraphs and headings on lines, tables as text, notes and comments marked
/// and listed after the body. Tracked changes are read as accepted: the deleted text ODF keeps in
/// `text:tracked-changes` is dropped, inserted text stays.
struct ODTReader {
    static let mediaType = "application/vnd.oasis.opendocument.text"
    static let text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    static let table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    static let office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    static let dc = "http://purl.org/dc/elements/1.1/"

    var source: String
    var title: String

    func read(_ zip: ZipParts) throws(ZipParts.Problem) -> DocumentInput {
        guard let content = try zip.part("content.xml") else {
            throw ZipParts.Problem(reason: "not an OpenDocument text: the ODT has no content.xml")
        }
        let document: LibXMLDocument
        do throws(LibXMLDocument.Problem) {
            document = try LibXMLDocument.xml(content, name: "content.xml")
        } catch {
            throw ZipParts.Problem(reason: "not a readable ODT: \(error.reason)")
        }
        var out = OfficeText()
        document.withRoot { root in if let root { render(root, into: &out) } }
        return DocumentInput(externalID: source, title: title, mediaType: Self.mediaType, text: out.text)
    }

    /// The text under `node` (paragraph text collapses white space, as ODF says it does).
    private func render(_ node: LibXMLNode, into out: inout OfficeText) {
        var paragraphs = 0
        node.walk(
            enter: { node in
                if node.isText {
                    if paragraphs > 0 { out.append(node.content.replacing(/\s+/, with: " ")) }
                    return false
                }
                guard node.isElement else { return false }
                switch (node.namespace, node.name) {
                case (Self.text, "p"), (Self.text, "h"):
                    paragraphs += 1
                    return true
                case (Self.text, "s"):
                    let count = min(Int(node.attribute("c", namespace: Self.text) ?? "1") ?? 1, 100)
                    out.append(String(repeating: " ", count: max(count, 1)))
                case (Self.text, "tab"): out.append("\t")
                case (Self.text, "line-break"): out.append("\n")
                case (Self.text, "tracked-changes"), (Self.text, "change"), (Self.text, "sequence-decls"),
                    (Self.office, "forms"), (Self.office, "annotation-end"), (Self.table, "covered-table-cell"),
                    (Self.office, "scripts"), (Self.office, "font-face-decls"), (Self.office, "automatic-styles"):
                    break
                case (Self.text, "note"):
                    let endnote = node.attribute("note-class", namespace: Self.text) == "endnote"
                    let body = node.elements.first { $0.name == "note-body" }
                    let marker = out.addNote(body.map(inline) ?? "", endnote: endnote)
                    out.append(marker)
                case (Self.office, "annotation"):
                    let author = node.elements.first { $0.namespace == Self.dc && $0.name == "creator" }
                    let paragraphs = node.elements.filter { $0.namespace == Self.text }
                    let comment = paragraphs.map(inline).joined(separator: " ")
                    let marker = out.addComment(comment, author: author.map(inline))
                    out.append(marker)
                case (Self.table, "table-cell"):
                    out.startCell()
                    return true
                default: return true
                }
                return false
            },
            leave: { node in
                guard node.isElement else { return }
                switch (node.namespace, node.name) {
                case (Self.text, "p"), (Self.text, "h"):
                    paragraphs -= 1
                    out.endParagraph()
                case (Self.table, "table-cell"): out.endCell()
                case (Self.table, "table-row"): out.endRow()
                default: break
                }
            })
    }

    /// A note's, comment's or author's text on one line.
    private func inline(_ node: LibXMLNode) -> String {
        var out = OfficeText()
        render(node, into: &out)
        if node.namespace == Self.dc {
            // dc:creator holds bare text, outside any paragraph.
            var plain = ""
            node.walk(
                enter: {
                    if $0.isText { plain += $0.content }
                    return true
                }, leave: { _ in })
            return plain.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return OfficeText.inline(out.text)
    }
}
