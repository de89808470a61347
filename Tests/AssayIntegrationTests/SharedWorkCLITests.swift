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
        let first = try cli.start("run", "--all", "--no-pack", "--concurrency", "8")
        let second = try cli.start("run", "--all", "--no-pack", "--concurrency", "8")
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
}
