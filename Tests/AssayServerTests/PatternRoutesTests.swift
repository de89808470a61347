import AssayCore
import AssayEngine
import AssayIngest
import AssayProviders
import AssayStore
import AssayTraces
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AssayServer

@Suite("Failure patterns over HTTP")
struct PatternRoutesTests {
    static func trace(_ id: String) -> String {
        #"{"trace_id":"\#(id)","timestamp":"2026-11-01T10:00:00Z","service":"support-bot","spans":[{"span_id":"a1b2c3d4e5f60718","name":"execute_tool lookup_order","start_time":"2026-11-01T10:00:00Z","end_time":"2026-11-01T10:00:01Z","status":{"code":"ERROR","message":"tool returned 500"},"attributes":{"tool.name":"lookup_order"}}]}"#
    }

    /// A model that fills the failure-pattern template with a tool error.
    static let model = ScriptedProvider(
        steps: [],
        then: .respond { _ in
            func v(_ value: JSONValue, _ evidence: String = "") -> JSONValue {
                ["evidence": .string(evidence), "rationale": "from the trace", "value": value, "confidence": 0.9]
            }
            let reply: JSONValue = [
                "summary": v("The order lookup tool failed with a 500."),
                "failure_type": v("tool_error", "execute_tool lookup_order"),
                "trigger_condition": v("upstream_api_error"),
                "root_cause_hypothesis": v("The order service was down."),
                "severity": v("high"),
                "recommended_actions": v(["Retry the tool call with backoff"]),
                "reproduction_context": v("Ask for an order status."),
                "title": v("Order lookup tool returns 500"),
            ]
            return reply.serialized()
        })

    @Test func runOnceThenRunsAndPatternsWithFilters() async throws {
        var service = try TestService(provider: Self.model)
        service.config.patternAccess = PatternAccess(emails: ["oncall@example.org"])
        let traces = TraceRunner(store: service.store)
        let lines = [Self.trace("aaaa0001"), Self.trace("aaaa0002")].joined(separator: "\n")
        _ = try await traces.add(TraceReader.read(Data(lines.utf8), source: "t.jsonl"))
        try await service.test { api in
            let oncall = try await api.register("oncall@example.org")
            // The batch is a job of its own: answered at once, run in the background, followed like any job.
            let once = try await api.call(.post, "/extraction/run-once", token: oncall.access)
            #expect(once.status == .accepted, "\(String(buffer: once.body))")
            let jobID = Int64(try #require(try once.json()["job"]?["id"]?.doubleValue))
            #expect(try once.json()["job"]?["total"]?.doubleValue == 2)
            // Waits for the job to end (the bound only keeps a broken run from hanging the suite).
            for _ in 0..<3_000 where await api.parts.runner.isActive(jobID: jobID) { try await Task.sleep(for: .milliseconds(20)) }
            #expect(await !api.parts.runner.isActive(jobID: jobID))
            let job = try await api.call(.get, "/jobs/\(jobID)", token: oncall.access).json()
            #expect(job["status"]?.stringValue == "completed")
            #expect(job["processed"]?.doubleValue == 2)
            #expect(try await api.call(.get, "/jobs/\(jobID)/events", token: oncall.access).status == .ok)
            let runs = try await api.call(.get, "/failure-patterns/runs", token: oncall.access).json()
            #expect(runs["items"]?.arrayValue?.count == 1)
            #expect(runs["items"]?[0]?["traces_received"]?.doubleValue == 2)
            #expect(runs["items"]?[0]?["run_id"]?.doubleValue == Double(jobID))
            let all = try await api.call(.get, "/failure-patterns", token: oncall.access).json()
            #expect(all["items"]?.arrayValue?.count == 2)
            #expect(all["items"]?[0]?["failure_type"]?.stringValue == "tool_error")
            #expect(
                try await api.call(.get, "/failure-patterns?failure_type=tool_error&min_confidence=0.1", token: oncall.access)
                    .json()["items"]?.arrayValue?.count == 2)
            #expect(
                try await api.call(.get, "/failure-patterns?failure_type=hallucination", token: oncall.access)
                    .json()["items"]?.arrayValue?.isEmpty == true)
            // Nothing left: a second run says so.
            let again = try await api.call(.post, "/extraction/run-once", token: oncall.access)
            #expect(again.status == .ok)
            // A researcher sees none of it, and the traces project is not theirs.
            let ada = try await api.register()
            try await api.call(.get, "/failure-patterns", token: ada.access).problem(.forbidden)
            try await api.call(.get, "/jobs/\(jobID)", token: ada.access).problem(.notFound)
            #expect(try await api.call(.get, "/projects", token: ada.access).json()["items"]?.arrayValue?.isEmpty == true)
        }
    }
}
