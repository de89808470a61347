import AssayCore
import Foundation
import Testing

@testable import AssayTraces

@Suite struct TraceSignalsTests {
    @Test func errorsComeFirstWithTheirSpans() throws {
        let signals = TraceSignals.collect(from: try TraceFixtures.trace("f207924d"))
        #expect(
            Array(signals.map { $0.json.serialized() }.prefix(4)) == [
                #"{"kind":"status","name":"execute_tool create_pull_request","value":"ERROR: GitHub API returned 401 Bad credentials","span_id":"38254166ef7c8a04"}"#,
                #"{"kind":"event","name":"exception","value":"github.GithubException: 401 {\"message\": \"Bad credentials\", \"documentation_url\": \"https://docs.github.com/rest\", \"status\": \"401\"}","span_id":"38254166ef7c8a04"}"#,
                #"{"kind":"status","name":"POST","value":"ERROR","span_id":"7f8c376836fd3f6a"}"#,
                #"{"kind":"attribute","name":"error.type","value":"GithubException","span_id":"38254166ef7c8a04"}"#,
            ])
        #expect(signals.contains(Signal(kind: .attribute, name: "http.response.status_code", value: 401, spanID: "7f8c376836fd3f6a")))
    }

    @Test func limitsReachedAndRepeatedToolsAreSignals() throws {
        let signals = TraceSignals.collect(from: try TraceFixtures.trace("7ce73299"))
        #expect(
            signals.contains(
                Signal(kind: .attribute, name: "agent.iterations", value: "15 of 15 (limit reached)", spanID: "625c28fcfe3cbf3a")))
        #expect(signals.contains { $0.kind == .spanName && $0.name == "web_search" && $0.value == "15 calls" })
    }

    @Test func promptsNearTheWindowAndDroppedMemoryAreSignals() throws {
        let signals = TraceSignals.collect(from: try TraceFixtures.trace("0e2b889a"))
        #expect(signals.contains { $0.name == "llm.token_count.prompt" && $0.value == "31870 tokens (context window 32768)" })
        #expect(signals.contains { $0.name == "memory.dropped_messages" && $0.value == 14 })
        #expect(signals.contains { $0.kind == .event && $0.name == "context.truncated" })
    }

    @Test func theSameSignalOnSeveralSpansIsFoldedIntoOne() throws {
        let signals = TraceSignals.collect(from: try TraceFixtures.trace("72dda8cb"))
        let overloaded = signals.filter { $0.kind == .status && $0.name == "Anthropic.messages.create" }
        #expect(
            overloaded == [
                Signal(
                    kind: .status, name: "Anthropic.messages.create", value: "ERROR: Overloaded (3 spans)",
                    spanID: "9ef98836e8f28280")
            ])
        #expect(signals.contains { $0.name == "http.response.status_code" && $0.value == "529 (3 spans)" })
        #expect(signals.filter { $0.name == "http.request.resend_count" }.map(\.value) == [2])
    }

    @Test func feedbackAndEvaluatorVerdictsExplainFailuresWithoutErrors() throws {
        let feedback = TraceSignals.collect(from: try TraceFixtures.trace("cde2803a"))
        #expect(feedback.map(\.kind) == [.event])
        #expect(feedback.first?.name == "user_feedback")
        let evaluated = TraceSignals.collect(from: try TraceFixtures.trace("d7616f5e"))
        #expect(evaluated.contains(Signal(kind: .attribute, name: "eval.label", value: "ungrounded", spanID: "52faf7e5d89779c9")))
    }

    @Test func aTraceThatShowsNothingGivesItsRootSpan() throws {
        let signals = TraceSignals.collect(from: try TraceFixtures.trace("7bf5e080"))
        #expect(signals == [Signal(kind: .status, name: "chat.turn", value: "OK", spanID: "f1e30e5eb58aadf7")])
        let empty = Trace(traceID: "t", timestamp: Date(timeIntervalSince1970: 0), spans: [])
        #expect(TraceSignals.collect(from: empty) == [Signal(kind: .spanName, name: "(no spans)", value: "the trace has no spans")])
    }

    @Test func everyFixtureHasSignalsThatFitTheSchema() throws {
        for trace in try TraceFixtures.traces() {
            let signals = TraceSignals.collect(from: trace)
            #expect((1...20).contains(signals.count))
            let item = FailurePatternSchema.schema["properties"]?["evidence"]?["properties"]?["signals"]?["items"] ?? .null
            for signal in signals {
                #expect(SchemaValidator.violations(of: signal.json, against: item).isEmpty, "\(signal)")
                #expect(Redactor().findings(in: signal.value.displayText).isEmpty)
            }
        }
    }

    @Test func valuesAreRedactedCappedAndListsLimited() {
        let message = "login for ana@example.com failed: " + String(repeating: "x", count: 400)
        var spans = [Span(spanID: "ABCDEF0123456789", name: "login", status: SpanStatus(code: .error, message: message))]
        for i in 0..<30 {
            spans.append(Span(spanID: "s\(i)", name: "step \(i)", status: SpanStatus(code: .error, message: "failed \(i)")))
        }
        let signals = TraceSignals.collect(from: Trace(traceID: "t", timestamp: Date(timeIntervalSince1970: 0), spans: spans))
        #expect(signals.count == 20)
        let first = signals[0]
        #expect(first.spanID == "abcdef0123456789", "upper-case hex ids are lowercased")
        #expect(first.value.stringValue?.hasPrefix("ERROR: login for [REDACTED:email] failed: xxx") == true)
        #expect(first.value.stringValue?.count == 200)
        #expect(signals[1].spanID == nil, "ids that are not 16 hex characters are left out")
    }

    @Test func signalsSurviveTheTripThroughMetadata() {
        let signal = Signal(kind: .attribute, name: "eval.score", value: 0.12, spanID: "52faf7e5d89779c9")
        #expect(Signal(json: signal.json) == signal)
        #expect(Signal(json: ["kind": "status", "name": "x", "value": ["not", "scalar"]]) == nil)
    }
}
