import Foundation
import Testing

/// `assay run --max-tokens` through the real CLI on the local model: the run pauses at its budget
/// (exit 75) with the values so far kept, and the same command without it continues.
@Suite(.serialized, .timeLimit(.minutes(20))) struct BudgetCLITests {
    @Test func aRunPausesAtItsBudgetAndTheNextOneContinues() async throws {
        try await LocalModel.start()
        let dir = try CLIHarness.temporaryDirectory()
        var cli = CLIHarness(database: dir.appendingPathComponent("assay.sqlite").path)
        cli.environment["ASSAY_BASE_URL"] = LocalModel.baseURL
        try await cli.setUpExample(documents: [
            "examples/protests/docs/01-lisbon-teachers.txt", "examples/protests/docs/02-chicago-nurses.txt",
            "examples/protests/docs/03-berlin-climate.txt",
        ])
        let paused = try await cli.run(
            "run", "--all", "--skip-sample", "--max-tokens", "1", "--concurrency", "1", "--document-timeout", "1200")
        #expect(paused.status == 75, "\(paused.output)")
        #expect(paused.stdout.contains("Paused: the budget of 1 tokens is spent ("), "\(paused.stdout)")
        #expect(paused.stdout.contains("Run #1 (full) paused"), "\(paused.stdout)")
        let rest = try await cli.run("run", "--all", "--skip-sample", "--concurrency", "2", "--document-timeout", "1200")
        #expect(rest.status == 0, "\(rest.output)")
        // The paused run coded one document (unless the small model failed it, then it is redone).
        #expect(
            rest.stdout.contains("2 selected, 1 already done and skipped") || rest.stdout.contains("3 selected, 0 already done"),
            "\(rest.stdout)")
    }
}
