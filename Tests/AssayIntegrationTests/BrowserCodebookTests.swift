import AssayCore
import Foundation
import Testing

/// The codebook form and the co-pilot in a real browser, against `assay ui`: a variable typed with
/// errors shown beside their fields as they are typed, fixed, saved; the co-pilot's suggestions
/// (from the mock model, which suggests the same two variables every time, so the page's flow is
/// tested the same on every run), one accepted into the form and saved. Then the co-pilot from the
/// command line against the real local model (llama-server + SmolLM2-135M: weak suggestions, but
/// its schema-bound reply arrives), `assay suggest` and `--adopt`. The API confirms each step.
@Suite(.serialized, .timeLimit(.minutes(30))) struct BrowserCodebookTests {
    /// The text of the element with this id, or nil when it is hidden or missing.
    static func visibleText(_ browser: WebDriver, _ id: String) async throws -> String? {
        try await browser.execute(
            "const e = document.getElementById(arguments[0]); return e && !e.hidden ? e.innerText : null;", [.string(id)]
        ).stringValue
    }

    @Test func aResearcherWritesTheCodebookInAFormWithTheCopilot() async throws {
        try await LocalModel.start()
        let mock = try await MockModelServer()
        defer { mock.stop() }
        let shots = try BrowserTests.screenshots("codebook")
        let dir = try CLIHarness.temporaryDirectory()
        var cli = CLIHarness(database: dir.appendingPathComponent("codebook.sqlite").path)
        cli.environment["ASSAY_BASE_URL"] = mock.baseURL
        cli.environment["ASSAY_MODEL"] = "mock"
        let docs = CLIHarness.repoRoot.appendingPathComponent("examples/protests/docs")
        for step in [
            ["init", "--name", "Harbour strikes"], ["add", docs.appendingPathComponent("01-lisbon-teachers.txt").path],
            ["add", docs.appendingPathComponent("02-chicago-nurses.txt").path],
        ] {
            let result = try await cli.run(step)
            #expect(result.status == 0, "\(step.joined(separator: " ")): \(result.output)")
        }

        try await BrowserTests.withServer(cli, ["ui"], ready: "Assay workbench, local mode") { server in
            let line = try #require(server.stdoutSoFar.split(separator: "\n").first { $0.contains("#key=lk_") }, "\(server.stdoutSoFar)")
            let address = String(try #require(line.split(separator: " ").last))
            let home = try #require(address.components(separatedBy: "#").first)
            let api = HTTPAPI(base: String(home.dropLast()))
            api.token = try #require(address.components(separatedBy: "#key=").last)
            try await BrowserTests.withBrowser { browser in
                try await browser.navigate(address)
                try await browser.waitForText("#projects", containing: "Harbour strikes")
                try await browser.click("#projects a")
                try await browser.waitForText("h1", containing: "Harbour strikes")
                try await browser.click("#edit-codebook")
                try await browser.waitForText("h1", containing: "Codebook · Harbour strikes")
                try await browser.waitForText("#codebook-version", containing: "No codebook yet")
                try await BrowserTests.expectAccessibleView(browser)
                try await browser.screenshot(to: shots.appendingPathComponent("01-empty-form.png"))

                // A category variable without a name or categories: each error beside its field, as typed.
                try await browser.click("#add-variable")
                #expect(try await browser.execute("return document.activeElement.id").stringValue == "v0-name")
                try await browser.click("#v0-type option[value='category']")
                try await browser.wait(for: "the errors beside the name and the categories") {
                    let name = try await Self.visibleText(browser, "v0-name-error") ?? ""
                    let categories = try await Self.visibleText(browser, "v0-categories-error") ?? ""
                    return name.contains("must start with a letter") && categories.contains("at least one category")
                }
                #expect(try await browser.execute("return document.getElementById('v0-name').getAttribute('aria-invalid')") == "true")
                try await browser.screenshot(to: shots.appendingPathComponent("02-errors-beside-fields.png"))

                // Fixed by typing: the name, a category; then the definition and a rule.
                try await browser.type("strike_demand", into: "#v0-name")
                try await browser.wait(for: "the name's error to go") { try await Self.visibleText(browser, "v0-name-error") == nil }
                try await browser.click("#v0-categories")
                try await browser.type("wages", into: "#v0-categories-0-code")
                try await browser.type("Pay rises or back pay", into: "#v0-categories-0-description")
                try await browser.type("What the strikers ask for.", into: "#v0-definition")
                try await browser.type("Name the main demand the article reports.", into: "#v0-instructions")
                try await browser.type("Demands for pensions count as wages.", into: "#v0-include")
                try await browser.click("#v0-negative-add")
                try await browser.type("A strike ballot without a demand.", into: "#v0-negative-0-text")
                try await browser.waitForText("#check-state", containing: "No problems")
                #expect(try await Self.visibleText(browser, "v0-categories-error") == nil)
                try await browser.screenshot(to: shots.appendingPathComponent("03-fixed.png"))

                try await browser.click("#save-codebook")
                try await browser.waitForText("#notice", containing: "Codebook version 1 saved")
                let saved = try await api.send("GET", "/projects/1/codebook").json
                let variable = try #require(saved["codebook"]?["variables"]?.arrayValue?.first)
                #expect(variable["name"]?.stringValue == "strike_demand" && variable["type"]?.stringValue == "category")
                #expect(variable["categories"]?.arrayValue?.first?["code"]?.stringValue == "wages")
                #expect(variable["definition"]?.stringValue == "What the strikers ask for.")
                #expect(variable["include"] == ["Demands for pensions count as wages."])
                #expect(variable["examples"]?.arrayValue?.first?["kind"]?.stringValue == "negative", "\(variable)")
                try await browser.screenshot(to: shots.appendingPathComponent("04-saved.png"))

                // The co-pilot, from one document and a question; its reply is schema-bound.
                try await browser.type("What do striking workers demand, and who organises the strikes?", into: "#copilot-question")
                try await browser.clear("#copilot-sample")
                try await browser.type("1", into: "#copilot-sample")
                try await browser.click("#ask-copilot")
                // Done when the suggestions are listed, or the page says why not (in the notice). So small a
                // model sometimes suggests only what the codebook has; the page says to try again, as a person would.
                for attempt in 1...3 {
                    if attempt > 1 { try await browser.click("#ask-copilot") }
                    try await browser.wait(for: "the co-pilot's answer", limit: .seconds(900)) {
                        let busy = try await browser.execute("return document.querySelector('[aria-busy]') !== null").boolValue ?? true
                        return !busy
                    }
                    if try await browser.text("#copilot-state").contains("assay-suggest-v1") { break }
                    #expect(try await browser.text("#notice").contains("try again"))
                }
                let state = try await browser.text("#copilot-state")
                let notice = try await browser.text("#notice")
                #expect(state.contains("assay-suggest-v1"), "\(state) / \(notice)")
                try await browser.waitForText("#suggestions li.suggestion")
                try await browser.screenshot(to: shots.appendingPathComponent("05-suggestions.png"), showing: "#copilot-title")

                // Accept the first; it goes into the form (nothing is stored until Save).
                let kind = try await browser.execute("return document.querySelector('#suggestions li.suggestion').dataset.kind").stringValue
                try await browser.click("#suggestions li.suggestion button[data-decision='accept']")
                try await browser.waitForText("#notice", containing: "save the codebook to keep")
                #expect(try await api.send("GET", "/projects/1/codebook").json["version"]?.doubleValue == 1)
                if kind == "variable" {
                    try await browser.wait(for: "the accepted variable in the form") { !(try await browser.elements("#v1-name").isEmpty) }
                    // A small model may suggest a category variable without categories: the form says so; text needs none.
                    try await browser.wait(for: "the form checked") {
                        let state = try await browser.text("#check-state")
                        return state.contains("No problems") || state.contains("problem(s)")
                    }
                    try await browser.screenshot(to: shots.appendingPathComponent("06-accepted.png"), showing: "#v1")
                    if try await browser.text("#check-state").contains("problem(s)") {
                        try await browser.click("#v1-type option[value='text']")
                        try await browser.waitForText("#check-state", containing: "No problems")
                    }
                } else {
                    try await browser.screenshot(to: shots.appendingPathComponent("06-accepted.png"), showing: "#v0-instructions")
                }
                try await browser.click("#save-codebook")
                try await browser.waitForText("#notice", containing: "Codebook version 2 saved")
                let after = try await api.send("GET", "/projects/1/codebook").json["codebook"]?["variables"]?.arrayValue ?? []
                if kind == "variable" {
                    #expect(after.count == 2, "\(after)")
                } else {
                    #expect(after.count == 1 && after.first?["instructions"]?.stringValue != "Name the main demand the article reports.")
                }
                try await browser.screenshot(to: shots.appendingPathComponent("07-saved-with-suggestion.png"))
            }
        }

        // The command line's co-pilot: numbered suggestions with the model and prompt version, then adopted.
        // So small a model may suggest only what the codebook has already (twice): then it is refused, and says so.
        cli.environment["ASSAY_BASE_URL"] = LocalModel.baseURL
        cli.environment["ASSAY_MODEL"] = nil
        let suggested = try await cli.run(["suggest", "Who organises the strikes, and how many workers take part?", "--sample", "1"])
        guard suggested.status == 0 else {
            #expect(suggested.stderr.contains("held no usable suggestion"), "\(suggested.output)")
            return
        }
        #expect(suggested.stdout.contains("1. ") && suggested.stdout.contains("assay-suggest-v1"), "\(suggested.output)")
        let adopted = try await cli.run(["suggest", "--adopt", "1"])
        // Its first suggestion may not make a valid codebook (a category without categories): then it is refused, and says why.
        #expect(
            (adopted.status == 0 && adopted.stdout.contains("Adopted 1: codebook v3."))
                || (adopted.status != 0 && adopted.stderr.contains("categor")), "\(adopted.output)")
    }
}
