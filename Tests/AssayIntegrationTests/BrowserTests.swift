import AssayCore
import Foundation
import Testing

/// The workbench in a real browser: Debian's headless Chromium, driven over WebDriver, against
/// the real `assay` binary (`assay serve` with accounts, and `assay ui`'s local mode). No model
/// is needed: these pages sign in, make projects and read documents. Each page is saved as a PNG
/// under `.build/test-screenshots/` (or `$ASSAY_SCREENSHOTS`) for a person to look at.
@Suite(.serialized) struct BrowserTests {
    static let readers = CLIHarness.repoRoot.appendingPathComponent("Tests/Fixtures/readers")
    static let textFile = CLIHarness.repoRoot.appendingPathComponent("examples/protests/docs/01-lisbon-teachers.txt")

    /// Where the screenshots of `test` go (emptied first), said on stderr.
    static func screenshots(_ test: String) throws -> URL {
        let root =
            ProcessInfo.processInfo.environment["ASSAY_SCREENSHOTS"].map { URL(fileURLWithPath: $0) }
            ?? CLIHarness.repoRoot.appendingPathComponent(".build/test-screenshots")
        let folder = root.appendingPathComponent(test)
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        FileHandle.standardError.write(Data("[BrowserTests] screenshots of \(test): \(folder.path)\n".utf8))
        return folder
    }

    /// The `assay` process serving on a loopback port, for the length of `body`; ready once its
    /// standard output (or error, `onStderr`) says `ready`.
    static func withServer<T>(
        _ cli: CLIHarness, _ arguments: [String], ready: String, onStderr: Bool = false, _ body: (ChildProcess) async throws -> T
    ) async throws -> T {
        let server = try cli.start(arguments)
        let started =
            onStderr
            ? await server.waitForStderr(containing: ready, limit: .seconds(300))
            : await server.waitForStdout(containing: ready, limit: .seconds(300))
        // Stopped once, however `body` ends (a second signal could reach a process that took its pid).
        let result: Result<T, any Error>
        if started {
            do { result = .success(try await body(server)) } catch { result = .failure(error) }
        } else {
            result = .failure(
                HarnessError("assay \(arguments.joined(separator: " ")) did not start:\n\(server.stderrSoFar.suffix(3000))"))
        }
        server.terminate()
        let finished = await server.finish(limit: .seconds(120))
        if started { #expect(finished.status == 0, "\(finished.stderr.suffix(2000))") }
        return try result.get()
    }

    static func withBrowser<T>(_ body: (WebDriver) async throws -> T) async throws -> T {
        let profile = try CLIHarness.temporaryDirectory()
        let browser = try await WebDriver.start(profile: profile)
        do {
            let result = try await body(browser)
            await browser.quit()
            return result
        } catch {
            await browser.quit()
            throw error
        }
    }

    /// The documents table as rows of cell texts (header excluded).
    static func documentRows(_ browser: WebDriver) async throws -> [[String]] {
        let rows = try await browser.execute(
            """
            return [...document.querySelectorAll("#documents tbody tr")].map(row =>
              [...row.children].map(cell => cell.innerText.trim()));
            """)
        return rows.arrayValue?.map { $0.arrayValue?.compactMap(\.stringValue) ?? [] } ?? []
    }

    /// Checks that hold on every view: one h1 with focus, every control named by a label.
    static func expectAccessibleView(_ browser: WebDriver, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let report = try await browser.execute(
            """
            const unlabelled = [...document.querySelectorAll("input, select, textarea")]
              .filter(input => !(input.labels && input.labels.length) && !input.getAttribute("aria-label"));
            const unnamed = [...document.querySelectorAll("button, a")].filter(c => !c.innerText.trim());
            return { headings: document.querySelectorAll("h1").length, focused: document.activeElement.tagName,
                     unlabelled: unlabelled.length, unnamed: unnamed.length, lang: document.documentElement.lang };
            """)
        #expect(report["headings"]?.doubleValue == 1, "\(report)", sourceLocation: sourceLocation)
        #expect(report["focused"]?.stringValue == "H1", "the view's heading takes focus: \(report)", sourceLocation: sourceLocation)
        #expect(report["unlabelled"]?.doubleValue == 0, "\(report)", sourceLocation: sourceLocation)
        #expect(report["unnamed"]?.doubleValue == 0, "\(report)", sourceLocation: sourceLocation)
        #expect(report["lang"]?.stringValue == "en", sourceLocation: sourceLocation)
    }

    @Test func aResearcherSignsUpCreatesAProjectAndUploadsDocuments() async throws {
        let shots = try Self.screenshots("accounts")
        let dir = try CLIHarness.temporaryDirectory()
        var cli = CLIHarness(database: dir.appendingPathComponent("served.sqlite").path)
        cli.environment["ASSAY_JWT_SECRET"] = String(repeating: "s3cr3t-", count: 6)
        // The mock model answers the jobs started from the page, 3 s a reply, so one can be cancelled in flight.
        let mock = try await MockModelServer(arguments: ["--latency-ms", "3000"])
        defer { mock.stop() }
        cli.environment["ASSAY_BASE_URL"] = mock.baseURL
        cli.environment["ASSAY_MODEL"] = "mock"
        let port = Int.random(in: 20_000..<40_000)
        try await Self.withServer(
            cli, ["serve", "--port", "\(port)", "--bcrypt-cost", "4"], ready: "listening on 127.0.0.1:\(port)", onStderr: true
        ) {
            _ in
            try await Self.withBrowser { browser in
                let home = "http://127.0.0.1:\(port)/"
                try await browser.navigate(home)
                try await browser.waitForText("h1", containing: "Sign in")
                #expect(try await browser.title() == "Assay workbench")
                try await Self.expectAccessibleView(browser)
                try await browser.screenshot(to: shots.appendingPathComponent("01-sign-in.png"))

                // No account yet: the page says so, beside the form.
                try await browser.type("ada@example.org", into: "input[name=email]")
                try await browser.type("correct horse battery", into: "input[name=password]")
                try await browser.click("#sign-in")
                try await browser.waitForText("#signin-error", containing: "do not match an account")
                // A weak password is refused beside its field, in the service's words.
                try await browser.clear("input[name=password]")
                try await browser.type("password", into: "input[name=password]")
                try await browser.click("#register")
                let weak = try await browser.waitForText(".field-error", containing: "common passwords")
                #expect(weak.hasPrefix("Is one of"), "the field's own words, without its name: \(weak)")
                #expect(try await browser.execute(#"return document.activeElement.name"#).stringValue == "password", "\(weak)")
                #expect(
                    try await browser.execute(#"return document.querySelector("input[name=password]").getAttribute("aria-invalid")"#)
                        .stringValue == "true")
                try await browser.screenshot(to: shots.appendingPathComponent("02-sign-in-error.png"))

                try await browser.clear("input[name=password]")
                try await browser.type("correct horse battery", into: "input[name=password]")
                try await browser.click("#register")
                try await browser.waitForText("h1", containing: "Projects")
                #expect(try await browser.text("#account").contains("ada@example.org"))
                #expect(try await browser.text("main").contains("No projects yet"))
                try await Self.expectAccessibleView(browser)
                try await browser.screenshot(to: shots.appendingPathComponent("03-projects-empty.png"))

                // The keyboard reaches the form: Tab from the heading lands in the project's name.
                try await browser.press("\u{E004}")
                #expect(try await browser.execute(#"return document.activeElement.name"#).stringValue == "name")
                try await browser.type("Protest coverage", into: "input[name=name]")
                try await browser.press("\u{E007}")
                try await browser.waitForText("h1", containing: "Protest coverage")
                #expect(try await browser.text("main").contains("No documents yet"))
                #expect(try await browser.text("#jobs-title") == "Jobs")
                try await Self.expectAccessibleView(browser)
                try await browser.screenshot(to: shots.appendingPathComponent("04-project-empty.png"))

                // A text file, a real PDF (three pages), and a PDF cut short that cannot be read.
                let files = [
                    Self.textFile, Self.readers.appendingPathComponent("report.pdf"), Self.readers.appendingPathComponent("truncated.pdf"),
                ]
                try await browser.type(files.map(\.path).joined(separator: "\n"), into: "input[name=files]")
                try await browser.click("#upload")
                try await browser.wait(for: "three documents listed") { try await Self.documentRows(browser).count == 3 }
                let rows = try await Self.documentRows(browser)
                let byName = Dictionary(uniqueKeysWithValues: rows.map { ($0.first?.components(separatedBy: "\n").first ?? "", $0) })
                let text = try #require(byName["01-lisbon-teachers.txt"], "\(rows)")
                #expect(text[1] == "text/plain" && text[2] == "Readable" && text[3].isEmpty, "\(text)")
                #expect(Int(text[4].replacingOccurrences(of: ",", with: "")) ?? 0 > 20, "\(text)")
                let pdf = try #require(byName["report.pdf"], "\(rows)")
                #expect(pdf[1] == "application/pdf" && pdf[2] == "Readable" && pdf[3].isEmpty, "\(pdf)")
                let broken = try #require(byName["truncated.pdf"], "\(rows)")
                #expect(broken[2] == "Failed", "\(broken)")
                #expect(broken[3].count > 10, "a failed document says why: \(broken)")
                let results = try await browser.text("#upload-results")
                #expect(results.contains("report.pdf added") && results.contains("truncated.pdf could not be read"), "\(results)")
                try await browser.screenshot(to: shots.appendingPathComponent("05-project-uploaded.png"))
                try await browser.screenshot(to: shots.appendingPathComponent("06-project-documents.png"), showing: "#documents-title")
                #expect(try await browser.execute("return [window.innerWidth, window.innerHeight]") == [1280, 800])

                // The codebook from a file on the page: a broken one is refused with each problem
                // named where it is in the file, and nothing is imported; then a good one.
                #expect(try await browser.text("#codebook-state").contains("No codebook yet"))
                let brokenCodebook = dir.appendingPathComponent("broken-codebook.yaml")
                try "variables:\n  - name: size\n    type: banana\n    description: how many\n".write(
                    to: brokenCodebook, atomically: true, encoding: .utf8)
                try await browser.type(brokenCodebook.path, into: "input[name=codebook]")
                try await browser.click("#import-codebook")
                let problems = try await browser.waitForText("#codebook-problems", containing: "banana")
                #expect(problems.contains("variables[0]"), "\(problems)")
                #expect(try await browser.text("#codebook-state").contains("No codebook yet"))
                try await browser.screenshot(to: shots.appendingPathComponent("07-codebook-refused.png"), showing: "#codebook-title")
                let codebook = CLIHarness.repoRoot.appendingPathComponent("examples/bench/codebook.yaml")
                try await browser.type(codebook.path, into: "input[name=codebook]")
                try await browser.click("#import-codebook")
                try await browser.waitForText("#codebook-state", containing: "Version 1")
                #expect(try await browser.text("#notice").contains("Codebook version 1 imported"))
                #expect(try await browser.elements("#codebook-problems:not([hidden])").isEmpty)
                let session = try await browser.execute(#"return JSON.parse(sessionStorage.getItem("assay.session")).token"#)
                let api = HTTPAPI(base: "http://127.0.0.1:\(port)")
                api.token = session.stringValue
                let projectID = try #require(try await api.send("GET", "/projects").json["items"]?.arrayValue?.first?["id"]?.doubleValue)
                #expect(try await api.send("GET", "/projects/\(Int(projectID))/codebook").json["version"]?.doubleValue == 1)
                // A sample size that is not one is refused beside the field, and nothing starts.
                try await browser.clear("#sample-size")
                try await browser.type("0", into: "#sample-size")
                try await browser.click("#run-sample")
                try await browser.waitForText("#sample-size-error", containing: "whole number")
                #expect(try await api.send("GET", "/projects/\(Int(projectID))/jobs").json["items"]?.arrayValue?.isEmpty == true)
                // A full run before any sample is refused with the reason; the page then offers to skip
                // the sample, a choice it never makes by itself.
                #expect(try await browser.elements("#run-all-skip-sample:not([hidden])").isEmpty)
                try await browser.click("#run-all")
                try await browser.waitForText("#notice", containing: "no sample of project 'Protest coverage' has completed")
                #expect(try await browser.elements("#run-all-skip-sample:not([hidden])").count == 1)
                #expect(try await api.send("GET", "/projects/\(Int(projectID))/jobs").json["items"]?.arrayValue?.isEmpty == true)
                try await browser.screenshot(to: shots.appendingPathComponent("07b-project-sample-first.png"), showing: "#run-title")
                // A sample started from the page runs (each reply takes the mock 3 s) and is cancelled from its row.
                try await browser.clear("#sample-size")
                try await browser.type("2", into: "#sample-size")
                try await browser.click("#run-sample")
                try await browser.waitForText("#notice", containing: "Job #1 started: 2 document(s) to code")
                try await browser.waitForText("#job-1", containing: "Cancel")
                try await browser.click("#jobs button[data-action='cancel'][data-job='1']")
                try await browser.waitForText("#job-1", containing: "cancelled")
                #expect(try await api.send("GET", "/jobs/1").json["status"]?.stringValue == "cancelled")
                // The next sample is followed live, with no refresh, to the end; the documents then show their coding.
                try await browser.click("#run-sample")
                try await browser.waitForText("#notice", containing: "Job #2 started")
                try await browser.screenshot(to: shots.appendingPathComponent("08-project-job-running.png"), showing: "#run-title")
                try await browser.waitForText("#job-2", containing: "running")
                try await browser.wait(for: "job #2 to end on the page") {
                    try await browser.text("#job-2").contains("completed")
                }
                let jobs = try await browser.text("#jobs")
                #expect(jobs.contains("sample") && jobs.contains("2 of 2") && jobs.contains("cancelled"), "\(jobs)")
                #expect(try await browser.elements("#jobs button[data-action]").isEmpty, "a finished job offers no actions")
                try await browser.waitForText("#documents", containing: "Coded")
                try await browser.screenshot(to: shots.appendingPathComponent("09-project-job.png"), showing: "#documents-title")
                // With the sample done, the same button runs everything else.
                try await browser.click("#run-all")
                try await browser.waitForText("#notice", containing: "Job #3 started")
                try await browser.wait(for: "job #3 to end on the page") {
                    try await browser.text("#job-3").contains("completed")
                }

                // Back to the list; a reload keeps the session (this tab's storage), and the token is never in the address.
                try await browser.click("a[href='#/projects']:not(.brand)")
                try await browser.waitForText("#projects", containing: "Protest coverage")
                try await browser.navigate(home)
                try await browser.waitForText("#projects", containing: "Protest coverage")
                #expect(try await browser.text("#projects").contains("Created"))
                let address = try await browser.currentURL()
                #expect(!address.contains("token") && !address.contains("ey"), "\(address)")
                try await browser.screenshot(to: shots.appendingPathComponent("10-projects.png"))

                // Signing out ends the session at the service and forgets the token here.
                let token = try await browser.execute(#"return JSON.parse(sessionStorage.getItem("assay.session")).token"#)
                #expect(token.stringValue?.isEmpty == false)
                try await browser.click("#sign-out")
                try await browser.waitForText("h1", containing: "Sign in")
                #expect(try await browser.text("#notice").contains("Signed out"))
                #expect(try await browser.execute(#"return sessionStorage.getItem("assay.session")"#) == .null)
                api.token = token.stringValue
                #expect(try await api.send("GET", "/projects").status == 401, "the signed-out token is dead")
                try await browser.screenshot(to: shots.appendingPathComponent("11-signed-out.png"))

                // A session the service no longer accepts sends the person back to sign in.
                try await browser.execute(
                    #"sessionStorage.setItem("assay.session", JSON.stringify({kind: "account", token: arguments[0], email: "ada@example.org"}))"#,
                    [token])
                try await browser.navigate(home + "#/projects")
                try await browser.waitForText("#notice", containing: "Your session has ended")
                try await browser.waitForText("h1", containing: "Sign in")
            }
        }
    }

    @Test func localModeOpensTheCommandLinesProjectsWithoutAnAccount() async throws {
        let shots = try Self.screenshots("local")
        let dir = try CLIHarness.temporaryDirectory()
        let cli = CLIHarness(database: dir.appendingPathComponent("local.sqlite").path)
        let made = try await cli.run("init", "--name", "Harbour strikes")
        #expect(made.status == 0, "\(made.output)")

        // Local mode refuses any address but loopback.
        let refused = try await cli.run("ui", "--host", "0.0.0.0")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("local mode serves only this machine"), "\(refused.output)")

        try await Self.withServer(cli, ["ui"], ready: "Assay workbench, local mode") { server in
            let line = try #require(server.stdoutSoFar.split(separator: "\n").first { $0.contains("#key=lk_") }, "\(server.stdoutSoFar)")
            let address = String(try #require(line.split(separator: " ").last))
            let home = try #require(address.components(separatedBy: "#").first)
            #expect(home.hasPrefix("http://127.0.0.1:"))
            try await Self.withBrowser { browser in
                // Without the key the page says where to find it.
                try await browser.navigate(home)
                try await browser.waitForText("h1", containing: "Open the workbench from assay ui")
                try await browser.screenshot(to: shots.appendingPathComponent("01-without-key.png"))

                // A wrong key is refused and forgotten.
                try await browser.navigate(home + "#key=lk_not-the-right-key-0123456789")
                try await browser.waitForText("#notice", containing: "Your session has ended")
                try await browser.waitForText("h1", containing: "Open the workbench from assay ui")
                #expect(try await browser.execute(#"return sessionStorage.getItem("assay.session")"#) == .null)

                // The printed address: the command line's project, and the key leaves the address bar.
                try await browser.navigate(address)
                try await browser.waitForText("#projects", containing: "Harbour strikes")
                #expect(try await browser.text("#account").contains("Local mode"))
                let shown = try await browser.currentURL()
                #expect(!shown.contains("key="), "\(shown)")
                try await Self.expectAccessibleView(browser)
                try await browser.screenshot(to: shots.appendingPathComponent("02-projects.png"))

                // A project that is not there (or another's) says so.
                try await browser.navigate(home + "#/projects/999")
                try await browser.waitForText("h1", containing: "Project not found")
                try await browser.click("main a[href='#/projects']")
                try await browser.waitForText("#projects", containing: "Harbour strikes")

                try await browser.click("#projects a")
                try await browser.waitForText("h1", containing: "Harbour strikes")
                try await browser.type(Self.textFile.path, into: "input[name=files]")
                try await browser.click("#upload")
                try await browser.waitForText("#documents", containing: "01-lisbon-teachers.txt")
                #expect(try await Self.documentRows(browser).first?[2] == "Readable")
                try await browser.screenshot(to: shots.appendingPathComponent("03-project.png"), showing: "#documents-title")

                try await browser.click("#sign-out")
                try await browser.waitForText("#notice", containing: "Open the address assay ui printed")
                try await browser.screenshot(to: shots.appendingPathComponent("04-signed-out.png"))
            }
            // What the page added is the command line's, as the local user's.
            let listed = try await cli.run("documents")
            #expect(
                listed.status == 0 && listed.stdout.contains("01-lisbon-teachers.txt") && listed.stdout.contains("ready"),
                "\(listed.output)")
        }
    }
}
