import Foundation
import Testing

/// Two `assay run --all` on one SQLite file at the same time, against the mock model: they
/// share the documents through claims, so together they send no more requests than there are
/// documents, and every document ends with one outcome and one set of values.
@Suite(.serialized, .timeLimit(.minutes(10))) struct SharedWorkCLITests {
    @Test func twoRunsOnOneDatabaseCodeEachDocumentOnce() async throws {
        let dir = try CLIHarness.temporaryDirectory()
        let documents = try BatchModeCLITests.writeDocuments(200, in: dir)
        let mock = try await MockModelServer(arguments: ["--latency-ms", "20"])
        defer { mock.stop() }
        let cli = try await BatchModeCLITests.project(dir, name: "shared", mock: mock, documents: documents)
        let first = try cli.start("run", "--all", "--skip-sample", "--no-pack", "--concurrency", "8")
        let second = try cli.start("run", "--all", "--skip-sample", "--no-pack", "--concurrency", "8")
        let (a, b) = (await first.finish(limit: .seconds(300)), await second.finish(limit: .seconds(300)))
        #expect(a.status == 0 && b.status == 0, "\(a.stdout)\n\(b.stdout)")
        let succeeded = [a, b].map { BatchModeCLITests.count("succeeded", in: $0.stdout) ?? 0 }
        #expect(succeeded.reduce(0, +) == 200, "\(a.stdout)\n\(b.stdout)")
        // Both had work: the claims shared it rather than one run waiting for the other.
        #expect(succeeded.allSatisfy { $0 > 0 }, "\(succeeded)")
        #expect(try await mock.stats()["requests"] == 200)
        let rows = try await BatchModeCLITests.dataset(cli, dir, "shared").split(whereSeparator: \.isNewline).dropFirst()
        #expect(rows.count == 200 && rows.allSatisfy { $0.hasSuffix(",succeeded") })
    }

    /// A run killed with SIGKILL holds its claims under a lease that has a minute to run; the
    /// next run on this machine sees that the first one's process is gone, sweeps its job and
    /// codes the rest at once, instead of ending with them "coded elsewhere" or waiting.
    @Test func aRunKilledWithSIGKILLIsSweptByTheNextAndTheRestCoded() async throws {
        let dir = try CLIHarness.temporaryDirectory()
        let documents = try BatchModeCLITests.writeDocuments(60, in: dir)
        let mock = try await MockModelServer(arguments: ["--latency-ms", "100"])
        defer { mock.stop() }
        let cli = try await BatchModeCLITests.project(dir, name: "killed", mock: mock, documents: documents)
        let first = try cli.start("run", "--all", "--skip-sample", "--no-pack", "--concurrency", "4")
        #expect(await first.waitForStderr(containing: "[8/60]", limit: .seconds(120)), "\(first.stderrSoFar)")
        first.kill9()
        _ = await first.finish(limit: .seconds(30))
        let next = try await cli.run("run", "--all", "--skip-sample", "--no-pack", "--concurrency", "4")
        #expect(next.status == 0, "\(next.output)")
        let done = try #require(BatchModeCLITests.count("succeeded", in: next.stdout), "\(next.stdout)")
        #expect(done > 0 && done <= 52 && BatchModeCLITests.count("elsewhere", in: next.stdout) == nil, "\(next.stdout)")
        // Not a lease's wait (60 s): the sweep saw the process was gone.
        #expect(next.stderr.contains("Job #1 was left running by a process that is gone; it is paused now"), "\(next.stderr)")
        let rows = try await BatchModeCLITests.dataset(cli, dir, "killed").split(whereSeparator: \.isNewline).dropFirst()
        #expect(rows.count == 60 && rows.allSatisfy { $0.hasSuffix(",succeeded") })
        // At most the killed run's in-flight requests went twice.
        #expect(try await mock.stats()["requests"] ?? 0 <= 60 + 4)
    }
}

/// `assay pause`, `assay resume` and `assay cancel` from another terminal: the running
/// `assay run` follows the job's status in the database.
@Suite(.serialized, .timeLimit(.minutes(10))) struct JobControlCLITests {
    @Test func aRunPausedFromAnotherTerminalWaitsAndResumes() async throws {
        let dir = try CLIHarness.temporaryDirectory()
        let documents = try BatchModeCLITests.writeDocuments(60, in: dir)
        let mock = try await MockModelServer(arguments: ["--latency-ms", "100"])
        defer { mock.stop() }
        let cli = try await BatchModeCLITests.project(dir, name: "control", mock: mock, documents: documents)
        let run = try cli.start("run", "--all", "--skip-sample", "--no-pack", "--concurrency", "2")
        #expect(await run.waitForStderr(containing: "[3/60]", limit: .seconds(120)), "\(run.stderrSoFar)")
        let paused = try await cli.run("pause", "1")
        #expect(paused.status == 0 && paused.stdout.contains("Job #1 paused"), "\(paused.output)")
        #expect(await run.waitForStderr(containing: "Paused from elsewhere", limit: .seconds(60)), "\(run.stderrSoFar)")
        #expect(try await cli.run("status").stdout.contains("#1 full paused"))
        let resumed = try await cli.run("resume", "1")
        #expect(resumed.status == 0, "\(resumed.output)")
        let done = await run.finish(limit: .seconds(300))
        #expect(done.status == 0 && BatchModeCLITests.count("succeeded", in: done.stdout) == 60, "\(done.output)")
        #expect(try await mock.stats()["requests"] == 60)
        // A finished job cannot be paused or cancelled; the message says why.
        let late = try await cli.run("cancel", "1")
        #expect(late.status != 0 && late.stderr.contains("job #1 is completed"), "\(late.output)")
    }

    @Test func aRunCancelledFromAnotherTerminalStopsAndTheNextRunGoesOn() async throws {
        let dir = try CLIHarness.temporaryDirectory()
        let documents = try BatchModeCLITests.writeDocuments(40, in: dir)
        let mock = try await MockModelServer(arguments: ["--latency-ms", "100"])
        defer { mock.stop() }
        let cli = try await BatchModeCLITests.project(dir, name: "cancel", mock: mock, documents: documents)
        let run = try cli.start("run", "--all", "--skip-sample", "--no-pack", "--concurrency", "2")
        #expect(await run.waitForStderr(containing: "[2/40]", limit: .seconds(120)), "\(run.stderrSoFar)")
        #expect(try await cli.run("cancel", "1").status == 0)
        let stopped = await run.finish(limit: .seconds(120))
        #expect(stopped.status == 130, "\(stopped.output)")
        let rest = try await cli.run("run", "--all", "--skip-sample", "--no-pack")
        #expect(rest.status == 0, "\(rest.output)")
        #expect(try await mock.stats()["requests"] ?? 0 <= 40 + 2)
    }
}
