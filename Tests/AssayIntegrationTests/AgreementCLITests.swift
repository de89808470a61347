import Foundation
import Testing

/// `assay agreement FILE` through the real CLI: Krippendorff's published example as a codes file,
/// the figures printed to three decimals with intervals, JSON, and a level the codes do not fit.
@Suite(.timeLimit(.minutes(30))) struct AgreementCLITests {
    /// Krippendorff (2011), 4 observers × 12 units with missing codes (see `AgreementTests`), and a
    /// second variable of yes/no codes by two coders.
    static let codes: String = {
        let table: [String: [Int?]] = [
            "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, nil, nil, nil], "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nil, 3],
            "C": [nil, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nil], "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nil],
        ]
        var lines = ["unit,coder,variable,value"]
        for coder in ["A", "B", "C", "D"] {
            for (unit, value) in table[coder]!.enumerated() {
                lines.append("\(unit + 1),\(coder),intensity,\(value.map(String.init) ?? "")")
            }
        }
        lines += ["1,A,violence,yes", "1,B,violence,yes", "2,A,violence,no", "2,B,violence,yes", "3,A,violence,no", "3,B,violence,no"]
        return lines.joined(separator: "\n") + "\n"
    }()

    @Test func figuresPerVariableWithIntervalsAndJSON() async throws {
        let dir = try CLIHarness.temporaryDirectory()
        let cli = CLIHarness(database: dir.appendingPathComponent("unused.sqlite").path)
        let file = dir.appendingPathComponent("codes.csv")
        try Self.codes.write(to: file, atomically: true, encoding: .utf8)

        let text = try await cli.run("agreement", file.path)
        #expect(text.status == 0, "\(text.output)")
        let lines = text.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("intensity: 12 units (11 coded twice or more), 4 coders, nominal"), "\(text.stdout)")
        #expect(lines.contains { $0.hasPrefix("  Krippendorff's α    0.743  [") && $0.hasSuffix("tentative") }, "\(text.stdout)")
        #expect(lines.contains { $0.hasPrefix("  Fleiss' κ           0.761  [") }, "\(text.stdout)")
        #expect(lines.contains { $0.hasPrefix("  Cohen's κ           0.400  [") }, "\(text.stdout)")
        #expect(lines.last == "95 % intervals: unit-level percentile bootstrap, 1000 resamples, seed 2026.")

        let json = try await cli.run("agreement", file.path, "--level", "interval", "--json")
        #expect(json.status != 0)
        #expect(json.stderr.isEmpty)
        let objects = try json.stdout.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(objects.count == 2)
        let alpha = try #require((objects[0]["alpha"] as? [String: Any])?["value"] as? Double)
        #expect((alpha * 1000).rounded() == 849)
        #expect(objects[0]["verdict"] as? String == "reliable")
        #expect(objects[1]["variable"] as? String == "violence")
        #expect((objects[1]["error"] as? String)?.hasPrefix("'no' is not a number, which the interval level needs") == true)

        // The same seed gives the same intervals; another seed other ones.
        #expect(try await cli.run("agreement", file.path).stdout == text.stdout)
        #expect(try await cli.run("agreement", file.path, "--seed", "9").stdout != text.stdout)
    }
}
