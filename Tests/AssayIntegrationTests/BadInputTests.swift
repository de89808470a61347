import Foundation
import Testing

/// Bad input through the real CLI: each gets a clear message naming the file, line or field,
/// the rest goes on, and `assay status` shows it. No model needed.
@Suite(.timeLimit(.minutes(30))) struct BadInputTests {
    func project() async throws -> (CLIHarness, URL) {
        let dir = try CLIHarness.temporaryDirectory()
        let cli = CLIHarness(database: dir.appendingPathComponent("assay.sqlite").path)
        #expect(try await cli.run("init", "--name", "bad").status == 0)
        #expect(try await cli.run("codebook", "import", "examples/protests/codebook.yaml").status == 0)
        return (cli, dir)
    }

    @Test func unreadableFilesAreRecordedAndTheRestAdded() async throws {
        let (cli, dir) = try await project()
        let docs = dir.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
        try Data().write(to: docs.appendingPathComponent("empty.txt"))
        try Data([0x48, 0x00, 0x01, 0x02]).write(to: docs.appendingPathComponent("binary.txt"))
        try Data([0x48, 0x69, 0xC3, 0x28]).write(to: docs.appendingPathComponent("latin.txt"))
        try Data("A fine protest in Oslo.".utf8).write(to: docs.appendingPathComponent("good.txt"))
        try Data("{\"id\":\"a\",\"text\":\"March in Rome.\"}\n{broken\n{\"id\":\"c\",\"text\":\"Strike in Milan.\"}\n".utf8)
            .write(to: docs.appendingPathComponent("records.jsonl"))

        let add = try await cli.run("add", docs.path)
        #expect(add.status == 0, "\(add.output)")
        #expect(add.stdout.contains("Added 3 new"))
        #expect(add.stderr.contains("empty file"))
        #expect(add.stderr.contains("binary"))
        #expect(add.stderr.contains("invalid UTF-8"))
        #expect(add.stderr.contains("line 2"))

        let status = try await cli.run("status")
        #expect(
            status.stdout.contains("3 ready, 4 failed") || status.stdout.contains("3 ready") && status.stdout.contains("4 failed"),
            "\(status.stdout)")
        #expect(status.stdout.contains("empty file"))

        // Adding the same folder again duplicates nothing.
        let again = try await cli.run("add", docs.path)
        #expect(again.stdout.contains("Added 0 new, 0 updated, 3 unchanged"), "\(again.output)")
    }

    @Test func aBadCodebookIsRefusedNamingTheField() async throws {
        let (cli, dir) = try await project()
        let file = dir.appendingPathComponent("bad.yaml")
        try "variables:\n  - name: issue\n    type: category\n  - name: colour\n    type: colour\n".write(
            to: file, atomically: true, encoding: .utf8)
        let result = try await cli.run("codebook", "import", file.path)
        #expect(result.status != 0)
        #expect(result.stderr.contains("variables[1].type"), "\(result.stderr)")
        let unknownFixed = dir.appendingPathComponent("bad2.yaml")
        try "variables:\n  - name: issue\n    type: category\n".write(to: unknownFixed, atomically: true, encoding: .utf8)
        let second = try await cli.run("codebook", "import", unknownFixed.path)
        #expect(second.status != 0)
        #expect(second.stderr.contains("variables[0].categories"), "\(second.stderr)")
    }

    @Test func aModelThatIsDownGetsAClearMessage() async throws {
        var (cli, dir) = try await project()
        let file = dir.appendingPathComponent("a.txt")
        try "A protest.".write(to: file, atomically: true, encoding: .utf8)
        #expect(try await cli.run("add", file.path).status == 0)
        cli.environment["ASSAY_BASE_URL"] = "http://127.0.0.1:9/v1"
        let result = try await cli.run("run", "--all", "--skip-sample")
        #expect(result.status != 0)
        #expect(result.stderr.contains("cannot reach the model at http://127.0.0.1:9/v1"), "\(result.stderr)")
        #expect(result.stderr.contains("ASSAY_BASE_URL"))
    }

    @Test func helpTeachesTheWorkflow() async throws {
        let cli = CLIHarness(database: "/nonexistent/unused.sqlite")
        let help = try await cli.run("--help")
        #expect(help.stdout.contains("assay codebook import"))
        #expect(help.stdout.contains("ASSAY_BASE_URL"))
        let missing = try await cli.run("status")
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("assay init --name"))
    }
}
