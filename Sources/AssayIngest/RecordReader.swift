import AssayCore
import Foundation

/// Reads JSON files (an object, or an array of objects) and JSONL files (one object per line) as
/// records: each becomes a document, or a failed document naming its record or line, while the
/// other records of the file still go in.
package struct RecordReader {
    var fields: RecordFields
    /// The file's external id; records are `<source>#<id>`, unreadable lines `<source>:<line>`.
    var source: String
    /// The title of records without a title field.
    var fileTitle: String

    private var mediaType: String { DocumentFormat.json.mediaType }

    func readJSON(_ text: String) -> [DocumentInput] {
        let value: JSONValue
        do {
            value = try JSONValue.parse(text)
        } catch {
            return [.failed(externalID: source, mediaType: mediaType, reason: "not valid JSON: \(Self.describe(error, in: text))")]
        }
        var seen: [String: String] = [:]
        switch value {
        case .object:
            return [record(value, number: 1, label: "record 1", seen: &seen)]
        case .array(let items):
            guard !items.isEmpty else {
                return [.failed(externalID: source, mediaType: mediaType, reason: "no records (the array is empty)")]
            }
            return items.enumerated().map { record($1, number: $0 + 1, label: "record \($0 + 1)", seen: &seen) }
        default:
            return [
                .failed(
                    externalID: source, mediaType: mediaType,
                    reason: "expected a JSON object or an array of objects, found \(value.kindDescription)")
            ]
        }
    }

    func readJSONLines(_ text: String) -> [DocumentInput] {
        var documents: [DocumentInput] = []
        var seen: [String: String] = [:]
        // Split on LF bytes: Swift treats CRLF as one Character, so splitting Characters on "\n" would miss it.
        let lines = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false)
        for (index, bytes) in lines.enumerated() {
            let number = index + 1
            var line = String(decoding: bytes, as: UTF8.self)
            if line.hasSuffix("\r") { line.removeLast() }
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            do {
                let value = try JSONValue.parse(line)
                documents.append(record(value, number: number, label: "line \(number)", seen: &seen))
            } catch {
                documents.append(
                    .failed(
                        externalID: "\(source):\(number)", mediaType: mediaType,
                        reason: "line \(number): not valid JSON: \(Self.describe(error, in: line))"))
            }
        }
        if documents.isEmpty {
            return [.failed(externalID: source, mediaType: mediaType, reason: "no records (every line is blank)")]
        }
        return documents
    }

    /// One record as a document. `seen` maps external ids already used in this file to the record that used them.
    private func record(_ value: JSONValue, number: Int, label: String, seen: inout [String: String]) -> DocumentInput {
        guard case .object(let object) = value else {
            return .failed(
                externalID: "\(source):\(number)", mediaType: mediaType,
                reason: "\(label) is not a JSON object (found \(value.kindDescription))")
        }
        var metadata = object

        // The store hands text to SQLite as C strings, which end at the first NUL: "Visible.\u0000Hidden"
        // would be kept as "Visible." with status ready. Refused with a reason instead, never cut.
        for field in [fields.id, fields.text, fields.title].compactMap({ $0 }) {
            if case .string(let s)? = object[field], s.utf8.contains(0) {
                return .failed(
                    externalID: "\(source):\(number)", mediaType: mediaType,
                    reason: "\(label): '\(field)' contains a NUL character (\\u0000), which would cut it short; remove it")
            }
        }

        let idValue: String? =
            switch object[fields.id] {
            case .string(let s) where !s.trimmingCharacters(in: .whitespaces).isEmpty: s
            case .number(let n): JSONValue.number(n).serialized()
            default: nil
            }
        if idValue != nil { metadata[fields.id] = nil }
        let externalID = "\(source)#\(idValue ?? String(number))"
        if let first = seen[externalID] {
            let what = idValue.map { "id '\($0)'" } ?? "number \(number)"
            return .failed(
                externalID: "\(source):\(number)", mediaType: mediaType,
                reason: "\(label): \(what) is already used by \(first)")
        }
        seen[externalID] = label

        let text: String
        switch object[fields.text] {
        case nil:
            let names = object.keys.map { $0 }
            let listed = names.isEmpty ? "the record is empty" : "fields: \(names.joined(separator: ", "))"
            return .failed(externalID: externalID, mediaType: mediaType, reason: "\(label) has no '\(fields.text)' field (\(listed))")
        case .string(let s):
            text = s
        case let other?:
            return .failed(
                externalID: externalID, mediaType: mediaType,
                reason: "\(label): '\(fields.text)' is \(other.kindDescription), not text")
        }
        metadata[fields.text] = nil
        guard !text.allSatisfy(\.isWhitespace) else {
            return .failed(externalID: externalID, mediaType: mediaType, reason: "\(label) has no text ('\(fields.text)' is empty)")
        }

        var title = fileTitle
        if let field = fields.title, case .string(let s)? = object[field] {
            metadata[field] = nil
            let trimmed = s.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty { title = trimmed }
        }
        return DocumentInput(
            externalID: externalID, title: title, mediaType: mediaType, text: text,
            metadata: metadata.isEmpty ? .null : .object(metadata))
    }

    /// A JSON syntax error with its line and column in `text`.
    package static func describe(_ error: any Error, in text: String) -> String {
        guard let syntax = error as? JSONSyntaxError else { return "\(error)" }
        let (line, column) = TextPosition.lineAndColumn(ofUTF8Offset: syntax.offset, in: text)
        return text.contains("\n") ? "\(syntax.message) at line \(line), column \(column)" : "\(syntax.message) at column \(column)"
    }
}
