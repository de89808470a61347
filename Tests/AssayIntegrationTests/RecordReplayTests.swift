import AssayCore
import AssayStore
import Foundation
import Testing

/// A run recorded against the real local model replays into a fresh database with the same
/// values, and without the model.
@Suite(.timeLimit(.minutes(30))) struct RecordReplayTests {
    @Test func aRecordedRunReplaysToTheSameValues() async throws {
        try await LocalModel.start()
        let dir = try CLIHarness.temporaryDirectory()
        let docs = dir.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
        for name in ["01-lisbon-teachers.txt", "03-berlin-climate.txt", "08-manchester-press-conference.txt"] {
            try FileManager.default.copyItem(
                at: CLIHarness.repoRoot.appendingPathComponent("examples/protests/docs/\(name)"),
                to: docs.appendingPathComponent(name))
        }
        let cassette = dir.appendingPathComponent("run.jsonl").path

        func project(_ name: String) async throws -> CLIHarness {
            var cli = CLIHarness(database: dir.appendingPathComponent("\(name).sqlite").path)
            cli.environment["ASSAY_BASE_URL"] = LocalModel.baseURL
            for step in [["init", "--name", name], ["codebook", "import", "examples/protests/codebook.yaml"], ["add", docs.path]] {
                let result = try await cli.run(step)
                #expect(result.status == 0, "\(step): \(result.output)")
            }
            return cli
        }
        func values(_ cli: CLIHarness) async throws -> [String] {
            let store = try SQLiteStore(path: cli.database)
            let project = try #require(try await store.projects().first)
            return try await store.extractions(projectID: project.id, documentID: nil)
                .map { "\($0.variable)=\($0.value.serialized())/\($0.status.rawValue)/\($0.evidence?.quote ?? "")" }.sorted()
        }

        let recorded = try await project("recorded")
        let live = try await recorded.run("run", "--all", "--skip-sample", "--record", cassette, "--document-timeout", "1200")
        #expect(live.status == 0, "\(live.output)")

        var replayed = try await project("replayed")
        replayed.environment["ASSAY_BASE_URL"] = "http://127.0.0.1:9/v1"  // no model: replay must not need one
        let replay = try await replayed.run("run", "--all", "--skip-sample", "--replay", cassette)
        #expect(replay.status == 0, "\(replay.output)")
        #expect(try await values(replayed) == values(recorded))
        #expect(try await !values(recorded).isEmpty)
    }
}
