import AssayCore
import Foundation
import Testing

/// Sharing and blind coding in a real browser, against `assay serve` with accounts and the mock
/// model: the owner signs up, makes a project, uploads, imports a codebook, runs a sample, shares
/// the project with a second account as coder and assigns it two documents blind; the coder signs
/// in, sees the assignment, codes both documents from the keyboard without ever being shown the
/// model's values; the owner then sees the coder in the agreement table, and a viewer a read-only
/// page. Screenshots of each page
/// go to `.build/test-screenshots/sharing/`.
@Suite(.serialized) struct BrowserSharingTests {
    /// Written like the mock model's corpus, so it answers them.
    static let documents = [
        ("lisbon.txt", "Protest in Lisbon. About 300 people came. It was peaceful. The march went through the old town."),
        ("porto.txt", "Protest in Porto. About 120 people came. It was peaceful. Nurses led the march."),
        ("braga.txt", "Protest in Braga. About 80 people came. It was peaceful. Students joined later."),
    ]

    static func signIn(_ browser: WebDriver, _ email: String, _ password: String) async throws {
        try await browser.waitForText("h1", containing: "Sign in")
        try await browser.type(email, into: "input[name=email]")
        try await browser.type(password, into: "input[name=password]")
        try await browser.click("#sign-in")
        try await browser.waitForText("h1", containing: "Projects")
    }

    @Test func anOwnerSharesAProjectAndACoderCodesItBlind() async throws {
        let shots = try BrowserTests.screenshots("sharing")
        let dir = try CLIHarness.temporaryDirectory()
        var cli = CLIHarness(database: dir.appendingPathComponent("shared.sqlite").path)
        cli.environment["ASSAY_JWT_SECRET"] = String(repeating: "sh4red-", count: 6)
        let mock = try await MockModelServer()
        defer { mock.stop() }
        cli.environment["ASSAY_BASE_URL"] = mock.baseURL
        cli.environment["ASSAY_MODEL"] = "mock"
        var files: [URL] = []
        for (name, text) in Self.documents {
            let file = dir.appendingPathComponent(name)
            try text.write(to: file, atomically: true, encoding: .utf8)
            files.append(file)
        }
        let password = "correct horse battery"
        let port = Int.random(in: 20_000..<40_000)
        try await BrowserTests.withServer(
            cli, ["serve", "--port", "\(port)", "--bcrypt-cost", "4"], ready: "listening on 127.0.0.1:\(port)", onStderr: true
        ) { _ in
            let base = "http://127.0.0.1:\(port)"
            // The coder's account exists before the project is shared with it.
            let coderAPI = HTTPAPI(base: base)
            let registered = try await coderAPI.send(
                "POST", "/auth/register", json: #"{"email":"bob@example.org","password":"\#(password)"}"#)
            #expect(registered.status == 202, "\(registered.text)")
            let viewer = try await HTTPAPI(base: base).send(
                "POST", "/auth/register", json: #"{"email":"carol@example.org","password":"\#(password)"}"#)
            #expect(viewer.status == 202, "\(viewer.text)")

            try await BrowserTests.withBrowser { browser in
                // The owner: sign up, a project, documents, a codebook, a sample coded by the model.
                try await browser.navigate(base + "/")
                try await browser.waitForText("h1", containing: "Sign in")
                try await browser.type("ada@example.org", into: "input[name=email]")
                try await browser.type(password, into: "input[name=password]")
                try await browser.click("#register")
                try await browser.waitForText("h1", containing: "Projects")
                try await browser.type("Shared protests", into: "input[name=name]")
                try await browser.press("\u{E007}")
                try await browser.waitForText("h1", containing: "Shared protests")
                try await browser.type(files.map(\.path).joined(separator: "\n"), into: "input[name=files]")
                try await browser.click("#upload")
                try await browser.wait(for: "three documents listed") { try await BrowserTests.documentRows(browser).count == 3 }
                try await browser.type(
                    CLIHarness.repoRoot.appendingPathComponent("examples/bench/codebook.yaml").path, into: "input[name=codebook]")
                try await browser.click("#import-codebook")
                try await browser.waitForText("#codebook-state", containing: "Version 1")
                try await browser.clear("#sample-size")
                try await browser.type("3", into: "#sample-size")
                try await browser.click("#run-sample")
                try await browser.waitForText("#notice", containing: "Job #1 started")
                try await browser.wait(for: "the sample to end") { try await browser.text("#job-1").contains("completed") }
                let ownerAPI = HTTPAPI(base: base)
                ownerAPI.token = try await browser.execute(#"return JSON.parse(sessionStorage.getItem("assay.session")).token"#).stringValue
                let project = Int(
                    try #require(try await ownerAPI.send("GET", "/projects").json["items"]?.arrayValue?.first?["id"]?.doubleValue))
                #expect(try await ownerAPI.send("GET", "/projects/\(project)/extractions").json["total"]?.doubleValue == 9)

                // Sharing: an email with no account is refused beside the field; then the coder.
                try await browser.type("nobody@example.org", into: "#sharing input[name=email]")
                try await browser.click("#share")
                try await browser.waitForText("#sharing .field-error", containing: "No account has the email nobody@example.org")
                try await browser.clear("#sharing input[name=email]")
                try await browser.type("bob@example.org", into: "#sharing input[name=email]")
                try await browser.click("#sharing select[name=role] option[value='coder']")
                try await browser.click("#share")
                try await browser.waitForText("#members-table", containing: "bob@example.org")
                #expect(try await browser.text("#members-table").contains("Coder"))
                try await browser.type("carol@example.org", into: "#sharing input[name=email]")
                try await browser.click("#sharing select[name=role] option[value='viewer']")
                try await browser.click("#share")
                try await browser.waitForText("#members-table", containing: "carol@example.org")
                // Two documents drawn at random, blind.
                try await browser.waitForText("#assign-coder", containing: "bob@example.org")
                try await browser.clear("#assign-count")
                try await browser.type("2", into: "#assign-count")
                try await browser.click("#assign")
                try await browser.waitForText("#assignments", containing: "0 of 2")
                try await browser.screenshot(to: shots.appendingPathComponent("01-owner-sharing.png"), showing: "#sharing-title")
                let assigned = try await ownerAPI.send("GET", "/projects/\(project)/assignments").json["items"]?.arrayValue?.first
                let blindDocuments = Set(
                    assigned?["items"]?.arrayValue?.compactMap { $0["document_id"]?.doubleValue }.map { Int($0) } ?? [])
                #expect(blindDocuments.count == 2)

                // The coder: signs in, sees the project shared as coder and the assignment.
                try await browser.click("#sign-out")
                try await Self.signIn(browser, "bob@example.org", password)
                try await browser.waitForText("#projects", containing: "Shared protests")
                try await browser.click("#projects a")
                try await browser.waitForText(".lead", containing: "shared with you as coder")
                try await browser.waitForText("#my-progress", containing: "0 of 2 document(s) coded")
                let ownersControls = try await browser.elements("#run-sample, #upload, #open-review, #sharing, #import-codebook")
                #expect(ownersControls.isEmpty, "a coder's page has no owner's controls")
                try await BrowserTests.expectAccessibleView(browser)
                try await browser.screenshot(to: shots.appendingPathComponent("02-coder-project.png"))

                // Coding from the keyboard: the form starts empty (no model's values), Enter saves and moves on.
                coderAPI.token = try await browser.execute(#"return JSON.parse(sessionStorage.getItem("assay.session")).token"#).stringValue
                // What each document says (the two drawn at random are any two of them).
                let answers = ["lisbon.txt": ("Lisbon", "300"), "porto.txt": ("Porto", "120"), "braga.txt": ("Braga", "80")]
                try await browser.click("#open-coding")
                for index in 0..<2 {
                    let title = try await browser.waitForText("#coding-document-title", containing: "(\(index + 1) of 2)")
                    let answer = try #require(answers[String(title.prefix { $0 != " " })], "\(title)")
                    #expect(try await browser.execute(#"return document.activeElement.id"#).stringValue == "code-city")
                    #expect(try await browser.execute(##"return document.querySelector("#code-city").value"##).stringValue == "")
                    let page = try await browser.text("main")
                    #expect(!page.contains("onfidence") && !page.contains("vidence"), "no model's values on the coding page")
                    try await browser.click("#code-violence option[value='false']")
                    try await browser.type(answer.0, into: "#code-city")
                    try await browser.press("\u{E004}")  // Tab to the number
                    #expect(try await browser.execute(#"return document.activeElement.id"#).stringValue == "code-participants")
                    try await browser.type(answer.1, into: "#code-participants")
                    if index == 0 { try await browser.screenshot(to: shots.appendingPathComponent("03-coder-coding.png")) }
                    try await browser.press("\u{E007}")  // Enter saves
                    if index == 0 { try await browser.waitForText("#notice", containing: "Saved your codes") }
                }
                try await browser.waitForText("#notice", containing: "You have coded all 2 document(s)")
                try await browser.waitForText("#my-progress", containing: "2 of 2 document(s) coded")
                try await browser.screenshot(to: shots.appendingPathComponent("04-coder-done.png"))
                // Through the API too, the coder sees no value of a blind document.
                let seen = try await coderAPI.send("GET", "/projects/\(project)/extractions?limit=500").json["items"]?.arrayValue ?? []
                #expect(seen.count == 3)
                #expect(seen.allSatisfy { !blindDocuments.contains(Int($0["document_id"]?.doubleValue ?? 0)) })
                #expect(try await coderAPI.send("GET", "/projects/\(project)/export?format=csv").status == 403)

                // The owner sees the coder's progress and the agreement with the model.
                try await browser.click("#sign-out")
                try await Self.signIn(browser, "ada@example.org", password)
                // Signing out revoked the owner's first token: the new session's.
                ownerAPI.token = try await browser.execute(#"return JSON.parse(sessionStorage.getItem("assay.session")).token"#).stringValue
                let codes = try await ownerAPI.send("GET", "/projects/\(project)/coders").json["items"]?.arrayValue ?? []
                #expect(codes.first?["coder"]?.stringValue == "bob@example.org" && codes.first?["documents"]?.doubleValue == 2, "\(codes)")
                try await browser.waitForText("#projects", containing: "Shared protests")
                try await browser.click("#projects a")
                try await browser.waitForText("#assignments", containing: "2 of 2")
                let agreement = try await browser.waitForText("#agreement-table", containing: "bob@example.org")
                #expect(agreement.contains("city") && agreement.contains("participants"), "\(agreement)")
                // The coder read the cities and counts as the model did: α with the model is 1 for them.
                let city = try await browser.text("#agreement-table tr[data-variable='city']")
                #expect(city.contains("1.000"), "\(city)")
                try await BrowserTests.expectAccessibleView(browser)
                try await browser.screenshot(to: shots.appendingPathComponent("05-owner-agreement.png"), showing: "#agreement-title")

                // A viewer: read-only pages, the agreement and the exports, no controls that change anything.
                try await browser.click("#sign-out")
                try await Self.signIn(browser, "carol@example.org", password)
                try await browser.waitForText("#projects", containing: "Viewer")
                try await browser.click("#projects a")
                try await browser.waitForText(".lead", containing: "shared with you as viewer")
                try await browser.waitForText("#agreement-table", containing: "bob@example.org")
                try await browser.waitForText("#jobs", containing: "completed")
                let viewersControls = try await browser.elements(
                    "#run-sample, #upload, #import-codebook, #sharing, #assign, #open-review, #jobs button")
                #expect(viewersControls.isEmpty, "a viewer's page changes nothing")
                #expect(try await browser.elements("#export-title").count == 1)
                try await BrowserTests.expectAccessibleView(browser)
                try await browser.screenshot(to: shots.appendingPathComponent("06-viewer-project.png"))
            }
        }
    }
}
