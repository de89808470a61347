import AssayCore
import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A codebook in the REFI-QDA codebook exchange format (`.qdc`, namespace `urn:QDA-XML:codebook:1.0`),
/// which QDA programs (ATLAS.ti, MAXQDA, NVivo, QualCoder) import and export.
///
/// A variable is a code, its instructions the code's description; a category variable has a
/// sub-code per category (named by its code, its label as description) and a boolean has the
/// sub-codes `true` and `false`. QDC has codes only, so reading one back gives category, boolean and
/// (for a code without sub-codes) text variables: number and date types, display names, category
/// descriptions, rules, thresholds, defaults, dependencies and examples are not carried.
public enum CodebookQDC {
    /// The codebook as a `.qdc` document.
    public static func xml(_ codebook: Codebook) -> String {
        var out = #"<?xml version="1.0" encoding="utf-8"?>"# + "\n"
        out += #"<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Assay">"# + "\n"
        out += codes(codebook, indent: "  ")
        out += "</CodeBook>\n"
        return out
    }

    /// The `<Codes>` element shared by `.qdc` and a project's `.qde`; GUIDs follow `REFIGUID.code`.
    package static func codes(_ codebook: Codebook, indent: String) -> String {
        var out = indent + "<Codes>\n"
        for variable in codebook.variables {
            let children = subCodes(variable)
            out += indent + "  " + code(REFIGUID.code(variable: variable.name), name: variable.name)
            let description = variable.instructions
            if children.isEmpty && description.isEmpty {
                out += "/>\n"
                continue
            }
            out += ">\n"
            if !description.isEmpty { out += indent + "    <Description>\(XMLText.escape(description))</Description>\n" }
            for child in children {
                out += indent + "    " + code(child.guid, name: child.name)
                if let description = child.description, !description.isEmpty {
                    out += "><Description>\(XMLText.escape(description))</Description></Code>\n"
                } else {
                    out += "/>\n"
                }
            }
            out += indent + "  </Code>\n"
        }
        return out + indent + "</Codes>\n"
    }

    /// The sub-codes a value of the variable is coded with: one per category, or `true` and `false`.
    package static func subCodes(_ variable: Variable) -> [(name: String, guid: String, description: String?)] {
        switch variable.type {
        case .category:
            variable.categories.map { ($0.code, REFIGUID.code(variable: variable.name, value: $0.code), $0.label) }
        case .boolean:
            ["true", "false"].map { ($0, REFIGUID.code(variable: variable.name, value: $0), nil) }
        default:
            []
        }
    }

    private static func code(_ guid: String, name: String) -> String {
        #"<Code guid="\#(guid)" name="\#(XMLText.escape(name))" isCodable="true""#
    }

    // MARK: - Reading

    /// The codebook tree a `.qdc` document describes, for `CodebookLoader` to decode and check.
    static func tree(_ text: String) throws(CodebookLoadError) -> JSONValue {
        // REFI-QDA needs no DTD; refusing one rules out entity expansion and external entities.
        if text.range(of: "<!DOCTYPE", options: .caseInsensitive) != nil || text.range(of: "<!ENTITY", options: .caseInsensitive) != nil {
            throw .syntax("the QDC file has a DOCTYPE or ENTITY declaration, which REFI-QDA files do not use")
        }
        let reader = CodeReader()
        let parser = XMLParser(data: Data(text.utf8))
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = true
        parser.delegate = reader
        guard parser.parse(), reader.problem == nil else {
            let line = parser.lineNumber
            throw .syntax("QDC XML error at line \(line): \(reader.problem ?? parser.parserError.map { "\($0)" } ?? "not well-formed")")
        }
        guard reader.sawCodeBook else { throw .syntax("not a REFI-QDA codebook: no <CodeBook> element") }
        let variables = reader.roots.map { root -> JSONValue in
            var object: OrderedDictionary<String, JSONValue> = ["name": .string(root.name)]
            let childNames = Set(root.children.map { $0.name.lowercased() })
            if !root.children.isEmpty && childNames == ["true", "false"] {
                object["type"] = "boolean"
            } else if !root.children.isEmpty {
                object["type"] = "category"
                object["categories"] = .array(
                    root.children.map { child in
                        child.description.isEmpty
                            ? .string(child.name) : .object(["code": .string(child.name), "label": .string(child.description)])
                    })
            } else {
                object["type"] = "text"
            }
            if !root.description.isEmpty { object["instructions"] = .string(root.description) }
            return .object(object)
        }
        return .object(["variables": .array(variables)])
    }

    /// Collects top-level codes and their direct sub-codes; deeper codes are flattened into their variable.
    private final class CodeReader: NSObject, XMLParserDelegate {
        final class Node {
            var name: String
            var description = ""
            var children: [Node] = []
            init(name: String) { self.name = name }
        }
        var roots: [Node] = []
        var sawCodeBook = false
        var problem: String?
        private var stack: [Node] = []
        private var depth = 0
        private var inDescription = false
        private var text = ""
        static let maxDepth = 64

        func parser(
            _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            depth += 1
            guard depth <= Self.maxDepth else {
                problem = "elements nested deeper than \(Self.maxDepth) levels"
                parser.abortParsing()
                return
            }
            switch element {
            case "CodeBook": sawCodeBook = true
            case "Code":
                let node = Node(name: attributes["name"] ?? "")
                if stack.isEmpty {
                    roots.append(node)
                } else if stack.count == 1 {
                    stack[0].children.append(node)
                }
                stack.append(node)
            case "Description":
                inDescription = true
                text = ""
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inDescription { text += string }
        }

        func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
            depth -= 1
            switch element {
            case "Code": _ = stack.popLast()
            case "Description":
                inDescription = false
                stack.last?.description = text.trimmingCharacters(in: .whitespacesAndNewlines)
            default: break
            }
        }
    }
}

/// REFI-QDA GUIDs, made from names so the same variable or category has the same GUID in every export
/// (a QDA program re-importing a later export then matches codes): a SHA-256 of the name, in the
/// standard's 8-4-4-4-12 hex form with the version (5, name-based) and variant bits set.
package enum REFIGUID {
    package static func make(_ name: String) -> String {
        var hex = Array(Hashing.sha256("assay:" + name).prefix(32))
        hex[12] = "5"
        hex[16] = ["8", "9", "a", "b"][Int(String(hex[16]), radix: 16)! % 4]
        let text = String(hex)
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(text[text.index(text.startIndex, offsetBy: range.lowerBound)..<text.index(text.startIndex, offsetBy: range.upperBound)])
        }
        return parts.joined(separator: "-")
    }

    package static func code(variable: String, value: String? = nil) -> String {
        make("code:" + variable + (value.map { "=" + $0 } ?? ""))
    }
}

/// Text made safe for XML 1.0 content and attribute values.
package enum XMLText {
    /// Escapes markup characters and drops the characters XML 1.0 forbids (C0 controls but tab, LF
    /// and CR; U+FFFE, U+FFFF); CR is written as a character reference so it survives parsing.
    package static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\r": out += "&#13;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            default:
                if allowed(scalar) { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// Whether XML 1.0 allows the character at all.
    package static func allowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}
