import AssayCore
import AssayEngine
import AssayIngest
import AssayStore
import AssayTraces
import Foundation
import Testing

/// The labelled failure traces through the real CLI and the real local model: every trace ends
/// as a schema-valid pattern or a recorded failure, malformed input is reported, and nothing the
/// redactor finds — nor any planted secret — is in any stored pattern.
@Suite(.timeLimit(.minutes(30))) struct TracesTests {
    @Test func labelledTracesEndToEndOnTheLocalModel() async throws {
        try await LocalModel.start()
        let dir = try CLIHarness.temporaryDirectory()
        var cli = CLIHarness(database: dir.appendingPathComponent("traces.sqlite").path)
        cli.environment["ASSAY_BASE_URL"] = LocalModel.baseURL
        // A slow shared CPU must not turn into per-request timeouts: the per-trace budget below decides.
        cli.environment["ASSAY_TIMEOUT"] = "600"
        cli.limit = .seconds(1500)

        // Eight of the 36 labelled traces keep the run to minutes on CI; the README quotes a run of all 36.
        let all = try String(contentsOf: CLIHarness.repoRoot.appendingPathComponent("examples/traces/traces.jsonl"), encoding: .utf8)
        let subset = dir.appendingPathComponent("traces.jsonl")
        try all.split(separator: "\n").prefix(8).joined(separator: "\n").write(to: subset, atomically: true, encoding: .utf8)
        let added = try await cli.run("traces", "add", subset.path, "examples/traces/malformed")
        #expect(added.status == 0, "\(added.output)")
        for reason in ["no trace id", "no timestamp", "not valid JSON"] {
            #expect(added.stdout.contains(reason), "\(reason): \(added.stdout)")
        }
        // The small model is slow on a shared CPU (the other integration tests use the same
        // server): a generous budget per trace and two slots of four, so the figures measure its
        // answers rather than the machine.
        let run = try await cli.run("traces", "run", "--trace-timeout", "600", "--concurrency", "2")
        #expect(run.status == 0, "\(run.output)")
        let evaluation = try await cli.run("traces", "eval", "examples/traces/labels.jsonl")
        #expect(evaluation.status == 0, "\(evaluation.output)")
        print(evaluation.stdout)  // the figures the README quotes

        let store = try SQLiteStore(path: cli.database)
        let runner = TraceRunner(store: store)
        let project = try #require(try await store.project(named: TraceRunner.projectName))
        let traces = try await store.documents(projectID: project.id, status: .ready)
        #expect(traces.count == 12)  // 8 labelled, the incomplete and span-less ones, the two good lines of broken.jsonl
        let stored = try await store.patterns(projectID: project.id, filter: PatternFilter())
        let summaries = try await runner.summaries()
        let failed = Set(summaries.flatMap(\.failures).map(\.traceID))
        // Every trace: a pattern or a recorded failure; never both, never neither, never twice.
        #expect(Set(stored.map(\.sourceTraceID)).count == stored.count)
        #expect(Set(stored.map(\.sourceTraceID)).union(failed) == Set(traces.map(\.externalID)))
        #expect(Set(stored.map(\.sourceTraceID)).isDisjoint(with: failed))
        for pattern in stored {
            #expect(FailurePatternSchema.violations(of: try JSONValue.parse(pattern.json)).isEmpty, "\(pattern.sourceTraceID)")
        }
        let labels = try LabelReader.read(CLIHarness.repoRoot.appendingPathComponent("examples/traces/labels.jsonl").path)
        let report = TraceEvaluation.evaluate(patterns: try await runner.patterns(), labels: labels.labels)
        #expect(report.piiAudit.passed, "\(report.piiAudit.leaks)")
        #expect(report.piiAudit.checkedTexts > 0)
        #expect(evaluation.stdout.contains("PII"))
    }
}

@Suite(.timeLimit(.minutes(30))) struct TracesWatchTests {
    @Test func watchStopsCleanlyOnCtrlC() async throws {
        try await LocalModel.start()
        let dir = try CLIHarness.temporaryDirectory()
        var cli = CLIHarness(database: dir.appendingPathComponent("watch.sqlite").path)
        cli.environment["ASSAY_BASE_URL"] = LocalModel.baseURL
        let watch = try cli.start("traces", "watch", "--every", "1h")
        #expect(await watch.waitForStderr(containing: "Watching for traces"), "\(watch.stderrSoFar)")
        try await Task.sleep(for: .seconds(1))
        watch.interrupt()
        let stopped = await watch.finish(limit: .seconds(120))
        #expect(stopped.status == 0, "\(stopped.output)")
        #expect(stopped.stdout.contains("Stopped."), "\(stopped.output)")
    }
}
