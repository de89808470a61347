import Foundation

/// Plain text built from a word processor's structure: paragraphs on lines, a table's cells
/// separated by " | " and its rows on lines, notes and comments marked in the text (`[1]`,
/// `[comment 1]`) and listed after it under a heading, where a reader of a printed copy finds them.
struct OfficeText {
    private(set) var body = ""
    private var cellDepth = 0
    private var footnotes: [String] = []
    private var endnotes: [String] = []
    private var comments: [String] = []

    mutating func append(_ text: String) { body += text }

    /// A paragraph ends: a line, or a space inside a table cell (a cell is one line of its row).
    mutating func endParagraph() {
        if cellDepth > 0 {
            if !body.isEmpty, body.last != " " { body += " " }
        } else {
            body += "\n"
        }
    }

    mutating func startCell() { cellDepth += 1 }

    mutating func endCell() {
        cellDepth = max(cellDepth - 1, 0)
        trimTrailingSpaces()
        body += " | "
    }

    mutating func endRow() {
        if body.hasSuffix(" | ") { body.removeLast(3) }
        // A nested table's row stays on its outer cell's line.
        body += cellDepth > 0 ? " " : "\n"
    }

    private mutating func trimTrailingSpaces() {
        while body.last == " " { body.removeLast() }
    }

    /// A footnote's (or endnote's) text; returns the marker to put in the body.
    mutating func addNote(_ text: String, endnote: Bool = false) -> String {
        if endnote {
            endnotes.append(text)
            return "[endnote \(endnotes.count)]"
        }
        footnotes.append(text)
        return "[\(footnotes.count)]"
    }

    /// A comment with its author; returns the marker to put in the body where it is anchored.
    mutating func addComment(_ text: String, author: String?) -> String {
        let who = author.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        comments.append((who.map { "\($0): " } ?? "") + text)
        return "[comment \(comments.count)]"
    }

    /// The body, then footnotes, endnotes and comments, each under its heading.
    var text: String {
        var result = body.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.replacing(/[ \t]+$/, with: "") }.joined(separator: "\n")
        while result.hasSuffix("\n") { result.removeLast() }
        func section(_ heading: String, _ items: [String], marker: (Int) -> String) {
            guard !items.isEmpty else { return }
            result += "\n\n\(heading)\n" + items.enumerated().map { "\(marker($0.offset + 1)) \($0.element)" }.joined(separator: "\n")
        }
        section("Footnotes", footnotes) { "[\($0)]" }
        section("Endnotes", endnotes) { "[endnote \($0)]" }
        section("Comments", comments) { "[comment \($0)]" }
        return result
    }

    /// The text of a note or comment body: its paragraphs on one line, separated by spaces.
    static func inline(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
    }
}
