import AssayCore
import AssayStore
import Foundation
import Testing

/// Ctrl-C in the middle of a real run: the job ends as cancelled, only whole documents are
/// stored, and running again finishes the rest without duplicates.
@Suite struct InterruptTests {
    @Test func ctrlCStopsCleanlyAndTheNextRunResumes() async throws {
        try LocalModel.start()
        let dir = try CLIHarness.temporaryDirectory()
        var cli = CLIHarness(database: dir.appendingPathComponent("assay.sqlite").path)
        cli.environment["ASSAY_BASE_URL"] = LocalModel.baseURL
        #expect(try cli.run("init", "--name", "interrupted").status == 0)
        #expect(try cli.run("codebook", "import", "examples/protests/codebook.yaml").status == 0)
        #expect(try cli.run("add", "examples/protests/docs/").status == 0)

        let process = Process()
        process.executableURL = try CLIHarness.executable
        process.arguments = ["run", "--all", "--concurrency", "1"]
        process.currentDirectoryURL = CLIHarness.repoRoot
        var env = ProcessInfo.processInfo.environment
        env["ASSAY_DB"] = cli.database
        env["ASSAY_BASE_URL"] = LocalModel.baseURL
        process.environment = env
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        // Wait for the first finished document, then press Ctrl-C.
        var seen = ""
        while !seen.contains("[1/12]") {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        #expect(seen.contains("[1/12]"), "\(seen)")
        process.interrupt()
        let rest = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130, "\(seen)\(rest)")
        #expect(rest.contains("Stopping"))

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

        let resumed = try cli.run("run", "--all", "--concurrency", "4")
        #expect(resumed.status == 0, "\(resumed.output)")
        #expect(resumed.stdout.contains("\(12 - outcomes.filter { $0.outcome != .failed }.count) selected"))
        #expect(Set(try await store.outcomes(projectID: project.id).map(\.documentID)).count == 12)
    }
}
