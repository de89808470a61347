import AssayCore
import Foundation
import Testing

@testable import AssayTraces

@Suite struct TraceJSONTests {
    func decode(_ text: String) throws -> Result<Trace, TraceJSONProblem> { TraceJSON.decode(try JSONValue.parse(text)) }

    @Test func readsTheDocumentedFormat() throws {
        let trace = try TraceFixtures.trace("b28985b0")
        #expect(trace.traceID == "b28985b0dd5c6cf3ab01c7b527f0f05c")
        #expect(trace.timestamp == RFC3339.parse("2026-10-15T11:13:27.760Z"))
        #expect(trace.service == "shopnest-support-bot")
        #expect(trace.spans.count == 5)
        #expect(!trace.isIncomplete)
        let tool = trace.spans[2]
        #expect(tool.name == "lookup_order")
        #expect(tool.parentSpanID == "9c0324347bdb9447")
        #expect(tool.kind == .internal)
        #expect(tool.status == SpanStatus(code: .error, message: "Expecting value: line 1 column 1 (char 0)"))
        #expect(tool.role == .tool)
        #expect(tool.toolName == "lookup_order")
        #expect(
            tool.exceptions == [SpanException(type: "json.decoder.JSONDecodeError", message: "Expecting value: line 1 column 1 (char 0)")])
        #expect(abs((tool.duration ?? 0) - 0.64) < 0.0001)
        // Attributes keep their source order.
        #expect(Array(tool.attributes.keys.prefix(3)) == ["openinference.span.kind", "tool.name", "input.value"])
    }

    @Test func readsBothConventions() throws {
        let genAI = try TraceFixtures.trace("f207924d")
        #expect(genAI.spans.map(\.role) == [.agent, .llm, .tool, nil, .llm])
        #expect(genAI.spans[0].agentName == "devpilot")
        #expect(genAI.spans[1].model == "gpt-4.1")
        #expect(genAI.spans[1].inputTokens == 5120)
        #expect(genAI.spans[1].outputTokens == 77)
        #expect(genAI.spans[2].toolName == "create_pull_request")
        #expect(genAI.spans[3].httpStatusCode == 401)
        #expect(genAI.spans[3].errorType == "401")

        let openInference = try TraceFixtures.trace("d7616f5e")
        let llm = try #require(openInference.spans.first { $0.role == .llm })
        #expect(llm.model == "gpt-4o-mini-2024-07-18")
        #expect(llm.inputTokens == 512)

        // GenAI span names alone are enough.
        let bare = Span(spanID: "x", name: "execute_tool geocode", status: SpanStatus(code: .ok))
        #expect(bare.role == .tool)
        #expect(bare.toolName == "geocode")
    }

    @Test func refusesTracesWithoutIdOrTimestamp() throws {
        #expect(try decode(#"{"timestamp": "2026-11-01T10:00:00Z", "spans": []}"#) == .failure(.noTraceID))
        #expect(try decode(#"{"trace_id": "  ", "timestamp": "2026-11-01T10:00:00Z"}"#) == .failure(.noTraceID))
        #expect(try decode(#"{"trace_id": "abc", "spans": []}"#) == .failure(.noTimestamp(detail: nil)))
        let bad = try decode(#"{"trace_id": "abc", "timestamp": "yesterday"}"#)
        #expect(bad == .failure(.noTimestamp(detail: "'yesterday' is not an RFC 3339 date-time")))
        #expect(TraceJSONProblem.noTraceID.description == "skipped: no trace id")
        #expect(TraceJSONProblem.noTimestamp(detail: nil).description == "skipped: no timestamp")
        #expect(try decode("[1, 2]") == .failure(.notAnObject(found: "an array")))
        let long = String(repeating: "a", count: 257)
        #expect(try decode(#"{"trace_id": "\#(long)", "timestamp": "2026-11-01T10:00:00Z"}"#) == .failure(.traceIDTooLong(length: 257)))
    }

    @Test func incompleteTracesAreReadWithTheirGaps() throws {
        let none = try decode(#"{"trace_id": "abc", "timestamp": "2026-11-01T10:00:00Z", "spans": []}"#).get()
        #expect(none.incompleteReasons == ["no spans"])
        let partial = try decode(
            """
            {"trace_id": "abc", "timestamp": "2026-11-01T10:00:00Z", "spans": [
              {"span_id": "47f2ec84a8c8db7b", "name": "qa.turn"},
              {"span_id": "91afdfb9eb8fd3d5", "status": {"code": "OK"}},
              "not a span"]}
            """
        ).get()
        #expect(partial.spans.count == 2)
        #expect(
            partial.incompleteReasons == [
                "span 1 (47f2ec84a8c8db7b) has no status",
                "span 2 (91afdfb9eb8fd3d5) has no name",
                "span 3 is not a JSON object (skipped)",
            ])
    }

    @Test func acceptsOTLPSpellings() throws {
        let trace = try decode(
            """
            {"traceId": "abc", "timestamp": "2026-11-01T10:00:00+02:00", "spans": [
              {"spanId": "1111111111111111", "parentSpanId": "", "name": "a", "kind": "SPAN_KIND_CLIENT",
               "startTime": "2026-11-01T08:00:00.000000001Z", "status": {"code": "STATUS_CODE_ERROR", "message": "boom"},
               "attributes": [{"key": "http.response.status_code", "value": {"intValue": "503"}},
                              {"key": "error.type", "value": {"stringValue": "503"}}]},
              {"spanId": "2222222222222222", "name": "b", "kind": 3, "status": {"code": 1}},
              {"spanId": "3333333333333333", "name": "c", "status": "unset"}]}
            """
        ).get()
        #expect(trace.timestamp == RFC3339.parse("2026-11-01T08:00:00Z"))
        #expect(trace.spans[0].parentSpanID == nil)
        #expect(trace.spans[0].kind == .client)
        #expect(trace.spans[0].status == SpanStatus(code: .error, message: "boom"))
        #expect(trace.spans[0].httpStatusCode == 503)
        #expect(trace.spans[1].kind == .client)
        #expect(trace.spans[1].status?.code == .ok)
        #expect(trace.spans[2].status?.code == .unset)
        #expect(!trace.isIncomplete)
    }

    @Test func rfc3339IsStrictAndRoundTrips() throws {
        #expect(abs((RFC3339.parse("2026-10-05T14:02:11.204Z")?.timeIntervalSince1970 ?? 0) - 1_791_208_931.204) < 1e-6)
        #expect(RFC3339.parse("1970-01-01T00:00:00Z")?.timeIntervalSince1970 == 0)
        #expect(RFC3339.parse("1970-01-01T01:00:00+01:00")?.timeIntervalSince1970 == 0)
        #expect(RFC3339.parse("2024-02-29T00:00:00Z") != nil)
        for bad in [
            "2026-02-29T00:00:00Z", "2026-10-05 14:02", "2026-10-05T14:02:11", "2026-13-01T00:00:00Z",
            "2026-10-05T14:02:11.Z", "2026-10-05T24:00:00Z", "2026-10-05T14:02:11Zjunk", "",
        ] {
            #expect(RFC3339.parse(bad) == nil, "\(bad)")
        }
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_791_208_931.204)) == "2026-10-05T14:02:11.204Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
    }

    /// The trace id becomes the document's external id, which a NUL would cut: refused with a reason.
    @Test func aTraceIDWithANULIsRefused() throws {
        #expect(try decode(#"{"trace_id": "abc\u0000def", "timestamp": "2026-11-01T10:00:00Z"}"#) == .failure(.nulInTraceID))
        #expect(TraceJSONProblem.nulInTraceID.description == "skipped: the trace id contains a NUL character (\\u0000)")
    }
}
