import AssayCore
import Foundation
import Testing

@testable import AssayTraces

@Suite struct TraceRenderingTests {
    let redactor = Redactor()

    @Test func everyFixtureTraceRendersWithoutFindingsOrPlantedValues() throws {
        let traces = try TraceFixtures.traces()
        let labels = Dictionary(uniqueKeysWithValues: try TraceFixtures.labels().map { ($0.traceID, $0) })
        #expect(traces.count == 36)
        var plantedChecked = 0
        for trace in traces {
            let rendered = TraceRendering.render(trace)
            let findings = redactor.findings(in: rendered.text)
            #expect(findings.isEmpty, "trace \(trace.traceID): \(findings.map { "\($0.kind): \(rendered.text[$0.range])" })")
            #expect(!rendered.truncated)
            #expect(rendered.text.contains(trace.traceID), "the trace id must survive redaction")
            let label = try #require(labels[trace.traceID])
            for planted in label.plantedPII {
                #expect(!rendered.text.contains(planted.value), "trace \(trace.traceID) leaks its \(planted.kind)")
                plantedChecked += 1
            }
        }
        #expect(plantedChecked > 60)
    }

    @Test func spansAppearAsATreeWithStatusDurationAndAttributes() throws {
        let text = TraceRendering.render(try TraceFixtures.trace("f207924d")).text
        #expect(
            text.hasPrefix(
                "Trace f207924da885cff7ea4b466b39542043\nStarted: 2026-10-13T16:44:10.337Z\nService: devpilot-coding-agent\nSpans: 5 (2 with status ERROR)\n"
            ))
        #expect(text.contains("\n[1] invoke_agent devpilot · agent · INTERNAL · OK · 6.100 s · span 946092265ce15d43\n"))
        #expect(
            text.contains(
                "\n  [1.2] execute_tool create_pull_request · tool · INTERNAL · ERROR: GitHub API returned 401 Bad credentials · 0.900 s · span 38254166ef7c8a04\n"
            ))
        // A child of the tool span, one level deeper.
        #expect(text.contains("\n    [1.2.1] POST · CLIENT · ERROR · 0.820 s · span 7f8c376836fd3f6a\n"))
        #expect(text.contains("      http.response.status_code: 401\n"))
        #expect(text.contains("      event exception at +0.880 s\n        exception.type: github.GithubException\n"))
        #expect(text.contains("gen_ai.usage.input_tokens: 5120"))
        // The header names the role; the raw kind attributes are not repeated.
        #expect(!text.contains("gen_ai.operation.name"))
        // The token under an authorization header is gone, the scheme stays.
        #expect(text.contains("http.request.header.authorization: token [REDACTED:"))
    }

    @Test func nestedAndFlattenedMessagesReadTheSame() throws {
        let nested = TraceRendering.render(try TraceFixtures.trace("d7616f5e")).text
        let flat = TraceRendering.render(try TraceFixtures.trace("b28985b0")).text
        #expect(nested.contains("llm.input_messages.0.message.role: system"))
        #expect(flat.contains("llm.input_messages.0.message.role: system"))
    }

    @Test func multiLineValuesContinueOnIndentedLines() {
        let trace = Trace(
            traceID: "t1", timestamp: Date(timeIntervalSince1970: 0),
            spans: [
                Span(
                    spanID: "aaaaaaaaaaaaaaaa", name: "run", status: SpanStatus(code: .ok),
                    attributes: ["output.value": "line one\nline two"])
            ])
        let text = TraceRendering.render(trace).text
        #expect(text.contains("\n[1] run · OK · span aaaaaaaaaaaaaaaa\n    output.value: line one\n      line two\n"))
    }

    @Test func secretsUnderKeyNamesAreRedactedWithTheirKey() {
        let trace = Trace(
            traceID: "t2", timestamp: Date(timeIntervalSince1970: 0),
            spans: [
                Span(
                    spanID: "aaaaaaaaaaaaaaaa", name: "connect",
                    status: SpanStatus(code: .error, message: "login for ana@example.com failed"),
                    attributes: ["db.password": "hunter2", "note": "call +1 415 555 0100"])
            ])
        let text = TraceRendering.render(trace).text
        #expect(!text.contains("hunter2"))
        #expect(!text.contains("ana@example.com"))
        #expect(!text.contains("555 0100"))
        #expect(text.contains("ERROR: login for [REDACTED:email] failed"))
        #expect(redactor.findings(in: text).isEmpty)
    }

    @Test func incompleteTracesSayWhatIsMissing() {
        let trace = Trace(
            traceID: "t3", timestamp: Date(timeIntervalSince1970: 0),
            spans: [
                Span(spanID: "aaaaaaaaaaaaaaaa", name: nil, status: nil)
            ])
        let text = TraceRendering.render(trace).text
        #expect(text.contains("Incomplete trace: span 1 (aaaaaaaaaaaaaaaa) has no name, no status\n"))
        #expect(text.contains("[1] (unnamed span) · no status · span aaaaaaaaaaaaaaaa"))
    }

    @Test func parentCyclesAndMissingParentsStillRenderEverySpanOnce() {
        let trace = Trace(
            traceID: "t4", timestamp: Date(timeIntervalSince1970: 0),
            spans: [
                Span(spanID: "a", parentSpanID: "b", name: "first", status: SpanStatus(code: .ok)),
                Span(spanID: "b", parentSpanID: "a", name: "second", status: SpanStatus(code: .ok)),
                Span(spanID: "c", parentSpanID: "gone", name: "orphan", status: SpanStatus(code: .ok)),
            ])
        let text = TraceRendering.render(trace).text
        for name in ["first", "second", "orphan"] {
            #expect(text.components(separatedBy: "] \(name) ·").count == 2, "\(name) once")
        }
    }

    /// A NUL in a trace's text (a tool's binary output, say) used to reach the store, which cuts text
    /// at a NUL; the rendering shows it as `\u0000` and keeps everything after it.
    @Test func aNULIsShownAndNothingAfterItIsLost() throws {
        let trace = try TraceJSON.decode(
            JSONValue.parse(
                #"""
                {"trace_id": "t1", "timestamp": "2026-11-01T10:00:00Z", "service": "svc\u0000x", "spans": [
                  {"span_id": "s1", "name": "execute_tool read", "status": {"code": "ERROR", "message": "bad\u0000byte"},
                   "attributes": {"tool.output": "before\u0000after"}}]}
                """#)
        ).get()
        let prepared = PreparedTrace(trace)
        #expect(!prepared.text.utf8.contains(0))
        #expect(prepared.text.contains(#"tool.output: before\u0000after"#), "\(prepared.text)")
        #expect(prepared.text.contains(#"ERROR: bad\u0000byte"#))
        #expect(prepared.text.contains(#"Service: svc\u0000x"#))
        let document = prepared.documentInput
        let title = try #require(document.title)
        #expect(!title.utf8.contains(0) && title.contains(#"svc\u0000x"#), "\(title)")
    }

    /// Spans chained by parent ids, 20,000 deep: the recursive walk overflowed its thread's stack,
    /// and indentation and span numbers grew with the depth, so the text grew with its square
    /// (about 800 MB here). Now deep spans are drawn at a capped depth, with the depth written out.
    @Test func aDeepChainOfSpansRendersInLinearSize() throws {
        let count = 20_000
        let spans = (0..<count).map { i in
            Span(spanID: "s\(i)", parentSpanID: i == 0 ? nil : "s\(i - 1)", name: "step", status: SpanStatus(code: .ok))
        }
        let trace = Trace(traceID: "deep", timestamp: Date(timeIntervalSince1970: 0), spans: spans)
        let rendered = TraceRendering.render(trace)
        #expect(rendered.fullBytes < count * 120, "\(rendered.fullBytes) bytes")
        #expect(rendered.truncated)
        // The last span, at its depth, with a short number.
        let last = try #require(rendered.text.split(separator: "\n").last { $0.contains("span s\(count - 1)") })
        #expect(last.hasPrefix(String(repeating: "  ", count: TraceRendering.shownDepth) + "["), "\(last)")
        #expect(last.contains("depth \(count - 1)"), "\(last)")
        #expect(last.count < 120, "\(last)")
        // Shallow spans keep their tree numbers.
        let full = TraceRendering.render(Trace(traceID: "short", timestamp: Date(timeIntervalSince1970: 0), spans: Array(spans.prefix(3))))
        #expect(full.text.contains("\n    [1.1.1] step · OK · span s2\n"), "\(full.text)")
    }
}
