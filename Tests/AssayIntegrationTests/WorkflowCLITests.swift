import Foundation
import Testing

/// The order of work through the real CLI against the mock model: a full run is refused until a
/// sample has completed under the current codebook, with the commands that get the user further;
/// a new codebook version needs a new sample; `--skip-sample` is the explicit way past; a project
/// without readable documents is not run at all.
@Suite(.timeLimit(.minutes(5))) struct WorkflowCLITests {
    @Test func aFullRunWaitsForASampleUnlessTheUserSkipsIt() async throws {
        let dir = try CLIHarness.temporaryDirectory()
        let mock = try await MockModelServer()
        defer { mock.stop() }
        let cli = try await BatchModeCLITests.project(
            dir, name: "workflow", mock: mock, documents: try BatchModeCLITests.writeDocuments(6, in: dir))

        let refused = try await cli.run("run", "--all")
        #expect(refused.status == 1, "\(refused.output)")
        #expect(refused.stderr.contains("no sample of project 'bench' has completed under codebook version 1"), "\(refused.stderr)")
        #expect(
            refused.stderr.contains(
                "run one with: assay run --sample 20, or code every document anyway with: assay run --all --skip-sample"))
        // Nothing was coded (the CLI may have asked the server to count tokens).
        let stats = try await mock.stats()
        #expect((stats["ok"] ?? 0) == 0, "\(stats)")
        let misplaced = try await cli.run("run", "--sample", "2", "--skip-sample")
        #expect(misplaced.status != 0 && misplaced.stderr.contains("--skip-sample goes with --all"), "\(misplaced.output)")

        #expect(try await cli.run("run", "--sample", "2", "--no-pack").status == 0)
        let full = try await cli.run("run", "--all", "--no-pack")
        #expect(full.status == 0 && full.stdout.contains("4 selected, 2 already done and skipped"), "\(full.output)")

        // A new version of the codebook makes the values stale and asks for a sample again.
        let changed = try String(contentsOf: CLIHarness.repoRoot.appendingPathComponent("examples/bench/codebook.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "instructions: ", with: "instructions: Read carefully. ")
        let file = dir.appendingPathComponent("v2.yaml")
        try changed.write(to: file, atomically: true, encoding: .utf8)
        #expect(try await cli.run("codebook", "import", file.path).status == 0)
        let again = try await cli.run("run", "--all")
        #expect(again.status == 1 && again.stderr.contains("under codebook version 2"), "\(again.output)")
        let skipped = try await cli.run("run", "--all", "--skip-sample", "--no-pack")
        #expect(skipped.status == 0 && skipped.stdout.contains("6 selected"), "\(skipped.output)")
    }

    @Test func aProjectWithoutReadableDocumentsIsNotRun() async throws {
        let dir = try CLIHarness.temporaryDirectory()
        let mock = try await MockModelServer()
        defer { mock.stop() }
        var cli = CLIHarness(database: dir.appendingPathComponent("empty.sqlite").path)
        cli.environment = ["ASSAY_BASE_URL": mock.baseURL, "ASSAY_MODEL": "mock"]
        #expect(try await cli.run("init", "--name", "empty").status == 0)
        #expect(try await cli.run("codebook", "import", "examples/bench/codebook.yaml").status == 0)
        let empty = dir.appendingPathComponent("empty.txt")
        try "".write(to: empty, atomically: true, encoding: .utf8)
        _ = try await cli.run("add", empty.path)
        for run in [["run", "--all", "--skip-sample"], ["run", "--sample", "3"]] {
            let result = try await cli.run(run)
            #expect(result.status == 1, "\(result.output)")
            #expect(
                result.stderr.contains("project 'empty' has no readable documents to code; add some with: assay add PATH"),
                "\(result.stderr)")
        }
        let status = try await cli.run("status")
        #expect(!status.stdout.lowercased().contains("complete"), "\(status.stdout)")
    }
}
