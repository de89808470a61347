import Foundation
import Testing

/// `assay run --runs 3` against the real local model through the real CLI: the estimate before,
/// the cost after, which values the runs disagree on, each value's runs in `assay show` and the
/// long export, and `assay eval`'s calibration before and after blending.
@Suite(.serialized, .timeLimit(.minutes(30))) struct RepeatedRunsCLITests {
    @Test func threeRunsOnTheLocalModel() async throws {
        try await LocalModel.start()
        let dir = try CLIHarness.temporaryDirectory()
        var cli = CLIHarness(database: dir.appendingPathComponent("assay.sqlite").path)
        cli.environment["ASSAY_BASE_URL"] = LocalModel.baseURL
        try await cli.setUpExample()
        let documents = "01-lisbon-teachers.txt,03-berlin-climate.txt,08-manchester-press-conference.txt"
        let run = try await cli.run(
            "run", "--documents", documents, "--runs", "3", "--concurrency", "4", "--document-timeout", "1200")
        #expect(run.status == 0, "\(run.output)")
        // The cost before (three requests per document) and after.
        #expect(run.stderr.contains("Estimate: 9 requests (3 documents × 3 runs), ~"), "\(run.stderr)")
        #expect(run.stdout.contains("  estimated  9 requests (3 documents × 3 runs)"), "\(run.stdout)")
        #expect(run.stdout.contains("  requests   "), "\(run.stdout)")
        // Which values the runs disagree on (the small model, warmed up, nearly always does somewhere).
        #expect(run.stdout.contains("Runs disagree on ") || run.stdout.contains("Every run agreed on every value."), "\(run.stdout)")

        let show = try await cli.run("show", "01-lisbon-teachers.txt")
        #expect(show.status == 0, "\(show.output)")
        #expect(show.stdout.contains("  runs: 3 runs, "), "\(show.stdout)")

        let long = dir.appendingPathComponent("long.csv")
        let export = try await cli.run("export", "--format", "csv", "--layout", "long", "--out", long.path)
        #expect(export.status == 0, "\(export.output)")
        let rows = try String(contentsOf: long, encoding: .utf8).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(rows.first?.hasSuffix(",temperature,runs,run_agreement,run_values,model_confidence") == true)
        // Every value came from three runs at temperature 0 (the first run's).
        #expect(rows.count > 1 && rows.dropFirst().allSatisfy { $0.contains(",0,3,") }, "\(rows.prefix(3))")

        let eval = try await cli.run("eval", "examples/protests/gold.csv", "--plot", dir.appendingPathComponent("c.svg").path)
        #expect(eval.status == 0, "\(eval.output)")
        #expect(eval.stdout.contains("calibration before blending (the model's own confidence)"), "\(eval.stdout)")
        #expect(eval.stdout.contains("BEFORE: VALUES"), "\(eval.stdout)")
        let json = try await cli.run("eval", "examples/protests/gold.csv", "--json")
        #expect(json.stdout.contains("\"calibration_before_blending\""), "\(json.stdout)")
        let svg = try String(contentsOf: dir.appendingPathComponent("c.svg"), encoding: .utf8)
        #expect(svg.contains("(model's own)") && svg.contains("(blended)"))
    }
}
