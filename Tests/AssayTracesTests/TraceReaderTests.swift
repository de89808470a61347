import AssayCore
import AssayTestSupport
import Foundation
import Testing

@testable import AssayIngest
@testable import AssayTraces

@Suite struct TraceReaderTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static func fixture(_ path: String) -> String { repoRoot.appendingPathComponent("examples/traces/" + path).path }

    @Test func everyFixtureTraceIsRead() throws {
        let results = try TraceReader.read([Self.fixture("traces.jsonl")], relativeTo: Self.repoRoot)
        #expect(results.problems.isEmpty)
        let traces = results.traces
        #expect(traces.count == 36)
        #expect(traces.allSatisfy { !$0.isIncomplete })
        #expect(Set(traces.map(\.traceID)).count == 36)
        #expect(results.first?.source.description == "examples/traces/traces.jsonl:1")
        #expect(results.last?.source.description == "examples/traces/traces.jsonl:36")
        // Every trace id is labelled.
        let labels = try LabelReader.read(Self.fixture("labels.jsonl"))
        #expect(labels.problems.isEmpty)
        #expect(Set(labels.labels.map(\.traceID)) == Set(traces.map(\.traceID)))
    }

    @Test func theMalformedFixturesGiveTheirReasons() throws {
        let results = try TraceReader.read([Self.fixture("malformed")], relativeTo: Self.repoRoot.appendingPathComponent("examples/traces"))
        let lines = results.map { result in
            switch result {
            case .trace(let trace, let source):
                "\(source): read" + (trace.isIncomplete ? " (incomplete: \(trace.incompleteReasons.joined(separator: "; ")))" : "")
            case .problem(let problem): problem.description
            }
        }
        // Folder order is path order.
        #expect(
            lines == [
                "malformed/broken.jsonl:1: read",
                "malformed/broken.jsonl:2: skipped: not valid JSON (unterminated string at column 485)",
                "malformed/broken.jsonl:3: read",
                "malformed/incomplete.json: read (incomplete: span 1 (47f2ec84a8c8db7b) has no status; span 2 (91afdfb9eb8fd3d5) has no name, no status)",
                "malformed/no-id.json: skipped: no trace id",
                "malformed/no-spans.json: read (incomplete: no spans)",
                "malformed/no-timestamp.json: skipped: no timestamp",
            ])
        #expect(results.problems.map(\.kind) == [.malformedJSON, .noTraceID, .noTimestamp])
    }

    /// The committed 1 MB trace (examples/traces/large/large.json, from make-large.py) is read
    /// whole, and its rendering keeps only the last 100 KB of the payload, secrets removed.
    @Test func theOneMegabyteTraceIsReadAndCutToItsTail() throws {
        let results = try TraceReader.read(
            [Self.fixture("large/large.json")], relativeTo: Self.repoRoot.appendingPathComponent("examples/traces"))
        let trace = try #require(results.traces.first)
        #expect(results.count == 1 && results.problems.isEmpty)
        #expect(trace.traceID == "5a1e0b7c9d2f4e6a8b0c1d2e3f4a5b6c")
        let rendered = TraceRendering.render(trace)
        #expect(rendered.truncated)
        #expect(rendered.fullBytes > 1_000_000)
        #expect(rendered.notes.contains("payload truncated to last 100 KB"))
        #expect(!rendered.text.contains("HEAD-MARKER") && !rendered.text.contains("DROP-MARKER"))
        #expect(rendered.text.contains("KEEP-MARKER") && rendered.text.contains("TAIL-MARKER"))
        for planted in [
            "oncall.head@example.com", "hd7Qm2Vx9LpA4sRt6YwZ1cE8uJ3nK5bF0gH",
            "oncall.tail@example.com", "tl3Xn8Bq1WvM6cZr4Ks9Pd2Fy7Gh5Jt0aLe",
        ] {
            #expect(!rendered.text.contains(planted))
        }
    }

    @Test func jsonArraysNameTheirRecordsAndDuplicatesAreCaught() throws {
        let folder = try TempFolder("ingest")
        try folder.write(
            "batch.json",
            """
            [{"trace_id": "AAA", "timestamp": "2026-11-01T10:00:00Z", "spans": [{"span_id": "1", "name": "a", "status": {"code": "OK"}}]},
             {"trace_id": "bbb", "timestamp": "2026-11-01T10:00:00Z", "spans": []},
             42,
             {"trace_id": " aaa ", "timestamp": "2026-11-01T10:00:00Z", "spans": []},
             {"resourceSpans": []}]
            """)
        let results = try TraceReader.read([folder.path], relativeTo: folder.url)
        #expect(results.map(\.source.description) == (1...5).map { "batch.json record \($0)" })
        #expect(results.traces.map(\.traceID) == ["AAA", "bbb"])
        #expect(
            results.problems.map(\.reason) == [
                "skipped: not a trace (expected a JSON object, found a number)",
                "skipped: trace id  aaa  was already read at batch.json record 1",
                "skipped: no trace id (this looks like an OTLP export: write one trace object per trace, see examples/traces/README.md)",
            ])
    }

    @Test func oneBadLineNeverStopsTheRest() throws {
        let good = #"{"trace_id": "t%d", "timestamp": "2026-11-01T10:00:00Z", "spans": []}"#
        let text = [
            String(format: good, 1), "{not json", "", "[1]", String(format: good, 2) + "\r",
            #"{"trace_id": "t3", "timestamp": 17}"#,
        ].joined(separator: "\n")
        let results = TraceReader.read(Data(text.utf8), source: "upload.jsonl")
        #expect(results.traces.map(\.traceID) == ["t1", "t2"])
        #expect(
            results.problems.map(\.description) == [
                "upload.jsonl:2: skipped: not valid JSON (expected a quoted key at column 2)",
                "upload.jsonl:4: skipped: not a trace (expected a JSON object, found an array)",
                "upload.jsonl:6: skipped: no timestamp (timestamp is a number, not an RFC 3339 date-time text)",
            ])
    }

    @Test func filesOverTheLimitAreRefusedUnread() throws {
        let folder = try TempFolder("ingest")
        try folder.write("big.jsonl", String(repeating: " ", count: 2048) + "{}")
        let results = try TraceReader.read(
            [folder.url.appendingPathComponent("big.jsonl").path],
            options: TraceReaderOptions(maxFileBytes: 1024), relativeTo: folder.url)
        #expect(results.problems.map(\.kind) == [.fileTooLarge])
        #expect(
            results.problems.first?.description
                == "big.jsonl: skipped: file is 2 KB, over the 1 KB limit for trace files; split it into smaller files")
        #expect(TraceReaderOptions().maxFileBytes == 64 * 1024 * 1024)
    }

    @Test func emptyBinaryAndMissingInputsAreReported() throws {
        #expect(TraceReader.read(Data("  \n".utf8), source: "a.jsonl").problems.map(\.reason) == ["skipped: empty file"])
        #expect(TraceReader.read(Data([0x7B, 0x00]), source: "a.json").problems.map(\.reason) == ["skipped: binary file, not text"])
        #expect(TraceReader.read(Data("[]".utf8), source: "a.json").problems.map(\.reason) == ["skipped: no traces (the array is empty)"])
        #expect(throws: IngestError.notFound("/no/such/traces.jsonl")) { try TraceReader.read(["/no/such/traces.jsonl"]) }
    }

    @Test func labelFilesReportBadLines() {
        let text = """
            {"trace_id": "t1", "failure_type": "timeout", "trigger_condition": "slow_dependency", "severity": "low", "planted_pii": [{"kind": "email", "value": "a@example.com"}]}
            {"trace_id": "t2", "trigger_condition": "unknown"}
            {"trace_id": "t1", "failure_type": "other", "trigger_condition": "unknown"}
            {"trace_id": "t3", "failure_type": "other", "trigger_condition": "unknown", "planted_pii": [{"kind": "email"}]}
            nope
            """
        let file = LabelReader.read(Data(text.utf8), source: "labels.jsonl")
        #expect(
            file.labels == [
                TraceLabel(
                    traceID: "t1", failureType: "timeout", triggerCondition: "slow_dependency", severity: "low",
                    plantedPII: [.init(kind: "email", value: "a@example.com")])
            ])
        #expect(
            file.problems.map(\.description) == [
                "labels.jsonl:2: skipped: no 'failure_type' (a non-empty string)",
                "labels.jsonl:3: skipped: trace t1 is already labelled",
                "labels.jsonl:4: skipped: planted_pii[0] needs a 'kind' and a non-empty 'value'",
                "labels.jsonl:5: skipped: not valid JSON (expected 'null' at column 1)",
            ])
    }
}
