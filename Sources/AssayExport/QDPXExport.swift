import AssayCore
import AssayIngest
import Foundation

/// A REFI-QDA project (.qdpx: a ZIP of `project.qde` and `sources/`), which ATLAS.ti, MAXQDA, NVivo
/// and QualCoder import: each document a text source, each variable a code (categories and booleans
/// with a sub-code per value), and each value whose evidence was found in the text a coded selection
/// of that quote, with the model's rationale as its description and the model as its coder.
///
/// Sources are the stored text as UTF-8 without a byte order mark, line ends as LF; selection
/// positions count Unicode code points from the start of that file, end exclusive. A value whose
/// quote was not found in the text (or that has no quote) codes the whole source instead.
enum QDPXExport {
    static func data(_ dataset: ExportDataset, now: Date = Date()) throws -> Data {
        let rows = DatasetRows(dataset).rows
        let variables = Dictionary(dataset.codebook.variables.map { ($0.name, $0) }) { first, _ in first }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]

        let assay = REFIGUID.make("user:assay")
        let models = Array(Set(dataset.extractions.map(\.model))).sorted()
        func user(_ model: String) -> String { REFIGUID.make("user:model:" + model) }

        var xml = #"<?xml version="1.0" encoding="utf-8"?>"# + "\n"
        xml += #"<Project xmlns="urn:QDA-XML:project:1.0" name="\#(XMLText.escape(dataset.codebook.name ?? "Assay project"))""#
        xml += #" origin="Assay" creatingUserGUID="\#(assay)" creationDateTime="\#(formatter.string(from: now))">"# + "\n"
        xml += "  <Users>\n" + #"    <User guid="\#(assay)" name="Assay"/>"# + "\n"
        for model in models { xml += #"    <User guid="\#(user(model))" name="\#(XMLText.escape("model " + model))"/>"# + "\n" }
        // Each person who coded (assay coders import) is a user too, with their codes on the sources.
        let people = Array(Set(dataset.humanCodes.map(\.coder))).sorted()
        func person(_ name: String) -> String { REFIGUID.make("user:person:" + name) }
        for name in people { xml += #"    <User guid="\#(person(name))" name="\#(XMLText.escape(name))"/>"# + "\n" }
        let humanCodes = Dictionary(grouping: dataset.humanCodes, by: \.documentID)
        xml += "  </Users>\n  <CodeBook>\n" + CodebookQDC.codes(dataset.codebook, indent: "    ") + "  </CodeBook>\n"

        var entries: [(path: String, data: Data)] = []
        var documents: [Int64: [DatasetRows.Row]] = [:]
        var order: [Document] = []
        for row in rows {
            if documents[row.document.id] == nil { order.append(row.document) }
            documents[row.document.id, default: []].append(row)
        }
        if !order.isEmpty { xml += "  <Sources>\n" }
        for document in order {
            let source = REFIGUID.make("source:\(document.id)")
            let (text, position) = plainText(document.text)
            entries.append(("sources/\(source).txt", Data(text.utf8)))
            xml +=
                #"    <TextSource guid="\#(source)" name="\#(XMLText.escape(document.externalID))" plainTextPath="internal://\#(source).txt""#
            xml += #" creatingUser="\#(assay)" creationDateTime="\#(formatter.string(from: document.createdAt))">"# + "\n"
            if let title = document.title { xml += "      <Description>\(XMLText.escape(title))</Description>\n" }
            let length = document.text.unicodeScalars.count
            var unplaced: [(key: String, value: Extraction, codes: [String])] = []
            for row in documents[document.id] ?? [] {
                for name in dataset.codebook.variables.map(\.name) {
                    guard let value = row.values[name] else { continue }
                    let key = "\(document.id):\(name):\(value.entityIndex)"
                    guard let evidence = value.evidence, let start = evidence.start, let end = evidence.end,
                        start >= 0, start < end, end <= length
                    else {
                        if !value.value.isNull { unplaced.append((key, value, codes(value.value, variable: variables[name], name: name))) }
                        continue
                    }
                    let coder = user(value.model)
                    let when = formatter.string(from: value.createdAt)
                    let label = String((name + " = " + value.value.displayText).prefix(200))
                    xml += #"      <PlainTextSelection guid="\#(REFIGUID.make("selection:" + key))" name="\#(XMLText.escape(label))""#
                    xml += #" startPosition="\#(position(start))" endPosition="\#(position(end))" creatingUser="\#(coder)""#
                    xml += #" creationDateTime="\#(when)">"# + "\n"
                    if let rationale = value.rationale, !rationale.isEmpty {
                        xml += "        <Description>\(XMLText.escape(rationale))</Description>\n"
                    }
                    for code in codes(value.value, variable: variables[name], name: name) {
                        xml +=
                            #"        <Coding guid="\#(REFIGUID.make("coding:\(key):\(code)"))" creatingUser="\#(coder)" creationDateTime="\#(when)">"#
                        xml += #"<CodeRef targetGUID="\#(code)"/></Coding>"# + "\n"
                    }
                    xml += "      </PlainTextSelection>\n"
                }
            }
            // A value with no located quote codes the whole source.
            for (key, value, codes) in unplaced {
                let when = formatter.string(from: value.createdAt)
                for code in codes {
                    xml += #"      <Coding guid="\#(REFIGUID.make("coding:\(key):\(code)"))" creatingUser="\#(user(value.model))""#
                    xml += #" creationDateTime="\#(when)"><CodeRef targetGUID="\#(code)"/></Coding>"# + "\n"
                }
            }
            // A person's code has no quote: it codes the whole source, by that person.
            for human in humanCodes[document.id] ?? [] {
                guard let variable = variables[human.variable], let code = Codes.code(human.value, type: variable.type) else { continue }
                let held: JSONValue = code.contains("|") ? .array(code.split(separator: "|").map { .string(String($0)) }) : .string(code)
                let when = formatter.string(from: human.createdAt)
                let key = "human:\(document.id):\(human.variable):\(human.coder)"
                for target in codes(held, variable: variable, name: human.variable) {
                    xml += #"      <Coding guid="\#(REFIGUID.make("coding:\(key):\(target)"))" creatingUser="\#(person(human.coder))""#
                    xml += #" creationDateTime="\#(when)"><CodeRef targetGUID="\#(target)"/></Coding>"# + "\n"
                }
            }
            xml += "    </TextSource>\n"
        }
        if !order.isEmpty { xml += "  </Sources>\n" }
        xml += "</Project>\n"
        return try ZipPackage.make([("project.qde", Data(xml.utf8))] + entries)
    }

    /// The codes a value is coded with: the sub-code of each category or boolean value it holds,
    /// else the variable's own code.
    private static func codes(_ value: JSONValue, variable: Variable?, name: String) -> [String] {
        guard let variable else { return [REFIGUID.code(variable: name)] }
        let known = Set(CodebookQDC.subCodes(variable).map(\.name))
        let held: [String] =
            switch value {
            case .array(let items): items.map(\.displayText)
            case .null: []
            default: [value.displayText]
            }
        let coded = held.filter { known.contains($0) }.map { REFIGUID.code(variable: name, value: $0) }
        var seen: Set<String> = []
        let unique = coded.filter { seen.insert($0).inserted }
        return unique.isEmpty ? [REFIGUID.code(variable: name)] : unique
    }

    /// The text as a source file (no byte order mark; CRLF and CR become LF) and how a code point
    /// position in the stored text maps to one in the file.
    static func plainText(_ text: String) -> (String, (Int) -> Int) {
        guard text.contains("\r") || text.hasPrefix("\u{FEFF}") else { return (text, { $0 }) }
        var scalars = String.UnicodeScalarView()
        var map: [Int] = []
        map.reserveCapacity(text.unicodeScalars.count + 1)
        var previous: Unicode.Scalar?
        for (index, scalar) in text.unicodeScalars.enumerated() {
            map.append(scalars.count)
            defer { previous = scalar }
            if index == 0 && scalar == "\u{FEFF}" { continue }
            if scalar == "\n" && previous == "\r" { continue }
            scalars.append(scalar == "\r" ? "\n" : scalar)
        }
        map.append(scalars.count)
        let lookup = map
        return (String(scalars), { lookup[min(max($0, 0), lookup.count - 1)] })
    }
}
