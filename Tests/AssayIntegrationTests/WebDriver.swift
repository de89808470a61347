import AssayCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A small client of the W3C WebDriver protocol (JSON over HTTP) for Debian's chromium-driver:
/// a headless Chromium session that navigates, finds elements, clicks, types, uploads files,
/// runs script and takes screenshots. Just what the browser tests need, on AsyncHTTPClient.
final class WebDriver: Sendable {
    /// The driver process and where it listens.
    let driver: ChildProcess
    let base: String
    let session: String

    /// An element of the page, by the driver's reference.
    struct Element: Sendable {
        let id: String
        static let key = "element-6066-11e4-a52e-4f735466cecf"
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static var chromedriver: String { ProcessInfo.processInfo.environment["ASSAY_CHROMEDRIVER"] ?? "/usr/bin/chromedriver" }
    static var chromium: String { ProcessInfo.processInfo.environment["ASSAY_CHROMIUM"] ?? "/usr/bin/chromium" }

    /// Starts chromedriver on a free loopback port and opens a headless 1280×800 session.
    /// `--no-sandbox` because CI runs as root, where Chromium's sandbox cannot start.
    static func start(profile: URL) async throws -> WebDriver {
        for path in [chromedriver, chromium] where !FileManager.default.isExecutableFile(atPath: path) {
            throw Failure(description: "\(path) is missing: install Debian's chromium and chromium-driver (scripts/prerequisites.sh)")
        }
        let port = Int.random(in: 40_000..<50_000)
        let driver = ChildProcess(
            executable: URL(fileURLWithPath: chromedriver), arguments: ["--port=\(port)", "--allowed-ips=127.0.0.1"],
            environment: ProcessInfo.processInfo.environment, directory: profile)
        try driver.start()
        guard await driver.waitForStdout(containing: "started successfully", limit: .seconds(120)) else {
            driver.terminate()
            throw Failure(description: "chromedriver did not start: \(driver.stdoutSoFar) \(driver.stderrSoFar)")
        }
        let base = "http://127.0.0.1:\(port)"
        let capabilities: JSONValue = [
            "capabilities": [
                "alwaysMatch": [
                    "browserName": "chrome",
                    "goog:chromeOptions": [
                        "binary": .string(chromium),
                        "args": [
                            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,800",
                            .string("--user-data-dir=\(profile.appendingPathComponent("chromium").path)"), "--no-first-run",
                            "--disable-extensions", "--lang=en-GB",
                        ],
                    ],
                ]
            ]
        ]
        do {
            let created = try await send("POST", base + "/session", capabilities)
            guard let session = created["sessionId"]?.stringValue else {
                throw Failure(description: "no session: \(created)")
            }
            let browser = WebDriver(driver: driver, base: base, session: session)
            try await browser.setViewport(width: 1280, height: 800)
            return browser
        } catch {
            driver.terminate()
            throw error
        }
    }

    private init(driver: ChildProcess, base: String, session: String) {
        self.driver = driver
        self.base = base
        self.session = session
    }

    /// Ends the session and the driver (and so the browser).
    func quit() async {
        _ = try? await command("DELETE", "")
        driver.terminate()
        _ = await driver.finish(limit: .seconds(60))
    }

    // MARK: The protocol

    /// One command of the session: `path` after /session/{id}. Returns the reply's `value`.
    @discardableResult
    func command(_ method: String, _ path: String, _ body: JSONValue? = nil) async throws -> JSONValue {
        try await Self.send(method, "\(base)/session/\(session)\(path)", body)
    }

    private static func send(_ method: String, _ url: String, _ body: JSONValue?) async throws -> JSONValue {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
            request.body = .bytes(ByteBuffer(string: body.serialized()))
        } else if method == "POST" {
            request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
            request.body = .bytes(ByteBuffer(string: "{}"))
        }
        // A guard against a hung driver, not a measurement.
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(300))
        let text = String(buffer: try await response.body.collect(upTo: 64 << 20))
        let reply = try JSONValue.parse(text)
        let value = reply["value"] ?? .null
        if response.status.code >= 400 {
            let error = value["error"]?.stringValue ?? "HTTP \(response.status.code)"
            throw Failure(description: "WebDriver \(method) \(url): \(error): \(value["message"]?.stringValue ?? text)")
        }
        return value
    }

    // MARK: What tests use

    func navigate(_ url: String) async throws { try await command("POST", "/url", ["url": .string(url)]) }

    func currentURL() async throws -> String { try await command("GET", "/url").stringValue ?? "" }

    func title() async throws -> String { try await command("GET", "/title").stringValue ?? "" }

    /// The elements that match a CSS selector, in document order.
    func elements(_ css: String) async throws -> [Element] {
        let found = try await command("POST", "/elements", ["using": "css selector", "value": .string(css)])
        return found.arrayValue?.compactMap { $0[Element.key]?.stringValue }.map(Element.init) ?? []
    }

    func element(_ css: String) async throws -> Element {
        guard let first = try await elements(css).first else { throw Failure(description: "no element matches \(css)") }
        return first
    }

    func click(_ element: Element) async throws { try await command("POST", "/element/\(element.id)/click") }

    func click(_ css: String) async throws { try await click(try await element(css)) }

    /// Types `text` into the element; for `<input type=file>`, the text is the files' paths, one a line.
    func type(_ text: String, into element: Element) async throws {
        try await command("POST", "/element/\(element.id)/value", ["text": .string(text)])
    }

    func type(_ text: String, into css: String) async throws { try await type(text, into: try await element(css)) }

    func clear(_ css: String) async throws { try await command("POST", "/element/\(try await element(css).id)/clear") }

    /// The element's rendered text.
    func text(_ element: Element) async throws -> String {
        try await command("GET", "/element/\(element.id)/text").stringValue ?? ""
    }

    func text(_ css: String) async throws -> String { try await text(try await element(css)) }

    /// Runs `script` (a function body; `arguments` holds `args`) in the page and returns its value.
    @discardableResult
    func execute(_ script: String, _ args: [JSONValue] = []) async throws -> JSONValue {
        try await command("POST", "/execute/sync", ["script": .string(script), "args": .array(args)])
    }

    /// Presses keys on whatever has focus (Tab: "\u{E004}", Enter: "\u{E007}").
    func press(_ keys: String) async throws {
        let actions: [JSONValue] = keys.unicodeScalars.flatMap { key -> [JSONValue] in
            [["type": "keyDown", "value": .string(String(key))], ["type": "keyUp", "value": .string(String(key))]]
        }
        try await command(
            "POST", "/actions", ["actions": [["type": "key", "id": "keyboard", "actions": .array(actions)]]])
    }

    /// Makes the page's viewport (not the window around it) this size: a laptop's screen.
    func setViewport(width: Int, height: Int) async throws {
        try await command("POST", "/window/rect", ["width": .number(Double(width)), "height": .number(Double(height))])
        let inner = try await execute("return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight]")
        let frame = inner.arrayValue?.compactMap(\.doubleValue) ?? [0, 0]
        guard frame.count == 2, frame != [0, 0] else { return }
        try await command(
            "POST", "/window/rect", ["width": .number(Double(width) + frame[0]), "height": .number(Double(height) + frame[1])])
    }

    /// A PNG of the viewport, written to `file`; scrolled first so that `showing` is in view.
    func screenshot(to file: URL, showing css: String? = nil) async throws {
        if let css {
            try await execute("document.querySelector(arguments[0]).scrollIntoView({block: 'start'})", [.string(css)])
        }
        let encoded = try await command("GET", "/screenshot").stringValue ?? ""
        guard let data = Data(base64Encoded: encoded), data.starts(with: [0x89, 0x50, 0x4E, 0x47]) else {
            throw Failure(description: "the screenshot is not a PNG")
        }
        try data.write(to: file)
    }

    /// Waits until `condition` holds, asking every 100 ms; fails with `what` when it never does
    /// (the limit is a guard against a hang, generous on a busy machine, not a measurement).
    func wait(
        for what: String, limit: Duration = .seconds(120), _ condition: () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + limit
        var lastError: (any Error)?
        while ContinuousClock.now < deadline {
            do {
                if try await condition() { return }
            } catch {
                lastError = error  // the page may be between views
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let heading = (try? await text("h1")) ?? "?"
        throw Failure(description: "never saw \(what) (the page's heading: \(heading)) \(lastError.map { "\($0)" } ?? "")")
    }

    /// Waits until an element matching `css` shows `text` (all of it when nil: any text), and returns its text.
    @discardableResult
    func waitForText(_ css: String, containing text: String? = nil) async throws -> String {
        var seen = ""
        try await wait(for: "\(css) showing \(text ?? "anything")") {
            for element in try await elements(css) {
                seen = try await self.text(element)
                if let text { if seen.contains(text) { return true } } else if !seen.isEmpty { return true }
            }
            return false
        }
        return seen
    }
}
