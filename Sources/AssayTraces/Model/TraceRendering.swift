import AssayCore
import Foundation

/// A trace as the text a model reads and Assay stores as the trace's document: redacted, and cut
/// to its tail when oversized.
public struct RenderedTrace: Sendable, Hashable {
    /// The text; `Redactor().findings(in: text)` is empty.
    public var text: String
    /// True when the rendering was over `TraceLimits.maxPayloadBytes` and only its tail was kept.
    public var truncated: Bool
    /// UTF-8 bytes of the full rendering, before any cut.
    public var fullBytes: Int
    /// Processing notes for the pattern: the truncation note, the redaction count.
    public var notes: [String]

    public init(text: String, truncated: Bool, fullBytes: Int, notes: [String]) {
        self.text = text
        self.truncated = truncated
        self.fullBytes = fullBytes
        self.notes = notes
    }

    /// How many values were redacted in `text`, per kind, in order of first appearance.
    public static func placeholderCounts(in text: String) -> [(kind: PIIKind, count: Int)] {
        var counts: [(kind: PIIKind, count: Int, first: String.Index)] = []
        for kind in PIIKind.allCases {
            var count = 0
            var first: String.Index?
            var search = text.startIndex..<text.endIndex
            while let found = text.range(of: kind.placeholder, range: search) {
                count += 1
                first = first ?? found.lowerBound
                search = found.upperBound..<text.endIndex
            }
            if let first { counts.append((kind, count, first)) }
        }
        return counts.sorted { $0.first < $1.first }.map { ($0.kind, $0.count) }
    }
}

/// Renders a trace: a header (trace id, start, service, span counts), then the spans as an
/// indented tree — name, role, kind, status, duration, span id — each followed by its attributes
/// and events as `key: value` lines. Nested attribute values are flattened to dotted keys
/// (`llm.input_messages.0.message.content`), the form OpenInference uses on the wire, so nested and
/// flat traces read the same. Every line is redacted with the key beside its value (so
/// `db.password: hunter2` is caught by the key), and the whole text once more after any cut.
public enum TraceRendering {
    /// The document media type of rendered traces.
    public static let mediaType = "text/x-assay-trace"

    /// Attributes left out because the span header already says them or they say nothing about
    /// a failure. Everything else is kept: much of the evidence for failures that raise no error
    /// sits in application attributes (`eval.*`, `guardrail.*`, `memory.*`).
    public static let omittedAttributes: Set<String> = [
        "openinference.span.kind", "gen_ai.operation.name", "input.mime_type", "output.mime_type",
    ]

    public static func render(_ trace: Trace, limits: TraceLimits = TraceLimits(), redactor: Redactor = Redactor()) -> RenderedTrace {
        var out = Output(redactor: redactor)
        out.line("Trace \(trace.traceID)")
        out.line("Started: \(RFC3339.format(trace.timestamp))")
        if let service = trace.service { out.line("Service: \(service)") }
        let errors = trace.spans.filter(\.isError).count
        out.line("Spans: \(trace.spans.count)\(errors > 0 ? " (\(errors) with status ERROR)" : "")")
        if trace.isIncomplete { out.line("Incomplete trace: \(trace.incompleteReasons.joined(separator: "; "))") }

        let tree = SpanTree(trace.spans)
        var visited = Set<Int>()
        // Depth first with a stack of its own, not recursion: parent ids can chain spans as deep as
        // the file is long, which overflowed the thread's stack.
        func walk(_ root: Int, number: String) {
            var pending = [(index: root, number: number, depth: 0)]
            while let (index, number, depth) = pending.popLast() {
                guard visited.insert(index).inserted else { continue }  // parent ids can form cycles
                out.blank()
                renderSpan(trace.spans[index], number: number, depth: depth, into: &out)
                for (i, child) in tree.children[index, default: []].enumerated().reversed() {
                    pending.append((child, childNumber(number, i + 1, depth: depth + 1), depth + 1))
                }
            }
        }
        for (i, root) in tree.roots.enumerated() { walk(root, number: "\(i + 1)") }
        // Spans only reachable through a cycle of parent ids.
        var next = tree.roots.count
        for index in trace.spans.indices where !visited.contains(index) {
            next += 1
            walk(index, number: "\(next)")
        }

        return finish(out.text, trace: trace, limits: limits, redactor: redactor)
    }

    /// Levels of the tree shown by indentation and in span numbers; deeper spans are drawn at this
    /// level with their depth written out. Without a cap the indentation and the numbers grew with
    /// the depth, so a long chain of spans rendered to text of quadratic size.
    public static let shownDepth = 16

    /// `1.2.3` for the third child of span 1.2; past `shownDepth` levels, `1.2…3` and so on, so a
    /// number stays short however deep the span is.
    static func childNumber(_ parent: String, _ position: Int, depth: Int) -> String {
        if depth <= shownDepth { return "\(parent).\(position)" }
        let base = parent.firstIndex(of: "…").map { parent[...$0] } ?? Substring(parent + "…")
        return "\(base)\(position)"
    }

    static func renderSpan(_ span: Span, number: String, depth: Int, into out: inout Output) {
        let pad = String(repeating: "  ", count: min(depth, shownDepth))
        var parts = ["[\(number)] \(span.displayName)"]
        if depth > shownDepth { parts.append("depth \(depth)") }
        if let role = span.role { parts.append(role.rawValue) }
        if let kind = span.kind { parts.append(kind.rawValue) }
        switch span.status {
        case nil: parts.append("no status")
        case let status?:
            let message = status.message.map { ": " + flatten($0) } ?? ""
            parts.append(status.code.rawValue + message)
        }
        if let duration = span.duration { parts.append(seconds(duration)) }
        if !span.spanID.isEmpty { parts.append("span \(span.spanID)") }
        out.line(pad + parts.joined(separator: " · "))

        for (key, value) in span.attributes where !omittedAttributes.contains(key) {
            for (flatKey, text) in flattened(key, value) { out.entry(flatKey, text, indent: pad + "    ") }
        }
        for event in span.events {
            var header = "event \(event.name)"
            if let at = event.timestamp, let start = span.start { header += " at +\(seconds(at.timeIntervalSince(start)))" }
            out.line(pad + "    " + header)
            for (key, value) in event.attributes {
                for (flatKey, text) in flattened(key, value) { out.entry(flatKey, text, indent: pad + "      ") }
            }
        }
    }

    /// Nested objects and arrays as dotted keys with scalar values; arrays of scalars stay one JSON line.
    static func flattened(_ key: String, _ value: JSONValue) -> [(String, String)] {
        switch value {
        case .string(let s): return [(key, s)]
        case .object(let members):
            if members.isEmpty { return [(key, "{}")] }
            return members.flatMap { flattened("\(key).\($0.key)", $0.value) }
        case .array(let items):
            let scalarsOnly = items.allSatisfy { $0.arrayValue == nil && $0.objectValue == nil }
            if scalarsOnly { return [(key, value.serialized())] }
            return items.enumerated().flatMap { flattened("\(key).\($0.offset)", $0.element) }
        default: return [(key, value.serialized())]
        }
    }

    /// Cuts an oversized rendering to its tail, behind a marker line, and redacts the result once
    /// more: a cut can leave a fragment that reads differently without what preceded it.
    static func finish(_ full: String, trace: Trace, limits: TraceLimits, redactor: Redactor) -> RenderedTrace {
        let fullBytes = full.utf8.count
        var text = full
        var notes: [String] = []
        let truncated = fullBytes > limits.maxPayloadBytes
        if truncated {
            let utf8 = full.utf8
            var cut = utf8.index(utf8.endIndex, offsetBy: -limits.keptTailBytes)
            // Forward to the next character boundary, so no character is split.
            while cut < utf8.endIndex, String.Index(cut, within: full) == nil { cut = utf8.index(after: cut) }
            let marker =
                "[truncated: the first \(fullBytes - utf8.distance(from: cut, to: utf8.endIndex)) of \(fullBytes) bytes "
                + "of this trace were dropped; its last \(limits.keptTailText) follow. Trace \(trace.traceID)"
                + (trace.service.map { ", service \(visible(flatten($0)))" } ?? "") + "]"
            text = marker + "\n" + String(full[cut...])
            notes.append("payload truncated to last \(limits.keptTailText)")
        }
        text = stablyRedacted(text, redactor: redactor)
        let counts = RenderedTrace.placeholderCounts(in: text)
        let total = counts.reduce(0) { $0 + $1.count }
        if total > 0 {
            notes.append("\(total) value\(total == 1 ? "" : "s") redacted (\(counts.map(\.kind.rawValue).joined(separator: ", ")))")
        }
        return RenderedTrace(text: text, truncated: truncated, fullBytes: fullBytes, notes: notes)
    }

    /// Redacts until nothing is found; one pass suffices in practice, the loop is the guarantee.
    static func stablyRedacted(_ text: String, redactor: Redactor) -> String {
        var current = text
        for _ in 0..<3 {
            let next = redactor.redact(current)
            if next == current { break }
            current = next
        }
        return current
    }

    static func flatten(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// The text with each NUL character written as `\u0000`: the store would cut the text at a
    /// real one (SQLite takes text as C strings), and the rendering is meant to show everything.
    public static func visible(_ text: String) -> String {
        text.utf8.contains(0) ? text.replacingOccurrences(of: "\u{0}", with: "\\u0000") : text
    }

    static func seconds(_ interval: TimeInterval) -> String { String(format: "%.3f s", interval) }

    /// Lines of the rendering, each redacted as it is written.
    struct Output {
        let redactor: Redactor
        var text = ""

        mutating func line(_ line: String) {
            text += redactor.redact(TraceRendering.visible(line))
            text += "\n"
        }

        mutating func blank() { text += "\n" }

        /// `key: value`, redacted together; a multi-line value continues on indented lines.
        mutating func entry(_ key: String, _ value: String, indent: String) {
            let redacted = redactor.redact(TraceRendering.visible("\(key): \(value)"))
            var first = true
            for piece in redacted.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
                text += first ? indent : indent + "  "
                text += piece
                text += "\n"
                first = false
            }
        }
    }
}
