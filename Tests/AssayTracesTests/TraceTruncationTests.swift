import AssayCore
import Foundation
import Testing

@testable import AssayTraces

/// The payload rule with a trace shaped like examples/traces/large/make-large.py's: a tool
/// output of about 1 MB with markers by distance from its end, and planted values at both ends.
@Suite struct TraceTruncationTests {
    static let headEmail = "oncall.head@example.com"
    static let headToken = "hd7Qm2Vx9LpA4sRt6YwZ1cE8uJ3nK5bF0gH"
    static let tailEmail = "oncall.tail@example.com"
    static let tailToken = "tl3Xn8Bq1WvM6cZr4Ks9Pd2Fy7Gh5Jt0aLe"

    /// A log of `size` bytes: HEAD-MARKER first, DROP-MARKER 150,000 bytes and KEEP-MARKER 50,000
    /// bytes before the end, TAIL-MARKER in the last line.
    static func log(size: Int) -> String {
        let head = "HEAD-MARKER first line of worker.log; on-call \(headEmail), Authorization: Bearer \(headToken)"
        let tail = """
            2026-11-14T03:59:58.901Z WARN notifier paging \(tailEmail) (Authorization: Bearer \(tailToken))
            2026-11-14T03:59:59.377Z FATAL worker-7 java.lang.OutOfMemoryError: Java heap space TAIL-MARKER
            """
        var lines = [head]
        var length = head.utf8.count
        var pending = [(150_000, "DROP-MARKER 150000 bytes before the end"), (50_000, "KEEP-MARKER 50000 bytes before the end")]
        var n = 0
        let bodyEnd = size - tail.utf8.count - 1
        while length < bodyEnd {
            var line: String
            if let next = pending.first, size - length <= next.0 {
                line = next.1
                pending.removeFirst()
            } else {
                n += 1
                line =
                    "2026-11-13T01:02:03.\(String(format: "%03d", n % 1000))Z DEBUG worker-\(n % 8) processed item \(100_000 + n) in \(n % 900) ms"
            }
            line = String(line.prefix(max(1, bodyEnd - length - 1)))
            lines.append(line)
            length += line.utf8.count + 1
        }
        lines.append(tail)
        return lines.joined(separator: "\n")
    }

    static func largeTrace(size: Int = 1_000_000) -> Trace {
        let t0 = RFC3339.parse("2026-11-14T07:12:00Z")!
        return Trace(
            traceID: "5a1e0b7c9d2f4e6a8b0c1d2e3f4a5b6c", timestamp: t0, service: "opsbot-log-analyst",
            spans: [
                Span(
                    spanID: "a1b2c3d4e5f60718", name: "OpsBot.run", kind: .server, start: t0, end: t0 + 9.4,
                    status: SpanStatus(code: .error, message: "LLM request rejected"),
                    attributes: ["openinference.span.kind": "AGENT", "input.value": "Why did the payment batch job crash?"]),
                Span(
                    spanID: "b2c3d4e5f6071829", parentSpanID: "a1b2c3d4e5f60718", name: "read_log", kind: .internal,
                    start: t0 + 1, end: t0 + 3.2, status: SpanStatus(code: .ok),
                    attributes: ["openinference.span.kind": "TOOL", "tool.name": "read_log", "output.value": .string(log(size: size))]),
                Span(
                    spanID: "c3d4e5f60718293a", parentSpanID: "a1b2c3d4e5f60718", name: "ChatCompletion", kind: .client,
                    start: t0 + 3.3, end: t0 + 9.3,
                    status: SpanStatus(code: .error, message: "This model's maximum context length is 128000 tokens."),
                    attributes: [
                        "openinference.span.kind": "LLM", "llm.token_count.prompt": 251904,
                        "http.response.status_code": 400, "error.type": "context_length_exceeded",
                    ]),
            ])
    }

    @Test func theLogBuilderPlacesItsMarkersByDistanceFromTheEnd() throws {
        let log = Self.log(size: 1_000_000)
        #expect(log.utf8.count == 1_000_000)
        let drop = try #require(log.range(of: "DROP-MARKER"))
        let keep = try #require(log.range(of: "KEEP-MARKER"))
        #expect((149_000...150_000).contains(log.utf8.distance(from: drop.lowerBound, to: log.endIndex)))
        #expect((49_000...50_000).contains(log.utf8.distance(from: keep.lowerBound, to: log.endIndex)))
    }

    @Test func anOversizedRenderingKeepsItsLast100KBBehindAMarker() {
        let rendered = TraceRendering.render(Self.largeTrace())
        #expect(rendered.truncated)
        #expect(rendered.fullBytes > 1_000_000)
        #expect(rendered.notes.first == "payload truncated to last 100 KB")
        let firstLine = rendered.text.prefix { $0 != "\n" }
        #expect(firstLine.hasPrefix("[truncated: the first "))
        #expect(firstLine.contains("its last 100 KB follow. Trace 5a1e0b7c9d2f4e6a8b0c1d2e3f4a5b6c, service opsbot-log-analyst]"))
        // The kept tail is 100 KB, plus the marker line; placeholders may lengthen it a little.
        let body = rendered.text.dropFirst(firstLine.count + 1)
        #expect(abs(body.utf8.count - 100 * 1024) < 200)

        #expect(!rendered.text.contains("HEAD-MARKER"))
        #expect(!rendered.text.contains("DROP-MARKER"))
        #expect(rendered.text.contains("KEEP-MARKER"))
        #expect(rendered.text.contains("TAIL-MARKER"))
        #expect(rendered.text.contains("error.type: context_length_exceeded"), "the span after the log survives")
        for planted in [Self.headEmail, Self.headToken, Self.tailEmail, Self.tailToken] {
            #expect(!rendered.text.contains(planted))
        }
        #expect(Redactor().findings(in: rendered.text).isEmpty)
    }

    @Test func limitsAreConfigurable() {
        let limits = TraceLimits(maxPayloadBytes: 300_000, keptTailBytes: 40 * 1024)
        let rendered = TraceRendering.render(Self.largeTrace(size: 400_000), limits: limits)
        #expect(rendered.truncated)
        #expect(rendered.notes.first == "payload truncated to last 40 KB")
        #expect(!rendered.text.contains("KEEP-MARKER"))  // 50,000 bytes from the end: outside 40 KB
        #expect(rendered.text.contains("TAIL-MARKER"))

        let small = TraceRendering.render(Self.largeTrace(size: 220_000), limits: TraceLimits(maxPayloadBytes: 1_000_000))
        #expect(!small.truncated)
        #expect(small.text.contains("HEAD-MARKER"))
    }

    @Test func theCutNeverSplitsACharacter() {
        // Every character is 4 UTF-8 bytes; a cut at 10 bytes from the end is mid-character.
        let emoji = String(repeating: "🙂", count: 100)
        let trace = Trace(
            traceID: "t", timestamp: Date(timeIntervalSince1970: 0),
            spans: [
                Span(spanID: "aaaaaaaaaaaaaaaa", name: "x", status: SpanStatus(code: .ok), attributes: ["output.value": .string(emoji)])
            ])
        let rendered = TraceRendering.render(trace, limits: TraceLimits(maxPayloadBytes: 100, keptTailBytes: 10))
        #expect(rendered.truncated)
        let body = rendered.text.split(separator: "\n", maxSplits: 1).last.map(String.init) ?? ""
        #expect(body == "🙂🙂\n")
    }
}
