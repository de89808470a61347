import AssayCore
import AssayStore
import Foundation
import FoundationXML
import Testing

/// The whole loop against the real local model (llama-server + SmolLM2) through the real CLI.
@Suite(.serialized, .timeLimit(.minutes(30))) struct EndToEndTests {
    @Test func exampleProjectEndToEndOnTheLocalModel() async throws {
        try await LocalModel.start()
        let dir = try CLIHarness.temporaryDirectory()
        var cli = CLIHarness(database: dir.appendingPathComponent("assay.sqlite").path)
        cli.environment["ASSAY_BASE_URL"] = LocalModel.baseURL

        try await cli.setUpExample()
        // A long per-document budget: the integration tests share one small model server on two
        // cores, where the 300 s default would measure the machine, not Assay.
        let sample = try await cli.run("run", "--sample", "3", "--concurrency", "4", "--document-timeout", "1200")
        #expect(sample.status == 0, "\(sample.output)")
        #expect(sample.stdout.contains("Run #1 (sample) completed"))
        // The small model sometimes fails a document (recorded with its reason): only the sample's
        // documents that ended succeeded or flagged count as done, and the full run skips exactly those.
        let afterSample = try SQLiteStore(path: cli.database)
        let sampledProject = try #require(try await afterSample.projects().first)
        let sampled = try await afterSample.outcomes(projectID: sampledProject.id)
        #expect(sampled.count == 3)
        let done = sampled.filter { $0.outcome != .failed }.count
        let full = try await cli.run("run", "--all", "--concurrency", "4", "--document-timeout", "1200")
        #expect(full.status == 0, "\(full.output)")
        #expect(full.stdout.contains("\(12 - done) selected, \(done) already done and skipped"), "\(full.stdout)")

        let store = try SQLiteStore(path: cli.database)
        let project = try #require(try await store.projects().first)
        let codebook = try #require(try await store.latestCodebook(projectID: project.id))
        let documents = try await store.documents(projectID: project.id, status: .ready)
        #expect(documents.count == 12)
        let outcomes = try await store.outcomes(projectID: project.id)
        let values = try await store.extractions(projectID: project.id, documentID: nil)
        let errors = try await store.errorRecords(projectID: project.id, jobID: nil)

        // Every document ended as succeeded, flagged, or failed with a reason — none missing.
        #expect(Set(outcomes.map(\.documentID)) == Set(documents.map(\.id)))
        for outcome in outcomes {
            #expect(outcome.codebookVersion == codebook.version)
            switch outcome.outcome {
            case .failed:
                #expect(errors.contains { $0.documentID == outcome.documentID && !$0.reason.isEmpty })
            case .succeeded, .flagged:
                let mine = values.filter { $0.documentID == outcome.documentID }
                #expect(Set(mine.map(\.variable)).count == mine.count)
                #expect(!mine.isEmpty)
            }
        }
        // Every stored value is valid under the variable's value schema and its rules.
        for value in values {
            let variable = try #require(codebook.codebook.variable(named: value.variable))
            let violations = SchemaValidator.violations(of: value.value, against: ExtractionSchema.valueSchema(for: variable))
            #expect(violations.isEmpty, "\(value.variable) = \(value.value.serialized()): \(violations)")
            if value.status == .failed { #expect(value.value.isNull && value.error != nil) }
            if let evidence = value.evidence, let start = evidence.start, let end = evidence.end {
                #expect(0 <= start && start < end)
            }
            #expect(value.promptHash == codebook.promptHash)
        }

        // A second run redoes only the documents that failed (the small model sometimes gives an
        // unusable reply), leaves every other value as it was, and duplicates nothing.
        let failed = Set(outcomes.filter { $0.outcome == .failed }.map(\.documentID))
        let again = try await cli.run("run", "--all", "--document-timeout", "1200")
        #expect(again.status == 0, "\(again.output)")
        #expect(again.stdout.contains("\(failed.count) selected, \(12 - failed.count) already done"), "\(again.stdout)")
        let after = try await store.extractions(projectID: project.id, documentID: nil)
        func kept(_ list: [Extraction]) -> [String] {
            list.filter { !failed.contains($0.documentID) }
                .map { "\($0.documentID)/\($0.variable)/\($0.entityIndex)=\($0.value.serialized())" }.sorted()
        }
        #expect(kept(after) == kept(values))
        #expect(Set(after.map { "\($0.documentID)/\($0.variable)/\($0.entityIndex)" }).count == after.count)

        // Status and export show the same picture.
        let status = try await cli.run("status")
        #expect(status.stdout.contains("12 ready"))
        let csvPath = dir.appendingPathComponent("protests.csv").path
        let export = try await cli.run("export", "--format", "csv", "--layout", "wide", "--out", csvPath)
        #expect(export.status == 0, "\(export.output)")
        let csv = try String(contentsOfFile: csvPath, encoding: .utf8)
        #expect(csv.hasPrefix("document_id,title,event_date,"))
        #expect(csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count >= 13)

        // The example's gold set scores what the small model coded: every variable has its line,
        // and the reliability diagram is well-formed SVG. (The figures themselves are the model's.)
        let plot = dir.appendingPathComponent("calibration.svg")
        let eval = try await cli.run("eval", "examples/protests/gold.csv", "--plot", plot.path)
        #expect(eval.status == 0, "\(eval.output)")
        for variable in ["event_date", "city", "issue", "participants", "violence", "injuries", "organizers"] {
            #expect(eval.stdout.contains("\(variable) ("), "\(eval.stdout)")
        }
        #expect(eval.stdout.contains("issue (category): 12 gold codes"), "\(eval.stdout)")
        #expect(eval.stdout.contains("  accuracy "))
        let svg = try XMLDocument(contentsOf: plot)
        #expect(svg.rootElement()?.name == "svg")

        // Two people's coding sheet (the gold set as ann's, bob disagreeing on two documents'
        // violence): agreement among them and with the model, side by side.
        let gold = try String(
            contentsOfFile: CLIHarness.repoRoot.appendingPathComponent("examples/protests/gold.csv").path, encoding: .utf8)
        var sheet = ["document,coder,variable,value"]
        for line in gold.split(separator: "\n").dropFirst() {
            let cells = line.split(separator: ",", maxSplits: 2).map(String.init)
            sheet.append("\(cells[0]),ann,\(cells[1]),\"\(cells[2])\"")
            let flipped = cells[1] == "violence" && (cells[0].hasPrefix("01") || cells[0].hasPrefix("03"))
            let bob = flipped ? (cells[2] == "true" ? "false" : "true") : cells[2]
            sheet.append("\(cells[0]),bob,\(cells[1]),\"\(bob)\"")
        }
        let sheetFile = dir.appendingPathComponent("sheet.csv")
        try sheet.joined(separator: "\n").write(to: sheetFile, atomically: true, encoding: .utf8)
        let imported = try await cli.run("coders", "import", sheetFile.path)
        #expect(imported.stdout.contains("codes by 2 coders (ann, bob)"), "\(imported.output)")
        let agreement = try await cli.run("agreement")
        #expect(agreement.status == 0, "\(agreement.output)")
        #expect(agreement.stdout.contains("violence (boolean, nominal): coded by ann, bob"), "\(agreement.stdout)")
        #expect(agreement.stdout.contains("  among the people: 12 units (12 coded twice or more), 2 coders, nominal"))
        #expect(agreement.stdout.contains("  the people and the model (SmolLM2"), "\(agreement.stdout)")
        #expect(agreement.stdout.contains("participants (number, interval): coded by ann, bob"))
    }
}
