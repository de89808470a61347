import AssayCore
import Foundation

/// Reads saved web pages with libxml2's HTML parser (which nests real-world HTML the way browsers
/// do, unlike Foundation's XML parser on Linux): the main text without navigation and boilerplate,
/// the `<title>` as the title, and the page's own URL (`canonical` link or `og:url`) as
/// `source_url` in the metadata. The encoding is the byte order mark's or `<meta charset>`'s, else UTF-8.
struct HTMLReader {
    static let mediaType = "text/html"

    /// Elements that are never the page's text: code, navigation, forms, embedded media.
    static let dropped: Set<String> = [
        "head", "script", "style", "noscript", "template", "nav", "aside", "form", "iframe", "svg", "canvas",
        "button", "select", "textarea", "input", "menu", "dialog", "object", "embed", "math", "video", "audio",
    ]
    /// Page furniture when it belongs to the page, but an article's own heading block when inside one.
    static let pageFurniture: Set<String> = ["header", "footer"]
    static let droppedRoles: Set<String> = ["navigation", "banner", "contentinfo", "complementary", "search", "menu"]
    static let blocks: Set<String> = [
        "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "dt", "dd",
        "blockquote", "pre", "table", "tr", "hr", "figure", "figcaption", "address", "details", "summary", "caption",
        "body", "li", "header", "footer",
    ]

    var source: String
    var title: String

    func read(_ data: Data) -> DocumentInput {
        // libxml2 recovers from anything, so a binary file would come out as "text": refuse it first.
        let head = [UInt8](data.prefix(64 * 1024))
        let utf16 = head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF])
        if !utf16, head.contains(0) || !head.contains(UInt8(ascii: "<")) {
            return .failed(externalID: source, mediaType: Self.mediaType, reason: "not an HTML page (binary data, or no markup)")
        }
        let document: LibXMLDocument
        do throws(LibXMLDocument.Problem) {
            document = try LibXMLDocument.html(data, encoding: Self.declaresEncoding(data) ? nil : "UTF-8")
        } catch {
            return .failed(externalID: source, mediaType: Self.mediaType, reason: error.reason)
        }
        // Nodes point into the document: everything is read while it is alive.
        return document.withRoot { root in page(from: root) }
    }

    private func page(from root: LibXMLNode?) -> DocumentInput {
        guard let root else {
            return .failed(externalID: source, mediaType: Self.mediaType, reason: "not a readable HTML page (no elements)")
        }
        var found = PageParts()
        found.scan(root)
        let content = found.main ?? found.article ?? found.body ?? root
        let text = Self.text(of: content, dropFurniture: content.name == "body" || content.pointer == root.pointer)
        guard !text.allSatisfy(\.isWhitespace) else {
            return .failed(
                externalID: source, mediaType: Self.mediaType,
                reason: "no readable text in the HTML page (only navigation, scripts or markup)")
        }
        var metadata: JSONValue = [:]
        if let url = found.sourceURL, case .object(var fields) = metadata {
            fields["source_url"] = .string(url)
            metadata = .object(fields)
        }
        return DocumentInput(
            externalID: source, title: found.title ?? title, mediaType: Self.mediaType, text: text,
            metadata: metadata)
    }

    /// Whether the page names its encoding (a byte order mark, or `charset` near the top), which
    /// libxml2 then follows; otherwise it is read as UTF-8.
    static func declaresEncoding(_ data: Data) -> Bool {
        let head = [UInt8](data.prefix(4096))
        if head.starts(with: [0xEF, 0xBB, 0xBF]) || head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) {
            return true
        }
        return String(decoding: head, as: Unicode.ASCII.self).lowercased().contains("charset")
    }

    /// The text under `root`: block elements on their own lines, table cells separated by " | ",
    /// white space collapsed as a browser shows it (kept inside `<pre>`).
    static func text(of root: LibXMLNode, dropFurniture: Bool) -> String {
        var out = ""
        var preformatted = 0
        var cells = 0
        // A block ends a line, except inside a table cell, which is one line of its row.
        func newline() {
            if cells > 0 {
                if !out.isEmpty, out.last != " " { out += " " }
            } else if !out.isEmpty, out.last != "\n" {
                out += "\n"
            }
        }
        root.walk(
            enter: { node in
                if node.isText {
                    let content = node.content.replacingOccurrences(of: "\u{0}", with: "")
                    if preformatted > 0 {
                        out += content
                    } else {
                        // Runs of white space are one space, and none after a space or a line's start.
                        let collapsed = content.replacing(/\s+/, with: " ")
                        let atBreak = out.isEmpty || out.last == " " || out.last == "\n"
                        out += atBreak && collapsed.hasPrefix(" ") ? String(collapsed.dropFirst()) : collapsed
                    }
                    return false
                }
                guard node.isElement else { return false }
                let name = node.name
                if dropped.contains(name) || (dropFurniture && pageFurniture.contains(name)) { return false }
                if let role = node.attribute("role"), droppedRoles.contains(role.lowercased()) { return false }
                if node.attribute("hidden") != nil || node.attribute("aria-hidden") == "true" { return false }
                if name == "pre" { preformatted += 1 }
                if name == "td" || name == "th" { cells += 1 }
                if name == "br" { out += "\n" }
                if blocks.contains(name) { newline() }
                if name == "li" { out += "- " }
                return true
            },
            leave: { node in
                guard node.isElement else { return }
                switch node.name {
                case "pre": preformatted -= 1
                case "td", "th":
                    cells -= 1
                    while out.last == " " { out.removeLast() }
                    out += " | "
                case "tr":
                    while out.hasSuffix(" | ") || out.hasSuffix(" ") { out.removeLast(out.hasSuffix(" | ") ? 3 : 1) }
                default: break
                }
                if blocks.contains(node.name) { newline() }
            })
        // Lines trimmed; blank lines (white space between blocks) dropped: blocks are already on lines of their own.
        let lines = out.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return lines.joined(separator: "\n")
    }
}

/// The parts of a page found in one pass: title, source URL and the candidate content roots.
private struct PageParts {
    var title: String?
    var sourceURL: String?
    var main: LibXMLNode?
    var article: LibXMLNode?
    var articles = 0
    var body: LibXMLNode?

    mutating func scan(_ root: LibXMLNode) {
        root.walk(
            enter: { node in
                guard node.isElement else { return false }
                switch node.name {
                case "title" where title == nil:
                    var text = ""
                    node.walk(
                        enter: {
                            if $0.isText { text += $0.content }
                            return true
                        }, leave: { _ in })
                    let clean = text.replacing(/\s+/, with: " ").trimmingCharacters(in: .whitespaces)
                    if !clean.isEmpty { title = String(clean.prefix(500)) }
                    return false
                case "link" where node.attribute("rel")?.lowercased() == "canonical":
                    sourceURL = Self.webURL(node.attribute("href")) ?? sourceURL
                case "meta" where node.attribute("property")?.lowercased() == "og:url":
                    if sourceURL == nil { sourceURL = Self.webURL(node.attribute("content")) }
                case "main" where main == nil: main = node
                case "article":
                    articles += 1
                    // Several articles (a blog's front page): none of them is the page's text alone.
                    article = articles == 1 ? node : nil
                case "body" where body == nil: body = node
                default: break
                }
                return true
            }, leave: { _ in })
        if articles > 1 { article = nil }
    }

    /// An absolute http(s) URL, or nil.
    static func webURL(_ value: String?) -> String? {
        guard let value = value?.trimmingCharacters(in: .whitespacesAndNewlines), value.count <= 2000,
            let url = URL(string: value), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            url.host != nil
        else { return nil }
        return value
    }
}
