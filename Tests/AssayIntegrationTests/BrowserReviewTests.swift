import AssayCore
import Foundation
import Testing

/// The review queue in a real browser: a project coded from the command line against the mock
/// model (bench-style documents, so every quote is found in the text), opened in `assay ui`'s
/// local mode. Values are accepted and corrected from the keyboard, several accepted at once,
/// and the dataset and codebook downloaded from the project page; the API confirms each step.
extension BrowserTests {
    /// Two bench documents; the second carries markup, which the page must show as text.
    static let reviewDocuments = [
        #"{"id":"lisbon","text":"Protest in Lisbon. About 300 people came. It was peaceful. The march went through the old town."}"#,
        #"{"id":"porto","text":"Protest in Porto. About 120 people came. It was peaceful. A sign read <img src=x onerror=alert(1)> in red."}"#,
    ]

    /// The feedback on one value, as the API lists it.
    static func feedback(_ api: HTTPAPI, project: Int, value: Int) async throws -> [JSONValue] {
        try await api.send("GET", "/projects/\(project)/feedback?extraction=\(value)").json["items"]?.arrayValue ?? []
    }

    @Test func aResearcherReviewsValuesWithTheKeyboardAndDownloadsExports() async throws {
        let shots = try Self.screenshots("review")
        let dir = try CLIHarness.temporaryDirectory()
        let mock = try await MockModelServer()
        defer { mock.stop() }
        var cli = CLIHarness(database: dir.appendingPathComponent("review.sqlite").path)
        cli.environment["ASSAY_BASE_URL"] = mock.baseURL
        cli.environment["ASSAY_MODEL"] = "mock"
        let documents = dir.appendingPathComponent("docs.jsonl")
        try (Self.reviewDocuments.joined(separator: "\n") + "\n").write(to: documents, atomically: true, encoding: .utf8)
        for step in [
            ["init", "--name", "Bench review"], ["codebook", "import", "examples/bench/codebook.yaml"], ["add", documents.path],
            ["run", "--all", "--skip-sample"],
        ] {
            let result = try await cli.run(step)
            #expect(result.status == 0, "\(step.joined(separator: " ")): \(result.output)")
        }

        try await Self.withServer(cli, ["ui"], ready: "Assay workbench, local mode") { server in
            let line = try #require(server.stdoutSoFar.split(separator: "\n").first { $0.contains("#key=lk_") }, "\(server.stdoutSoFar)")
            let address = String(try #require(line.split(separator: " ").last))
            let home = try #require(address.components(separatedBy: "#").first)
            let api = HTTPAPI(base: String(home.dropLast()))
            api.token = try #require(address.components(separatedBy: "#key=").last)
            let queue = try await api.send("GET", "/projects/1/extractions?order=review").json["items"]?.arrayValue ?? []
            #expect(queue.count == 6, "\(queue)")
            let ids = queue.compactMap { $0["id"]?.doubleValue }.map { Int($0) }
            try await Self.withBrowser { browser in
                try await browser.navigate(address)
                try await browser.waitForText("#projects", containing: "Bench review")
                try await browser.click("#projects a")
                try await browser.waitForText("h1", containing: "Bench review")
                try await browser.click("#open-review")

                // The first value the service's review order gives, its evidence marked in the text.
                try await browser.waitForText("#position", containing: "Value 1 of 6")
                let quote = try #require(queue.first?["evidence"]?["quote"]?.stringValue)
                #expect(try await browser.waitForText("#document-text mark", containing: quote) == quote)
                #expect(try await browser.text("#value-facts").contains(quote))
                // Markup in a document is text on the page, never elements.
                try await browser.click("#filter-document option[value='2']")
                try await browser.waitForText("#document-text", containing: "<img src=x onerror=alert(1)>")
                #expect(try await browser.elements("#document-text img").isEmpty)
                try await browser.click("#filter-document option[value='']")
                try await browser.waitForText("#position", containing: "Value 1 of 6")
                try await browser.press("\u{E00C}")
                try await Self.expectAccessibleView(browser)
                let legend = try await browser.text("#keys")
                #expect(legend.contains("accept: the value is correct") && !legend.contains("[object"), "\(legend)")
                try await browser.screenshot(to: shots.appendingPathComponent("01-review-queue.png"))

                // `a` accepts the value in hand and moves on to the next.
                try await browser.press("a")
                try await browser.waitForText("#position", containing: "Value 2 of 6")
                try await browser.waitForText("#value-\(ids[0])", containing: "Correct")
                let accepted = try await Self.feedback(api, project: 1, value: ids[0])
                #expect(accepted.map { $0["verdict"]?.stringValue } == ["correct"], "\(accepted)")

                // `c` opens the corrected value; keys typed there are text, not shortcuts ("a", "n", "j").
                try await browser.click("#filter-variable option[value='participants']")
                try await browser.waitForText("#position", containing: "Value 1 of 2: participants")
                try await browser.press("\u{E00C}")  // Escape: out of the filter, back to the keys
                let participants = try await api.send("GET", "/projects/1/extractions?order=review&variable=participants").json
                let corrected = Int(try #require(participants["items"]?.arrayValue?.first?["id"]?.doubleValue))
                try await browser.press("c")
                #expect(try await browser.execute("return document.activeElement.id").stringValue == "corrected-value")
                try await browser.type("about 350", into: "#corrected-value")
                try await browser.type("a journalist's count, not the organisers'", into: "#note")
                try await browser.screenshot(to: shots.appendingPathComponent("02-correcting.png"))
                try await browser.press("\u{E007}")
                try await browser.waitForText("#position", containing: "Value 2 of 2")
                let correction = try await Self.feedback(api, project: 1, value: corrected)
                #expect(correction.count == 1, "\(correction)")
                #expect(correction.first?["verdict"]?.stringValue == "incorrect")
                #expect(correction.first?["corrected_value"]?.doubleValue == 350, "typed as text, stored as a number: \(correction)")
                #expect(correction.first?["note"]?.stringValue == "a journalist's count, not the organisers'")
                // Back to it with `k`: the page shows the feedback it now has.
                try await browser.press("k")
                try await browser.waitForText("#position", containing: "Value 1 of 2")
                let shown = try await browser.waitForText("#feedback", containing: "Incorrect")
                #expect(shown.contains("should be 350") && shown.contains("a journalist's count"), "\(shown)")
                try await browser.screenshot(to: shots.appendingPathComponent("03-feedback-shown.png"))

                // Bulk accept of the values a filter shows, the reason kept as each one's note.
                try await browser.click("#filter-variable option[value='city']")
                try await browser.waitForText("#position", containing: "Value 1 of 2: city")
                try await browser.click("#select-all")
                try await browser.click("#bulk-accept")
                try await browser.waitForText("#bulk-reason-error", containing: "Say why")
                try await browser.type("cities checked against the wire reports", into: "#bulk-reason")
                try await browser.click("#bulk-accept")
                try await browser.waitForText("#notice", containing: "Accepted 2 value(s)")
                try await browser.wait(for: "both cities marked correct in the queue") {
                    try await browser.elements("#queue td[data-verdict='correct']").count == 2
                }
                let all = try await api.send("GET", "/projects/1/feedback?variable=city").json["items"]?.arrayValue ?? []
                #expect(all.count == 2, "\(all)")
                #expect(
                    all.allSatisfy {
                        $0["verdict"]?.stringValue == "correct" && $0["note"]?.stringValue == "cities checked against the wire reports"
                    })
                try await browser.screenshot(to: shots.appendingPathComponent("04-bulk-accepted.png"))

                // Quality: the values against a gold set a person wrote, and the confidence against the
                // verdicts just given (city judged right twice, participants wrong once).
                try await browser.click("#back-to-project")
                try await browser.waitForText("h1", containing: "Bench review")
                try await browser.click("#open-quality")
                let calibration = try await browser.waitForText("#calibration-result", containing: "participants")
                #expect(calibration.contains("city"), "\(calibration)")
                try await Self.expectAccessibleView(browser)
                try await browser.click("#evaluate")
                try await browser.waitForText("#gold-file-error", containing: "Choose a CSV file")
                let gold = "document,variable,value\nlisbon,city,Lisbon\nporto,city,Braga\nlisbon,participants,300\n"
                let goldFile = dir.appendingPathComponent("gold.csv")
                try gold.write(to: goldFile, atomically: true, encoding: .utf8)
                try await browser.type(goldFile.path, into: "#gold-file")
                try await browser.click("#evaluate")
                let goldRow = try await browser.waitForText("#gold-city", containing: "city")
                let scored = try await api.send("POST", "/projects/1/eval", body: gold, contentType: "text/csv").json
                let cityAccuracy = try #require(
                    scored["items"]?.arrayValue?.first { $0["variable"]?.stringValue == "city" }?["report"]?["accuracy"]?.doubleValue)
                #expect(cityAccuracy == 0.5, "Porto is not Braga: \(scored)")
                #expect(goldRow.contains("0.500"), "\(goldRow)")
                try await browser.waitForText("#gold-participants", containing: "1.000")
                try await browser.waitForText("#gold-city-report", containing: "Calibration")
                let page = try await browser.text("#main")
                #expect(!page.contains("[object"), "lists render as elements, not as their names: \(page)")
                try await browser.screenshot(to: shots.appendingPathComponent("05-quality.png"))

                // Refined from that feedback: the model's proposals with their word diffs, one adopted as a
                // new codebook version, the sample coded again on the reviewed documents, and the reviewers'
                // answers matched before and now.
                try await browser.click("#back-to-project")
                try await browser.waitForText("h1", containing: "Bench review")
                try await browser.click("#open-refine")
                try await browser.waitForText("#feedback-counts", containing: "reviewed")
                try await Self.expectAccessibleView(browser)
                try await browser.click("#refine-variable option[value='participants']")
                let verdicts = try await api.send("GET", "/projects/1/feedback?variable=participants").json["items"]?.arrayValue ?? []
                let wrong = verdicts.filter { $0["verdict"]?.stringValue != "correct" }.count
                #expect(wrong == 1, "\(verdicts)")
                try await browser.waitForText(
                    "#feedback-counts", containing: "\(verdicts.count) value(s) of participants reviewed; 1 corrected")
                try await browser.click("#propose")
                try await browser.waitForText("#proposals", containing: "Proposal 2")
                let added = try await browser.text("#proposal-0 .diff")
                #expect(added.contains("independent source"), "\(added)")
                #expect(try await browser.elements("#proposal-0 .diff ins").count > 0)
                #expect(try await browser.text("#proposals").contains("The reviewer corrected 1 value(s)"))
                try await browser.screenshot(to: shots.appendingPathComponent("05-refine-proposals.png"))
                try await browser.click("#use-0")
                let chosen = try await browser.execute("return document.getElementById('new-instructions').value").stringValue ?? ""
                #expect(chosen.hasSuffix("use the one an independent source (a journalist or the police) gives."), "\(chosen)")
                try await browser.click("#adopt")
                try await browser.waitForText("#notice", containing: "Codebook version 2: new instructions for participants")
                let participantsNow = try await api.send("GET", "/projects/1/codebook/variables/participants").json
                #expect(participantsNow["instructions"]?.stringValue == chosen)
                try await browser.click("#rerun")
                try await browser.waitForText("#rerun-status", containing: "completed")
                let scores = try await api.send("GET", "/projects/1/feedback/score?variable=participants").json["items"]?.arrayValue ?? []
                let score = try #require(scores.first, "\(scores)")
                // The mock codes the same whatever the instructions say: what matched the reviewers still does,
                // the value corrected still does not, and every reviewed value was coded again under version 2.
                let (reviewed, before, now, recoded) = (
                    Int(score["reviewed"]?.doubleValue ?? -1), Int(score["before"]?.doubleValue ?? -1),
                    Int(score["now"]?.doubleValue ?? -1), Int(score["recoded"]?.doubleValue ?? -1)
                )
                #expect(reviewed == verdicts.count && before == reviewed - 1 && now == before && recoded == reviewed, "\(score)")
                let row = try await browser.waitForText("#score-participants", containing: "participants")
                let cells = row.split(whereSeparator: \.isWhitespace).joined(separator: " ")
                #expect(cells == "participants \(reviewed) \(before) \(now) \(recoded)", "\(row)")
                try await browser.screenshot(to: shots.appendingPathComponent("06-refine-score.png"), showing: "#score-title")

                // Downloads from the project page, through fetch with the session's key.
                try await browser.click("#back-to-project")
                try await browser.waitForText("#export-title", containing: "Export")
                try await browser.click("button[data-export='format=jsonl']")
                let dataset = try await browser.waitForText("#export-status", containing: "Downloaded project-1-values.jsonl")
                #expect(!dataset.contains("(0 bytes)"), "\(dataset)")
                try await browser.click("#export-codebook")
                let yaml = try await api.send("GET", "/projects/1/codebook/export?format=yaml")
                #expect(yaml.status == 200 && yaml.text.contains("participants"))
                try await browser.waitForText("#codebook-download", containing: "Downloaded codebook.yaml (\(yaml.text.utf8.count) bytes)")
                try await browser.screenshot(to: shots.appendingPathComponent("05-exports.png"), showing: "#export-title")
            }
        }
    }
}
