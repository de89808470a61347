import Foundation
import Testing

/// Budgets in money through the real CLI against the mock model, priced by a price file: a run
/// with `--max-cost` pauses at it and, run again with a higher one, codes the rest; the
/// project's budget (`assay budget`) pauses every job until it is raised. The mock's request
/// count proves nothing was sent twice, the dataset that nothing was lost.
@Suite(.serialized, .timeLimit(.minutes(10))) struct CostBudgetCLITests {
    static func project(_ name: String, documents: Int) async throws -> (CLIHarness, MockModelServer, URL) {
        let dir = try CLIHarness.temporaryDirectory()
        let mock = try await MockModelServer(arguments: [])
        let prices = dir.appendingPathComponent("prices.json")
        // A dollar per million tokens in and out: a document costs a few hundredths of a cent.
        try #"{"mock": {"input": 1.0, "output": 1.0}}"#.write(to: prices, atomically: true, encoding: .utf8)
        var cli = try await BatchModeCLITests.project(
            dir, name: name, mock: mock, documents: try BatchModeCLITests.writeDocuments(documents, in: dir))
        cli.environment["ASSAY_PRICES"] = prices.path
        return (cli, mock, dir)
    }

    @Test func aRunPausesAtItsMaxCostAndTheNextWithAHigherOneCodesTheRest() async throws {
        let (cli, mock, dir) = try await Self.project("max-cost", documents: 20)
        defer { mock.stop() }
        let paused = try await cli.run("run", "--all", "--skip-sample", "--no-pack", "--concurrency", "1", "--max-cost", "0.002")
        #expect(paused.status == 75, "\(paused.output)")
        #expect(paused.stdout.contains("Paused: the budget of $0.0020 is spent ("), "\(paused.stdout)")
        let done = try #require(BatchModeCLITests.count("succeeded", in: paused.stdout), "\(paused.stdout)")
        #expect(done > 0 && done < 20)
        let rest = try await cli.run("run", "--all", "--skip-sample", "--no-pack", "--concurrency", "1", "--max-cost", "1")
        #expect(rest.status == 0, "\(rest.output)")
        #expect(rest.stdout.contains("\(20 - done) selected, \(done) already done"), "\(rest.stdout)")
        // Every document was sent once, and every one has its row.
        #expect(try await mock.stats()["requests"] == 20)
        let rows = try await BatchModeCLITests.dataset(cli, dir, "max-cost").split(whereSeparator: \.isNewline).dropFirst()
        #expect(rows.count == 20 && Set(rows.map { $0.split(separator: ",").first }).count == 20)
    }

    @Test func theProjectsBudgetPausesItsJobsUntilItIsRaised() async throws {
        let (cli, mock, dir) = try await Self.project("project-budget", documents: 12)
        defer { mock.stop() }
        let set = try await cli.run("budget", "--max-cost", "0.001")
        #expect(set.status == 0 && set.stdout.contains("Budget of 'bench': $0.0010"), "\(set.output)")
        let paused = try await cli.run("run", "--all", "--skip-sample", "--no-pack", "--concurrency", "1")
        #expect(paused.status == 75, "\(paused.output)")
        #expect(paused.stdout.contains("Paused: the project's budget of $0.0010 is spent ("), "\(paused.stdout)")
        #expect(paused.stdout.contains("raise the project's budget (assay budget"), "\(paused.stdout)")
        let done = try #require(BatchModeCLITests.count("succeeded", in: paused.stdout), "\(paused.stdout)")
        // Spent: the next job starts nothing.
        let still = try await cli.run("run", "--all", "--skip-sample", "--no-pack")
        #expect(still.status == 75 && still.stdout.contains("the project's budget"), "\(still.output)")
        #expect(try await mock.stats()["requests"] == done)
        let shown = try await cli.run("budget")
        #expect(shown.stdout.contains("Reached:   the project's budget of $0.0010 is spent"), "\(shown.stdout)")
        let status = try await cli.run("status")
        #expect(status.stdout.contains("Budget:    $0.0010 for all jobs together"), "\(status.stdout)")

        let raised = try await cli.run("budget", "--none")
        #expect(raised.stdout.contains("Budget of 'bench': no budget"), "\(raised.output)")
        let rest = try await cli.run("run", "--all", "--skip-sample", "--no-pack")
        #expect(rest.status == 0 && BatchModeCLITests.count("succeeded", in: rest.stdout) == 12 - done, "\(rest.output)")
        #expect(try await mock.stats()["requests"] == 12)
        #expect(try await BatchModeCLITests.dataset(cli, dir, "project-budget").split(whereSeparator: \.isNewline).count == 13)
    }
}
