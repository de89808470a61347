import AssayCore
@testable import AssayIngest
import Foundation
import Testing

@Suite struct TraceReaderTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
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
        // Folder order is path order; make-large.py is not a trace file; large.json is ignored by git.
        #expect(lines.filter { !$0.hasPrefix("malformed/large.json") } == [
            "malformed/broken.jsonl:1: read",
            "malformed/broken.jsonl:2: skipped: not valid JSON (unterminated string at column 485)",
            "malformed/broken.jsonl:3: read",
            "malformed/incomplete.json: read (incomplete: span 1 (47f2ec84a8c8db7b) has no status; span 2 (91afdfb9eb8fd3d5) has no name, no status)",
            "malformed/make-large.py: skipped: a .py file (trace files end in .json, .jsonl or .ndjson)",
            "malformed/no-id.json: skipped: no trace id",
            "malformed/no-spans.json: read (incomplete: no spans)",
            "malformed/no-timestamp.json: skipped: no timestamp",
        ])
        #expect(results.problems.map(\.kind).filter { $0 != .unsupportedFile } == [.malformedJSON, .noTraceID, .noTimestamp])
    }

    @Test func jsonArraysNameTheirRecordsAndDuplicatesAreCaught() throws {
        let folder = try TempFolder()
        try folder.write("batch.json", """
            [{"trace_id": "AAA", "timestamp": "2026-11-01T10:00:00Z", "spans": [{"span_id": "1", "name": "a", "status": {"code": "OK"}}]},
             {"trace_id": "bbb", "timestamp": "2026-11-01T10:00:00Z", "spans": []},
             42,
             {"trace_id": " aaa ", "timestamp": "2026-11-01T10:00:00Z", "spans": []},
             {"resourceSpans": []}]
            """)
        let results = try TraceReader.read([folder.path], relativeTo: folder.url)
        #expect(results.map(\.source.description) == (1...5).map { "batch.json record \($0)" })
        #expect(results.traces.map(\.traceID) == ["AAA", "bbb"])
        #expect(results.problems.map(\.reason) == [
            "skipped: not a trace (expected a JSON object, found a number)",
            "skipped: trace id  aaa  was already read at batch.json record 1",
            "skipped: no trace id (this looks like an OTLP export: write one trace object per trace, see examples/traces/README.md)",
        ])
    }

    @Test func oneBadLineNeverStopsTheRest() throws {
        let good = #"{"trace_id": "t%d", "timestamp": "2026-11-01T10:00:00Z", "spans": []}"#
        let text = [String(format: good, 1), "{not json", "", "[1]", String(format: good, 2) + "\r",
                     #"{"trace_id": "t3", "timestamp": 17}"#].joined(separator: "\n")
        let results = TraceReader.read(Data(text.utf8), source: "upload.jsonl")
        #expect(results.traces.map(\.traceID) == ["t1", "t2"])
        #expect(results.problems.map(\.description) == [
            "upload.jsonl:2: skipped: not valid JSON (expected a quoted key at column 2)",
            "upload.jsonl:4: skipped: not a trace (expected a JSON object, found an array)",
            "upload.jsonl:6: skipped: no timestamp (timestamp is a number, not an RFC 3339 date-time text)",
        ])
    }

    @Test func filesOverTheLimitAreRefusedUnread() throws {
        let folder = try TempFolder()
        try folder.write("big.jsonl", String(repeating: " ", count: 2048) + "{}")
        let results = try TraceReader.read([folder.url.appendingPathComponent("big.jsonl").path],
                                           options: TraceReaderOptions(maxFileBytes: 1024), relativeTo: folder.url)
        #expect(results.problems.map(\.kind) == [.fileTooLarge])
        #expect(results.problems.first?.description == "big.jsonl: skipped: file is 2 KB, over the 1 KB limit for trace files; split it into smaller files")
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
        #expect(file.labels == [TraceLabel(traceID: "t1", failureType: "timeout", triggerCondition: "slow_dependency", severity: "low",
                                           plantedPII: [.init(kind: "email", value: "a@example.com")])])
        #expect(file.problems.map(\.description) == [
            "labels.jsonl:2: skipped: no 'failure_type' (a non-empty string)",
            "labels.jsonl:3: skipped: trace t1 is already labelled",
            "labels.jsonl:4: skipped: planted_pii[0] needs a 'kind' and a non-empty 'value'",
            "labels.jsonl:5: skipped: not valid JSON (expected 'null' at column 1)",
        ])
    }
}
