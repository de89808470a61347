import AssayCore
import AssayStore
import Foundation
import Testing

/// `assay run --dry-run` through the real CLI: requests, tokens and dollars before anything is
/// sent, with no model running, and nothing stored.
@Suite struct DryRunCLITests {
    @Test func aDryRunPricesTheRunAndStoresNothing() async throws {
        let dir = try CLIHarness.temporaryDirectory()
        var cli = CLIHarness(database: dir.appendingPathComponent("assay.sqlite").path)
        try await cli.setUpExample()
        // The local default (not running: a dry run sends nothing), three runs.
        cli.environment["ASSAY_BASE_URL"] = "http://127.0.0.1:9"
        let local = try await cli.run("run", "--all", "--runs", "3", "--dry-run")
        #expect(local.status == 0, "\(local.output)")
        #expect(local.stdout.contains("nothing was sent or stored"), "\(local.stdout)")
        #expect(local.stdout.contains("  requests   36 (3 runs each)"), "\(local.stdout)")
        #expect(local.stdout.contains("  cost       $0 (a model on this machine)"), "\(local.stdout)")

        // A hosted model with a list price, and one from a price file.
        cli.environment = ["ASSAY_BASE_URL": "https://api.openai.com/v1", "ASSAY_MODEL": "gpt-4o-mini", "OPENAI_API_KEY": "sk-test"]
        let hosted = try await cli.run("run", "--all", "--dry-run")
        #expect(hosted.status == 0, "\(hosted.output)")
        #expect(hosted.stdout.contains("(gpt-4o-mini at $0.15 in, $0.60 out per million tokens)"), "\(hosted.stdout)")
        #expect(hosted.stdout.contains("  packing    packing on: "), "\(hosted.stdout)")
        let prices = dir.appendingPathComponent("prices.json")
        try #"{"house-model": {"input": 1, "output": 4}}"#.write(to: prices, atomically: true, encoding: .utf8)
        cli.environment["ASSAY_MODEL"] = "house-model-v3"
        let unknown = try await cli.run("run", "--all", "--dry-run")
        #expect(unknown.stdout.contains("unknown: no price for the model"), "\(unknown.stdout)")
        cli.environment["ASSAY_PRICES"] = prices.path
        let priced = try await cli.run("run", "--all", "--dry-run")
        #expect(priced.stdout.contains("(house-model-v3 at $1.00 in, $4.00 out per million tokens)"), "\(priced.stdout)")
        try "{".write(to: prices, atomically: true, encoding: .utf8)
        let bad = try await cli.run("run", "--all", "--dry-run")
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("ASSAY_PRICES=\(prices.path): not a price table"), "\(bad.stderr)")

        let store = try SQLiteStore(path: cli.database)
        let project = try #require(try await store.projects().first)
        #expect(try await store.jobs(projectID: project.id).isEmpty)
    }
}
