import AssayCore
import Foundation

/// Reads Word files (.docx): the body's paragraphs in order, tables as text, footnotes, endnotes
/// and comments marked in the text and listed after it (`OfficeText`). Tracked changes are read
/// as if accepted: insertions kept, deletions dropped. Headers and footers are left out (page
/// furniture, like a web page's navigation).
struct DOCXReader {
    static let mediaType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    static let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    static let markupCompatibility = "http://schemas.openxmlformats.org/markup-compatibility/2006"

    /// Elements whose content is not text a reader sees: deletions, field codes, properties, and
    /// the fallback copy of content that also appears in its `mc:Choice`.
    static let skipped: Set<String> = [
        "del", "moveFrom", "delText", "instrText", "rPr", "pPr", "sectPr", "tblPr", "trPr", "tcPr", "tblGrid",
        "footnoteRef", "endnoteRef", "annotationRef", "sym", "fldData",
    ]

    var source: String
    var title: String

    func read(_ zip: ZipParts) throws(ZipParts.Problem) -> DocumentInput {
        guard let main = try zip.part("word/document.xml") else {
            throw ZipParts.Problem(reason: "not a Word document: the DOCX has no word/document.xml")
        }
        let footnotes = try notes(zip, part: "word/footnotes.xml", element: "footnote")
        let endnotes = try notes(zip, part: "word/endnotes.xml", element: "endnote")
        let comments = try notes(zip, part: "word/comments.xml", element: "comment")
        let document = try parse(main, name: "word/document.xml")
        var out = OfficeText()
        document.withRoot { root in
            guard let root else { return }
            render(root, into: &out) { reference, out in
                let id = reference.attribute("id", namespace: Self.w) ?? ""
                switch reference.name {
                case "footnoteReference": return footnotes[id].map { out.addNote($0.text) } ?? ""
                case "endnoteReference": return endnotes[id].map { out.addNote($0.text, endnote: true) } ?? ""
                default: return comments[id].map { out.addComment($0.text, author: $0.author) } ?? ""
                }
            }
        }
        return DocumentInput(externalID: source, title: title, mediaType: Self.mediaType, text: out.text)
    }

    private func parse(_ data: Data, name: String) throws(ZipParts.Problem) -> LibXMLDocument {
        do throws(LibXMLDocument.Problem) {
            return try LibXMLDocument.xml(data, name: name)
        } catch {
            throw ZipParts.Problem(reason: "not a readable DOCX: \(error.reason)")
        }
    }

    /// Footnotes, endnotes or comments by id, each as one line of text.
    private func notes(
        _ zip: ZipParts, part: String, element: String
    ) throws(ZipParts.Problem) -> [String: (
        text: String, author: String?
    )] {
        guard let data = try zip.part(part) else { return [:] }
        let document = try parse(data, name: part)
        var result: [String: (text: String, author: String?)] = [:]
        document.withRoot { root in
            for note in root?.elements ?? [] where note.name == element {
                // Separators between the body and the notes are notes too, without text.
                if let type = note.attribute("type", namespace: Self.w), type != "normal" { continue }
                guard let id = note.attribute("id", namespace: Self.w) else { continue }
                var out = OfficeText()
                render(note, into: &out) { _, _ in "" }
                result[id] = (OfficeText.inline(out.text), note.attribute("author", namespace: Self.w))
            }
        }
        return result
    }

    /// The text under `node`; `reference` gives the marker for a note or comment reference.
    private func render(
        _ node: LibXMLNode, into out: inout OfficeText, reference: (LibXMLNode, inout OfficeText) -> String
    ) {
        node.walk(
            enter: { node in
                if node.isText {
                    if node.parent?.name == "t" { out.append(node.content) }
                    return false
                }
                guard node.isElement else { return false }
                if node.namespace == Self.markupCompatibility { return node.name != "Fallback" }
                guard node.namespace == Self.w else { return true }
                switch node.name {
                case _ where Self.skipped.contains(node.name): return false
                case "tab", "ptab": out.append("\t")
                case "br", "cr": out.append("\n")
                case "noBreakHyphen": out.append("-")
                case "tc": out.startCell()
                case "footnoteReference", "endnoteReference", "commentReference":
                    let marker = reference(node, &out)
                    out.append(marker)
                default: return true
                }
                return node.name == "tc"
            },
            leave: { node in
                guard node.isElement, node.namespace == Self.w else { return }
                switch node.name {
                case "p": out.endParagraph()
                case "tc": out.endCell()
                case "tr": out.endRow()
                default: break
                }
            })
    }
}
