import AssayCore
import Foundation

/// Reads the deterministic evidence in a trace — the facts a reviewer checks first, whatever the
/// model concludes: error statuses, exceptions, HTTP errors, `error.type`, limits reached, prompts
/// near the context window, repeated tool calls, guardrail and evaluator verdicts, feedback and
/// log events. Strongest first, at most 20 (the schema's limit), never empty: a trace that shows
/// nothing gives its root span's name and status.
public enum TraceSignals {
    /// The schema's `evidence.signals` limit.
    public static let maxSignals = 20
    /// The schema's limit on a signal's name and text value.
    public static let maxTextLength = 200

    public static func collect(
        from trace: Trace, limits: TraceLimits = TraceLimits(),
        redactor: Redactor = Redactor()
    ) -> [Signal] {
        var found = Collector(redactor: redactor)
        let spans = trace.spans
        // The window stated on a span, else anywhere in the trace (`llm.context_window`); the fallback
        // is looked up once: per span, a trace without any window scanned every span for each LLM span.
        let traceWindow = spans.lazy.compactMap { $0.integer("llm.context_window") }.first

        // Errors first: they name most failures outright.
        for span in spans {
            if let status = span.status, status.code == .error {
                found.add(.status, span.displayName, text: "ERROR" + (status.message.map { ": \($0)" } ?? ""), span)
            }
            for exception in span.exceptions {
                let text = [exception.type, exception.message].compactMap { $0 }.joined(separator: ": ")
                found.add(.event, "exception", text: text, span)
            }
        }
        for span in spans {
            if let code = span.httpStatusCode, code >= 400 {
                let key = span.attributes["http.response.status_code"] != nil ? "http.response.status_code" : "http.status_code"
                found.add(.attribute, key, value: .number(Double(code)), span)
            }
            if let type = span.errorType { found.add(.attribute, "error.type", text: type, span) }
        }
        // Limits, repetition and size: failures that stop a run without an error.
        for span in spans {
            for (count, limit) in [
                ("agent.iterations", "agent.max_iterations"), ("agent.steps", "agent.max_steps"),
                ("workflow.rounds", "workflow.max_rounds"),
            ] {
                if let n = span.integer(count), let max = span.integer(limit), n >= max {
                    found.add(.attribute, count, text: "\(n) of \(max) (limit reached)", span)
                }
            }
            if let n = span.integer("memory.dropped_messages"), n > 0 {
                found.add(.attribute, "memory.dropped_messages", value: .number(Double(n)), span)
            }
            if let tokens = span.inputTokens {
                let key = span.attributes["llm.token_count.prompt"] != nil ? "llm.token_count.prompt" : "gen_ai.usage.input_tokens"
                if let window = span.integer("llm.context_window") ?? traceWindow,
                    Double(tokens) >= Double(window) * limits.contextWindowShare
                {
                    found.add(.attribute, key, text: "\(tokens) tokens (context window \(window))", span)
                } else if tokens >= limits.largePromptTokens {
                    found.add(.attribute, key, text: "\(tokens) tokens (large prompt)", span)
                }
            }
            for reason in unusualFinishReasons(span) { found.add(.attribute, "finish_reason", text: reason, span) }
        }
        // Retries: the highest resend count says how often a request was repeated.
        if let retried = spans.max(by: { ($0.integer("http.request.resend_count") ?? 0) < ($1.integer("http.request.resend_count") ?? 0) }),
            let n = retried.integer("http.request.resend_count"), n > 0
        {
            found.add(.attribute, "http.request.resend_count", value: .number(Double(n)), retried)
        }
        for (tool, calls) in repeatedTools(spans, atLeast: limits.repeatedCalls) {
            found.add(.spanName, tool, text: "\(calls.count) calls", calls.first)
        }
        // Verdicts of guardrails, evaluators and retrieval that explain failures with an OK status.
        for span in spans {
            if let decision = span.text("guardrail.decision"), ["block", "blocked", "deny", "denied"].contains(decision.lowercased()) {
                found.add(.attribute, "guardrail.decision", text: decision, span)
            }
            if let label = span.text("eval.label") { found.add(.attribute, "eval.label", text: label, span) }
            if case .number(let score)? = span.attributes["eval.score"] { found.add(.attribute, "eval.score", value: .number(score), span) }
            if span.attributes["retrieval.acl_filter_applied"] == .bool(false) {
                found.add(.attribute, "retrieval.acl_filter_applied", value: .bool(false), span)
            }
            if span.role == .retriever, span.attributes["retrieval.documents"]?.arrayValue?.isEmpty == true {
                found.add(.attribute, "retrieval.documents", text: "0 documents", span)
            }
        }
        for span in spans {
            for event in span.events where event.name != "exception" {
                if event.name == "log" || event.name.hasPrefix("log.") {
                    let source = event.attributes["log.severity"]?.stringValue ?? event.name
                    found.add(.log, source, text: summary(of: event.attributes, preferring: "log.message"), span)
                } else {
                    found.add(.event, event.name, text: summary(of: event.attributes, preferring: nil), span)
                }
            }
        }

        if found.isEmpty, let root = trace.rootSpans.first {
            found.add(.status, root.displayName, text: root.status.map(\.code.rawValue) ?? "no status", root)
        }
        if found.isEmpty {
            found.add(.spanName, "(no spans)", text: "the trace has no spans", nil)
        }
        return Array(found.signals.prefix(maxSignals))
    }

    /// Finish reasons other than a normal stop or a tool call: `length`, `content_filter`, ...
    static func unusualFinishReasons(_ span: Span) -> [String] {
        let normal: Set<String> = ["stop", "tool_calls", "tool_call", "end_turn", "tool_use", "function_call"]
        var reasons: [String] = []
        for (key, value) in span.attributes where key.hasSuffix("finish_reasons") || key.hasSuffix("finish_reason") {
            let items = value.arrayValue?.compactMap(\.stringValue) ?? value.stringValue.map { [$0] } ?? []
            reasons += items.filter { !normal.contains($0.lowercased()) }
        }
        return reasons
    }

    /// Tools called at least `count` times, in order of first call.
    static func repeatedTools(_ spans: [Span], atLeast count: Int) -> [(String, [Span])] {
        var calls: OrderedDictionary<String, [Span]> = [:]
        for span in spans where span.role == .tool {
            if let tool = span.toolName ?? span.name { calls[tool, default: []].append(span) }
        }
        return calls.filter { $0.value.count >= count }.map { ($0.key, $0.value) }
    }

    /// An event's key field, or its attributes as `key=value; ...`.
    static func summary(of attributes: OrderedDictionary<String, JSONValue>, preferring key: String?) -> String {
        if let key, let text = attributes[key]?.displayText, !text.isEmpty { return text }
        if attributes.isEmpty { return "(no attributes)" }
        return attributes.map { "\($0.key)=\($0.value.displayText)" }.joined(separator: "; ")
    }

    /// Builds the list: redacts and caps every text, and folds a signal seen on several spans
    /// into one that names the first span and says how many ("ERROR: Overloaded (3 spans)").
    struct Collector {
        let redactor: Redactor
        private var entries: [(signal: Signal, text: String?, count: Int)] = []

        init(redactor: Redactor) { self.redactor = redactor }

        var signals: [Signal] {
            entries.map { entry in
                guard entry.count > 1 else { return entry.signal }
                var signal = entry.signal
                let suffix = " (\(entry.count) spans)"
                let text = entry.text ?? signal.value.displayText
                signal.value = .string(redactor.excerpt(text, limit: maxTextLength - suffix.count) + suffix)
                return signal
            }
        }

        var isEmpty: Bool { entries.isEmpty }

        mutating func add(_ kind: Signal.Kind, _ name: String, text: String, _ span: Span?) {
            let value = redactor.excerpt(text.isEmpty ? "(empty)" : text, limit: maxTextLength)
            add(kind, name, value: .string(value), span, text: text.isEmpty ? "(empty)" : text)
        }

        mutating func add(_ kind: Signal.Kind, _ name: String, value: JSONValue, _ span: Span?, text: String? = nil) {
            var shortName = redactor.excerpt(name, limit: maxTextLength)
            if shortName.isEmpty { shortName = "(unnamed)" }
            let signal = Signal(kind: kind, name: shortName, value: value, spanID: span.flatMap { spanID($0.spanID) })
            if let i = entries.firstIndex(where: { $0.signal.kind == kind && $0.signal.name == shortName && $0.signal.value == value }) {
                if entries[i].signal.spanID != signal.spanID { entries[i].count += 1 }
            } else {
                entries.append((signal, text, 1))
            }
        }

        /// The id when it is the schema's 16 lowercase hex characters (after lowercasing).
        func spanID(_ id: String) -> String? {
            let lower = id.lowercased()
            guard lower.utf8.count == 16, lower.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
            else { return nil }
            return lower
        }
    }
}
