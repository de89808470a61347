import AssayCore
import AssayIngest
import AssayProviders
import AssayStore
import Foundation
import Testing

@testable import AssayEngine
@testable import AssayTraces

/// Failure traces through the engine with a scripted model: patterns stored, idempotent,
/// invalid output and timeouts recorded, a summary per run.
@Suite(.timeLimit(.minutes(1))) struct TraceRunnerTests {
    static func trace(_ id: String, error: String = "tool returned 500") -> String {
        #"{"trace_id":"\#(id)","timestamp":"2026-11-01T10:00:00Z","service":"support-bot","spans":[{"span_id":"a1b2c3d4e5f60718","name":"execute_tool lookup_order","start_time":"2026-11-01T10:00:00Z","end_time":"2026-11-01T10:00:01Z","status":{"code":"ERROR","message":"\#(error)"},"attributes":{"tool.name":"lookup_order","exception.message":"upstream 500 for jane.doe@example.com"}}]}"#
    }

    /// A reply filling the template with one failure type; `severity` can be made invalid.
    static func reply(failureType: String = "tool_error", severity: String = "high") -> ScriptedProvider.Step {
        .respond { _ in
            func v(_ value: JSONValue, _ evidence: String = "") -> JSONValue {
                ["evidence": .string(evidence), "rationale": "from the trace", "value": value, "confidence": 0.9]
            }
            let reply: JSONValue = [
                "summary": v("The order lookup tool failed with a 500."),
                "failure_type": v(.string(failureType), "execute_tool lookup_order"),
                "trigger_condition": v("upstream_api_error"),
                "root_cause_hypothesis": v("The order service was down."),
                "severity": v(.string(severity)),
                "recommended_actions": v(["Retry the tool call with backoff"]),
                "reproduction_context": v("Ask for an order status."),
                "title": v("Order lookup tool returns 500"),
            ]
            return reply.serialized()
        }
    }

    static func runner() throws -> TraceRunner { TraceRunner(store: try SQLiteStore.inMemory()) }

    static func add(_ runner: TraceRunner, _ lines: [String]) async throws -> TraceRunner.AddReport {
        try await runner.add(TraceReader.read(Data(lines.joined(separator: "\n").utf8), source: "t.jsonl"))
    }

    @Test func eachTraceGetsOnePatternAndRerunsNeverDuplicate() async throws {
        let runner = try Self.runner()
        let added = try await Self.add(runner, [Self.trace("aaaa0001"), Self.trace("aaaa0002"), #"{"timestamp":"2026-11-01T10:00:00Z"}"#])
        #expect(added.added == 2 && added.skipped.count == 1 && added.skipped[0].contains("no trace id"))
        let traces = try #require(try await runner.store.project(named: TraceRunner.projectName))
        let skipped = try await runner.store.documents(projectID: traces.id, status: .failed)
        #expect(skipped.count == 1 && skipped[0].externalID == "skipped: t.jsonl:3" && skipped[0].error?.contains("no trace id") == true)

        let summary = try #require(try await runner.run(provider: ScriptedProvider(steps: [], then: Self.reply())))
        #expect(summary.tracesReceived == 2 && summary.patternsStored == 2 && summary.failures.isEmpty)
        let patterns = try await runner.patterns()
        #expect(patterns.map(\.sourceTraceID) == ["aaaa0001", "aaaa0002"])
        #expect(patterns.allSatisfy { $0.failureType.rawValue == "tool_error" && !$0.evidence.signals.isEmpty })
        // Nothing left to do; and the stored text never holds the planted email.
        #expect(try await runner.run(provider: ScriptedProvider(steps: [])) == nil)
        let project = try #require(try await runner.store.project(named: TraceRunner.projectName))
        let docs = try await runner.store.documents(projectID: project.id, status: .ready)
        #expect(docs.allSatisfy { !$0.text.contains("jane.doe@example.com") })

        // Adding the same traces again changes nothing; a pattern saved again replaces.
        #expect(try await Self.add(runner, [Self.trace("aaaa0001")]).unchanged == 1)
        try await runner.storePattern(for: docs[0], jobID: summary.runID)
        #expect(try await runner.patterns().count == 2)
        #expect(try await runner.summaries().map(\.runID) == [summary.runID])
    }

    @Test func invalidOutputIsAnErrorRecordNotAPattern() async throws {
        let runner = try Self.runner()
        _ = try await Self.add(runner, [Self.trace("bbbb0001")])
        // "catastrophic" is not a severity: post-processing drops it, and assembly refuses the pattern.
        let summary = try #require(try await runner.run(provider: ScriptedProvider(steps: [], then: Self.reply(severity: "catastrophic"))))
        #expect(summary.patternsStored == 0 && summary.validationFailures + summary.processingErrors == 1)
        #expect(try await runner.patterns().isEmpty)
        let project = try #require(try await runner.store.project(named: TraceRunner.projectName))
        let errors = try await runner.store.errorRecords(projectID: project.id, jobID: summary.runID)
        #expect(!errors.isEmpty)
        // Still unprocessed: the next run picks it up again.
        #expect(try await runner.store.documentsWithoutPattern(projectID: project.id, limit: 10).count == 1)
    }

    /// The error record of output that makes no valid pattern carries the hash of the model's
    /// own reply (not of values derived from it) and a redacted excerpt of that reply.
    @Test func invalidOutputIsRecordedWithTheHashOfTheRawReply() async throws {
        let runner = try Self.runner()
        _ = try await Self.add(runner, [Self.trace("cccc0001")])
        // No recommended action: the reply fits the extraction schema, the pattern needs at least one.
        let raw =
            #"{"summary":{"evidence":"","rationale":"r","value":"Tool failed.","confidence":0.9},"failure_type":{"evidence":"execute_tool lookup_order","rationale":"r","value":"tool_error","confidence":0.9},"trigger_condition":{"evidence":"","rationale":"r","value":"upstream_api_error","confidence":0.9},"root_cause_hypothesis":{"evidence":"","rationale":"r","value":"Down. Contact ops@example.com","confidence":0.9},"severity":{"evidence":"","rationale":"r","value":"high","confidence":0.9},"recommended_actions":{"evidence":"","rationale":"r","value":[],"confidence":0.9},"reproduction_context":{"evidence":"","rationale":"r","value":"Ask.","confidence":0.9},"title":{"evidence":"","rationale":"r","value":"Lookup fails","confidence":0.9}}"#
        let summary = try #require(try await runner.run(provider: ScriptedProvider(steps: [], then: .reply(raw))))
        #expect(summary.validationFailures == 1 && summary.patternsStored == 0)
        let project = try #require(try await runner.store.project(named: TraceRunner.projectName))
        let record = try #require(
            try await runner.store.errorRecords(projectID: project.id, jobID: summary.runID)
                .first { $0.kind == .schemaValidation })
        #expect(record.responseHash == Hashing.sha256(raw))
        #expect(record.excerpt?.contains("tool_error") == true)
        #expect(record.excerpt?.contains("ops@example.com") == false, "the excerpt is redacted")
    }

    @Test func aTraceOverItsTimeBudgetIsATimeoutAndTheBatchGoesOn() async throws {
        let runner = try Self.runner()
        _ = try await Self.add(runner, [Self.trace("cccc0001", error: "slow"), Self.trace("cccc0002")])
        actor SlowOnOne: LLMProvider {
            nonisolated let model = "slow-on-one"
            func complete(_ request: LLMRequest) async throws -> LLMResponse {
                if request.messages.contains(where: { $0.content.contains("cccc0001") }) { try await Task.sleep(for: .seconds(3600)) }
                return try await ScriptedProvider(steps: [], then: TraceRunnerTests.reply()).complete(request)
            }
        }
        let summary = try #require(
            try await runner.run(
                provider: SlowOnOne(), options: .init(traceTimeBudget: .milliseconds(300))))
        #expect(summary.timeouts == 1 && summary.patternsStored == 1)
        #expect(summary.failures.map(\.traceID) == ["cccc0001"])
    }

    @Test func aPassLeavesOutTracesThatAlreadyFailedInIt() async throws {
        let runner = try Self.runner()
        _ = try await Self.add(runner, [Self.trace("dddd0001"), Self.trace("dddd0002"), Self.trace("dddd0003")])
        let down = ScriptedProvider(steps: [], then: .fail(.http(status: 400, message: "bad request", retryAfter: nil)))
        let first = try #require(try await runner.run(provider: down, options: .init(batchSize: 2)))
        #expect(first.tracesReceived == 2 && first.processingErrors == 2)
        let second = try #require(try await runner.run(provider: down, options: .init(batchSize: 2), excluding: Set(first.documentIDs)))
        #expect(second.tracesReceived == 1 && Set(second.documentIDs).isDisjoint(with: first.documentIDs))
        #expect(
            try await runner.run(
                provider: down, options: .init(batchSize: 2),
                excluding: Set(first.documentIDs + second.documentIDs)) == nil)
    }
}
