import AssayCore
import Foundation

/// One failure trace of an LLM application or agent: the spans of one request or run, as read
/// from OpenTelemetry-shaped JSON (`TraceJSON`). Both OpenInference and OpenTelemetry GenAI
/// attributes are kept as given; `Span+Conventions` reads them.
public struct Trace: Sendable, Hashable {
    /// The id exactly as the source gave it; the idempotency key of the trace's document and pattern.
    public var traceID: String
    /// When the trace started (RFC 3339 in the source).
    public var timestamp: Date
    public var service: String?
    /// In source order; `rootSpans` and `children(of:)` give the tree.
    public var spans: [Span]
    /// Why the trace is structurally incomplete ("no spans", "span 2 has no name"); empty when it
    /// is complete. An incomplete trace is still analysed, with lowered confidence.
    public var incompleteReasons: [String]

    public init(
        traceID: String, timestamp: Date, service: String? = nil, spans: [Span],
        incompleteReasons: [String]? = nil
    ) {
        self.traceID = traceID
        self.timestamp = timestamp
        self.service = service
        self.spans = spans
        self.incompleteReasons = incompleteReasons ?? Self.structuralGaps(of: spans)
    }

    public var isIncomplete: Bool { !incompleteReasons.isEmpty }

    /// What a trace needs to be analysed well and these spans lack: at least one span, and an id,
    /// a name and a status on every span. Spans are numbered from 1 in source order.
    public static func structuralGaps(of spans: [Span]) -> [String] {
        if spans.isEmpty { return ["no spans"] }
        var gaps: [String] = []
        for (i, span) in spans.enumerated() {
            var missing: [String] = []
            if span.spanID.isEmpty { missing.append("no span_id") }
            if span.name == nil { missing.append("no name") }
            if span.status == nil { missing.append("no status") }
            if !missing.isEmpty {
                let which = span.spanID.isEmpty ? "span \(i + 1)" : "span \(i + 1) (\(span.spanID))"
                gaps.append("\(which) has \(missing.joined(separator: ", "))")
            }
        }
        return gaps
    }

    /// Spans without a parent in this trace, in start order. A span whose parent is missing counts
    /// as a root, so a partly exported trace still shows every span.
    public var rootSpans: [Span] { SpanTree(spans).roots.map { spans[$0] } }
}

/// Spans by position: roots and children in start order. A span whose parent is not in the
/// trace is a root, so a partly exported trace still shows every span.
struct SpanTree {
    var roots: [Int] = []
    var children: [Int: [Int]] = [:]

    init(_ spans: [Span]) {
        var firstIndex: [String: Int] = [:]
        for (i, span) in spans.enumerated() where !span.spanID.isEmpty && firstIndex[span.spanID] == nil {
            firstIndex[span.spanID] = i
        }
        for (i, span) in spans.enumerated() {
            if let parent = span.parentSpanID, let p = firstIndex[parent], p != i {
                children[p, default: []].append(i)
            } else {
                roots.append(i)
            }
        }
        func startOrder(_ list: [Int]) -> [Int] {
            list.sorted {
                let x = spans[$0].start ?? .distantFuture
                let y = spans[$1].start ?? .distantFuture
                return x != y ? x < y : $0 < $1
            }
        }
        roots = startOrder(roots)
        children = children.mapValues(startOrder)
    }
}
