import AssayCore
import AssayStore
import Foundation
import Testing

/// Ctrl-C in the middle of a real run: the job ends as cancelled, only whole documents are
/// stored, and running again finishes the rest without duplicates.
@Suite(.timeLimit(.minutes(30))) struct InterruptTests {
    @Test func ctrlCStopsCleanlyAndTheNextRunResumes() async throws {
        try await LocalModel.start()
        let dir = try CLIHarness.temporaryDirectory()
        var cli = CLIHarness(database: dir.appendingPathComponent("assay.sqlite").path)
        cli.environment["ASSAY_BASE_URL"] = LocalModel.baseURL
        #expect(try await cli.run("init", "--name", "interrupted").status == 0)
        #expect(try await cli.run("codebook", "import", "examples/protests/codebook.yaml").status == 0)
        #expect(try await cli.run("add", "examples/protests/docs/").status == 0)

        let run = try cli.start("run", "--all", "--skip-sample", "--concurrency", "1")
        // Wait for the first finished document, then press Ctrl-C.
        let firstDone = await run.waitForStderr(containing: "[1/12]")
        #expect(firstDone, "\(run.stderrSoFar)")
        run.interrupt()
        let stopped = await run.finish(limit: .seconds(300))
        #expect(stopped.status == 130, "\(stopped.output)")
        #expect(stopped.stderr.contains("Stopping"))

        let store = try SQLiteStore(path: cli.database)
        let project = try #require(try await store.projects().first)
        let job = try #require(try await store.jobs(projectID: project.id).first)
        #expect(job.status == .cancelled)
        let outcomes = try await store.outcomes(projectID: project.id)
        #expect(outcomes.count >= 1 && outcomes.count < 12)
        let values = try await store.extractions(projectID: project.id, documentID: nil)
        // Only whole documents: every stored value belongs to a document with an outcome, 7 values each.
        let done = Set(outcomes.filter { $0.outcome != .failed }.map(\.documentID))
        #expect(Set(values.map(\.documentID)) == done)
        #expect(values.count == done.count * 7)

        let resumed = try await cli.run("run", "--all", "--skip-sample", "--concurrency", "4", "--document-timeout", "1200")
        #expect(resumed.status == 0, "\(resumed.output)")
        #expect(resumed.stdout.contains("\(12 - outcomes.filter { $0.outcome != .failed }.count) selected"))
        #expect(Set(try await store.outcomes(projectID: project.id).map(\.documentID)).count == 12)
    }
}
