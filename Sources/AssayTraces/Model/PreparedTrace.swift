import AssayCore
import Foundation

/// A trace made ready to store as a document: its redacted rendering, its signals and its
/// processing notes. Only this is kept — never the raw trace — so no raw secret is stored; the
/// signals and notes travel in the document's metadata until the pattern is assembled.
///
/// ```swift
/// // assay traces add
/// let prepared = PreparedTrace(trace)
/// store.upsertDocument(prepared.documentInput)
/// // after the template ran on the document
/// let prepared = PreparedTrace(document: document)!
/// let pattern = try FailurePattern.assemble(from: extractions, for: prepared)
/// ```
public struct PreparedTrace: Sendable, Hashable {
    public var traceID: String
    public var service: String?
    public var startedAt: Date
    /// The text the model reads and the document stores.
    public var text: String
    public var truncated: Bool
    /// At least one.
    public var signals: [Signal]
    /// Why the trace is incomplete; empty when it is not.
    public var incompleteReasons: [String]
    /// Notes of the rendering: truncation, redaction count.
    public var renderingNotes: [String]

    public init(
        traceID: String, service: String?, startedAt: Date, text: String, truncated: Bool,
        signals: [Signal], incompleteReasons: [String], renderingNotes: [String]
    ) {
        self.traceID = traceID
        self.service = service
        self.startedAt = startedAt
        self.text = text
        self.truncated = truncated
        self.signals = signals
        self.incompleteReasons = incompleteReasons
        self.renderingNotes = renderingNotes
    }

    /// Renders `trace` and reads its signals, both redacted with `redactor`.
    public init(_ trace: Trace, limits: TraceLimits = TraceLimits(), redactor: Redactor = Redactor()) {
        let rendered = TraceRendering.render(trace, limits: limits, redactor: redactor)
        // The service goes into the document's title, a text column: a NUL in it is shown, not left to cut it.
        self.init(
            traceID: trace.traceID, service: trace.service.map { redactor.redact(TraceRendering.visible($0)) },
            startedAt: trace.timestamp,
            text: rendered.text, truncated: rendered.truncated,
            signals: TraceSignals.collect(from: trace, limits: limits, redactor: redactor),
            incompleteReasons: trace.incompleteReasons.map(redactor.redact), renderingNotes: rendered.notes)
    }

    public var isIncomplete: Bool { !incompleteReasons.isEmpty }

    /// The notes a pattern of this trace carries: rendering notes, then one for incompleteness.
    public var notes: [String] {
        var notes = renderingNotes
        if isIncomplete {
            notes.append("trace incomplete, confidence lowered: " + incompleteReasons.joined(separator: "; "))
        }
        return notes
    }

    /// The document to store: external id = trace id, text = the redacted rendering.
    public var documentInput: DocumentInput {
        let shortID = traceID.count > 12 ? String(traceID.prefix(12)) + "…" : traceID
        return DocumentInput(
            externalID: traceID, title: [service, "trace \(shortID)"].compactMap { $0 }.joined(separator: " · "),
            mediaType: TraceRendering.mediaType, text: text, metadata: metadata)
    }

    /// Everything but the text, as stored in the document's metadata under `trace`.
    public var metadata: JSONValue {
        var trace: OrderedDictionary<String, JSONValue> = [:]
        if let service { trace["service"] = .string(service) }
        trace["started_at"] = .string(RFC3339.format(startedAt))
        trace["truncated"] = .bool(truncated)
        trace["signals"] = .array(signals.map(\.json))
        trace["incomplete"] = .array(incompleteReasons.map(JSONValue.string))
        trace["notes"] = .array(renderingNotes.map(JSONValue.string))
        return ["trace": .object(trace)]
    }

    /// Restores a prepared trace from its stored document; nil when the document was not made
    /// from a trace (no `trace` metadata).
    public init?(document: Document) {
        guard let trace = document.metadata["trace"], case .object = trace,
            let startedAt = trace["started_at"]?.stringValue.flatMap(RFC3339.parse)
        else { return nil }
        func texts(_ key: String) -> [String] { trace[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        self.init(
            traceID: document.externalID, service: trace["service"]?.stringValue, startedAt: startedAt,
            text: document.text, truncated: trace["truncated"]?.boolValue ?? false,
            signals: (trace["signals"]?.arrayValue ?? []).compactMap(Signal.init(json:)),
            incompleteReasons: texts("incomplete"), renderingNotes: texts("notes"))
    }
}
