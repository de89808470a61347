import CLibXML2
import Foundation

/// A document parsed by libxml2 (its XML parser for the parts of DOCX/ODT files, its HTML parser
/// for web pages), freed with the value. Parsing is bounded: no network, no DTD loading, entities
/// not substituted, libxml2's default depth and size limits (`XML_PARSE_HUGE` off).
final class LibXMLDocument {
    let pointer: xmlDocPtr

    private init(_ pointer: xmlDocPtr) { self.pointer = pointer }

    /// libxml2 wants its global state set up once before parsers run on several threads.
    private static let setUp: Void = xmlInitParser()
    deinit { xmlFreeDoc(pointer) }

    struct Problem: Error {
        var reason: String
    }

    /// An XML part; a DTD is refused, since no part of an office file has one and entity
    /// declarations are how a "billion laughs" file expands.
    static func xml(_ data: Data, name: String) throws(Problem) -> LibXMLDocument {
        _ = setUp
        // Checked before parsing too: libxml2 stops some entity loops itself, with a vaguer message.
        if data.prefix(64 * 1024).range(of: Data("<!DOCTYPE".utf8)) != nil { throw dtdProblem(name) }
        let options = Int32(
            XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOCDATA.rawValue)
        let parsed = data.withUnsafeBytes { bytes -> xmlDocPtr? in
            guard let base = bytes.bindMemory(to: CChar.self).baseAddress, bytes.count <= Int(Int32.max) else { return nil }
            return xmlReadMemory(base, Int32(bytes.count), name, nil, options)
        }
        guard let parsed else { throw Problem(reason: "\(name) is not well-formed XML (\(lastError()))") }
        let document = LibXMLDocument(parsed)
        if parsed.pointee.intSubset != nil || parsed.pointee.extSubset != nil {
            throw dtdProblem(name)
        }
        return document
    }

    /// An HTML page. `encoding` nil lets libxml2 follow a byte order mark or `<meta charset>`.
    static func html(_ data: Data, encoding: String?) throws(Problem) -> LibXMLDocument {
        _ = setUp
        let options = Int32(
            HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                | HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOIMPLIED.rawValue)
        let parsed = data.withUnsafeBytes { bytes -> htmlDocPtr? in
            guard let base = bytes.bindMemory(to: CChar.self).baseAddress, bytes.count <= Int(Int32.max) else { return nil }
            return htmlReadMemory(base, Int32(bytes.count), "page.html", encoding, options)
        }
        guard let parsed else { throw Problem(reason: "not a readable HTML page (\(lastError()))") }
        return LibXMLDocument(parsed)
    }

    private static func dtdProblem(_ name: String) -> Problem {
        Problem(reason: "\(name) declares a DTD, which office files never do (an entity-expansion attack?)")
    }

    private static func lastError() -> String {
        guard let error = xmlGetLastError(), let message = error.pointee.message else { return "no detail" }
        let text = String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
        return error.pointee.line > 0 ? "line \(error.pointee.line): \(text)" : text
    }

    /// Runs `body` on the root element while the document is alive: nodes are pointers into it, and
    /// Swift may free an object right after its last use, before the end of the scope.
    func withRoot<T>(_ body: (LibXMLNode?) throws -> T) rethrows -> T {
        try withExtendedLifetime(self) { try body(xmlDocGetRootElement(pointer).map(LibXMLNode.init)) }
    }
}

/// One node of a `LibXMLDocument`; valid while the document lives.
struct LibXMLNode {
    let pointer: xmlNodePtr

    var isElement: Bool { pointer.pointee.type == XML_ELEMENT_NODE }
    var isText: Bool { pointer.pointee.type == XML_TEXT_NODE || pointer.pointee.type == XML_CDATA_SECTION_NODE }

    /// The local name, lower-cased for HTML by the parser already.
    var name: String { pointer.pointee.name.map { String(cString: $0) } ?? "" }
    var namespace: String? { pointer.pointee.ns?.pointee.href.map { String(cString: $0) } }
    /// A text node's text.
    var content: String { pointer.pointee.content.map { String(cString: $0) } ?? "" }

    var firstChild: LibXMLNode? { pointer.pointee.children.map(LibXMLNode.init) }
    var next: LibXMLNode? { pointer.pointee.next.map(LibXMLNode.init) }
    var parent: LibXMLNode? { pointer.pointee.parent.map(LibXMLNode.init) }

    /// An attribute's value, without a namespace or in `namespace`: the text of its value nodes,
    /// read in place (nothing allocated by libxml2 to free).
    func attribute(_ name: String, namespace: String? = nil) -> String? {
        var attribute = pointer.pointee.properties
        while let current = attribute {
            let attributeName = current.pointee.name.map { String(cString: $0) }
            let attributeNamespace = current.pointee.ns?.pointee.href.map { String(cString: $0) }
            if attributeName == name, attributeNamespace == namespace {
                var value = ""
                var child = current.pointee.children
                while let node = child {
                    if let content = node.pointee.content { value += String(cString: content) }
                    child = node.pointee.next
                }
                return value
            }
            attribute = current.pointee.next
        }
        return nil
    }

    /// The element children, in order.
    var elements: [LibXMLNode] {
        var result: [LibXMLNode] = []
        var child = firstChild
        while let node = child {
            if node.isElement { result.append(node) }
            child = node.next
        }
        return result
    }

    /// Visits the subtree in document order without recursion (a hostile page can nest deeply):
    /// `enter` says whether to go into an element's children; `leave` follows the last child of
    /// each node `enter` accepted.
    func walk(enter: (LibXMLNode) -> Bool, leave: (LibXMLNode) -> Void) {
        var node = self
        while true {
            let entered = enter(node)
            if entered, let child = node.firstChild {
                node = child
                continue
            }
            // Leave this node and every ancestor whose last child it was, then go to the next sibling.
            var current = node
            var accepted = entered
            while true {
                if accepted { leave(current) }
                if current.pointer == pointer { return }
                if let sibling = current.next {
                    node = sibling
                    break
                }
                guard let up = current.parent else { return }
                current = up
                accepted = true
            }
        }
    }
}
