import AssayTestSupport
import Foundation
import Testing

/// Near-duplicates through the real CLI: `assay add` reports them with the document they repeat,
/// `--skip-duplicates` leaves them out, `assay documents --duplicates` lists the rest. The files are
/// the example corpus, a reprint of one article (new headline, one sentence changed), an exact copy,
/// and the same notes saved by LibreOffice as Word and as OpenDocument. No model needed.
@Suite(.timeLimit(.minutes(30))) struct DuplicatesCLITests {
    @Test func addReportsSkipsAndListsDuplicates() async throws {
        let dir = try CLIHarness.temporaryDirectory()
        let cli = CLIHarness(database: dir.appendingPathComponent("assay.sqlite").path)
        #expect(try await cli.run("init", "--name", "dupes").status == 0)

        let corpus = dir.appendingPathComponent("corpus")
        try FileManager.default.copyItem(
            at: CLIHarness.repoRoot.appendingPathComponent("examples/protests/docs"), to: corpus)
        let lisbon = try String(contentsOf: corpus.appendingPathComponent("01-lisbon-teachers.txt"), encoding: .utf8)
        let reprint =
            lisbon
            .replacingOccurrences(of: "Teachers march in Lisbon for higher pay", with: "LISBON: teachers demand pay rise")
            .replacingOccurrences(of: "About 2,500 people took part in the march.", with: "Organisers counted 3,000 marchers.")
        try reprint.write(to: corpus.appendingPathComponent("13-lisbon-reprint.txt"), atomically: true, encoding: .utf8)
        try lisbon.write(to: corpus.appendingPathComponent("14-lisbon-copy.txt"), atomically: true, encoding: .utf8)
        for name in ["notes.docx", "notes.odt"] {
            try FileManager.default.copyItem(at: ReaderFixtures.url(name), to: corpus.appendingPathComponent(name))
        }

        let add = try await cli.run("add", corpus.path, "--skip-duplicates")
        #expect(add.status == 0, "\(add.output)")
        #expect(add.stdout.contains("Added 13 new"), "\(add.stdout)")
        #expect(add.stdout.contains("3 duplicates of documents in the project, 3 left out"), "\(add.stdout)")
        #expect(add.stdout.contains("14-lisbon-copy.txt is an exact duplicate of "), "\(add.stdout)")
        #expect(add.stdout.contains("notes.odt is an exact duplicate of "), "\(add.stdout)")
        let near = try #require(add.stdout.split(separator: "\n").first { $0.contains("13-lisbon-reprint.txt is a near duplicate (") })
        #expect(near.hasSuffix("01-lisbon-teachers.txt (left out)"), "\(near)")

        // Kept this time (no --skip-duplicates): added, and listed afterwards beside the original.
        let again = try await cli.run("add", corpus.path)
        #expect(again.stdout.contains("Added 3 new, 0 updated, 13 unchanged"), "\(again.stdout)")
        #expect(again.stdout.contains("added (leave them out with --skip-duplicates)"), "\(again.stdout)")
        let listed = try await cli.run("documents", "--duplicates")
        #expect(listed.status == 0, "\(listed.output)")
        #expect(listed.stdout.contains("3 duplicates"), "\(listed.stdout)")
        let rows = listed.stdout.split(separator: "\n")
        #expect(rows.contains { $0.contains("14-lisbon-copy.txt") && $0.contains("01-lisbon-teachers.txt") && $0.contains("exact") })
        #expect(rows.contains { $0.contains("13-lisbon-reprint.txt") && $0.contains(" %") })
        let strict = try await cli.run("documents", "--duplicates", "--threshold", "1")
        #expect(strict.stdout.contains("2 duplicates"), "\(strict.stdout)")

        let bad = try await cli.run("add", corpus.path, "--duplicate-threshold", "0.3")
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--duplicate-threshold must be between 0.6 and 1.0, not 0.3"), "\(bad.stderr)")
    }
}
