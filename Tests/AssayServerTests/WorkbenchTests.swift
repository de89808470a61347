import AssayCore
import AssayService
import AssayStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import AssayServer

/// The workbench's pages as files: served by exact name with their types, safe headers and
/// caching, nothing else reachable; the pages themselves hold no inline script or style.
@Suite("Workbench: the pages, their headers and what they may load")
struct WorkbenchTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/AssayServer/Resources/ui").standardized

    @Test func thePageAndItsAssetsAreServedWithTheirTypesAndSafeHeaders() async throws {
        try await TestService().test { api in
            let page = try await api.call(.get, "/")
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            let policy = try #require(page.headers[.contentSecurityPolicy])
            #expect(policy.contains("script-src 'self'") && policy.contains("default-src 'none'"))
            #expect(policy.contains("frame-ancestors 'none'") && policy.contains("connect-src 'self'"))
            #expect(!policy.contains("unsafe-inline") && !policy.contains("unsafe-eval") && !policy.contains("http"))
            #expect(page.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            #expect(page.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            #expect(page.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
            #expect(page.headers[.cacheControl] == "no-cache")
            #expect(String(buffer: page.body).contains(#"data-mode="accounts""#))

            for (name, type) in [
                ("app.js", "text/javascript; charset=utf-8"), ("project.js", "text/javascript; charset=utf-8"),
                ("app.css", "text/css; charset=utf-8"), ("icon.svg", "image/svg+xml"),
            ] {
                let asset = try await api.call(.get, "/ui/\(name)")
                #expect(asset.status == .ok, "\(name)")
                #expect(asset.headers[.contentType] == type, "\(name)")
                #expect(asset.headers[.contentSecurityPolicy] == Workbench.contentSecurityPolicy)
                let etag = try #require(asset.headers[.eTag])
                let again = try await api.call(.get, "/ui/\(name)", headers: [.ifNoneMatch: etag])
                #expect(again.status == .notModified)
                #expect(again.body.readableBytes == 0)
            }
        }
    }

    @Test func onlyTheNamedAssetsAreReachable() async throws {
        try await TestService().test { api in
            for path in [
                "/ui/nope.js", "/ui/index.html", "/ui/..%2Fopenapi.json", "/ui/%2e%2e%2fPackage.swift", "/ui/app.js%00.html",
                "/ui/APP.JS", "/ui/", "/ui/../../Package.swift", "/ui/./app.js",
            ] {
                let response = try await api.call(.get, path)
                #expect(response.status == .notFound, "\(path): \(response.status)")
                #expect(response.headers[.contentType] == "application/problem+json", "\(path)")
            }
        }
    }

    /// Every file of Resources/ui is in the table (and the other way round), and every module a
    /// script imports is one of them: a file added but not listed would be a 404 in the browser.
    @Test func everyFileIsListedAndEveryImportResolves() throws {
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: Self.folder.path))
        #expect(files == Set(Workbench.assets.keys))
        for name in files where name.hasSuffix(".js") {
            let text = try String(contentsOf: Self.folder.appendingPathComponent(name), encoding: .utf8)
            let imports = text.split(separator: "\n").filter { $0.hasPrefix("import ") }
            for line in imports {
                let target = try #require(line.split(separator: "\"").dropFirst().first, "\(name): \(line)")
                #expect(target.hasPrefix("./"), "\(name) imports \(target): only this folder's modules")
                #expect(files.contains(String(target.dropFirst(2))), "\(name) imports \(target), which is not served")
            }
            #expect(!text.contains("innerHTML") && !text.contains("outerHTML") && !text.contains("eval("), "\(name)")
            #expect(!text.contains("localStorage.") && !text.contains("document.cookie"), "\(name): tokens stay in sessionStorage")
        }
    }

    /// The policy forbids inline script and style, so the page must not need them.
    @Test func thePageHasNoInlineScriptStyleOrOtherOrigin() throws {
        let html = try String(contentsOf: Self.folder.appendingPathComponent("index.html"), encoding: .utf8)
        let scripts = html.components(separatedBy: "<script").dropFirst()
        #expect(scripts.count == 1)
        for script in scripts { #expect(script.hasPrefix(#" type="module" src="/ui/"#), "\(script.prefix(60))") }
        #expect(!html.contains("<style") && !html.contains("style="))
        #expect(html.range(of: #"\son[a-z]+\s*="#, options: .regularExpression) == nil, "no event-handler attributes")
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("//cdn"))
    }
}

/// `assay ui`'s local mode: the launch's key acts as the local user, on loopback only, and only
/// for this machine's own pages.
@Suite("Workbench: single-user local mode")
struct LocalModeTests {
    static let key = "lk_test-key-0123456789abcdefghijklmnopqrstuvwxyz"

    func localService() throws -> TestService {
        try TestService { config in try? config.allowLocalUser(LocalAccess(key: Self.key)) }
    }

    @Test func onlyLoopbackAddressesCount() {
        for host in ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "LOCALHOST", "::ffff:127.0.0.1"] {
            #expect(LocalAccess.isLoopback(host), "\(host)")
        }
        for host in [
            "0.0.0.0", "::", "", "192.168.1.10", "10.0.0.1", "example.org", "localhost.example.org", "127.0.0.1.nip.io",
            "128.0.0.1", "::2", "::ffff:10.0.0.1", "fe80::1",
        ] {
            #expect(!LocalAccess.isLoopback(host), "\(host)")
        }
        #expect(LocalAccess.hostName(ofAuthority: "127.0.0.1:8080") == "127.0.0.1")
        #expect(LocalAccess.hostName(ofAuthority: "[::1]:8080") == "[::1]")
        #expect(LocalAccess.hostName(ofAuthority: "localhost") == "localhost")
        #expect(LocalAccess.hostName(ofAuthority: "evil.example:80") == "evil.example")
    }

    @Test func localModeIsRefusedOnAnyOtherAddress() throws {
        var config = try TestService().config
        for host in ["0.0.0.0", "::", "192.168.1.10", "assay.example.org"] {
            config.host = host
            #expect(throws: LocalAccessError.self) { try config.allowLocalUser(LocalAccess()) }
            #expect(config.local == nil)
        }
        config.host = "127.0.0.1"
        try config.allowLocalUser(LocalAccess())
        #expect(config.local != nil)
        #expect(LocalAccess().key != LocalAccess().key)
        #expect(LocalAccess().key.hasPrefix("lk_") && LocalAccess().key.count > 40)
    }

    @Test func theKeyActsAsTheLocalUser() async throws {
        let service = try localService()
        // A project of the command line (no owner) and one of an account.
        _ = try await Projects(store: service.store).create(name: "From the CLI", for: .local)
        try await service.live { api in
            let page = try await api.call(.get, "/")
            #expect(String(buffer: page.body).contains(#"data-mode="local""#))
            let listed = try await api.call(.get, "/projects", token: Self.key)
            #expect(listed.status == .ok, "\(String(buffer: listed.body))")
            #expect(try listed.json()["items"]?.arrayValue?.map { $0["name"]?.stringValue } == ["From the CLI"])
            let created = try await api.call(.post, "/projects", token: Self.key, json: #"{"name":"From the page"}"#)
            #expect(created.status == .created)

            let account = try await api.register()
            _ = try await api.createProject(account, name: "Ada's")
            #expect(try await api.call(.get, "/projects", token: account.access).json()["items"]?.arrayValue?.count == 1)
            #expect(try await api.call(.get, "/projects", token: Self.key).json()["items"]?.arrayValue?.count == 2)

            try await api.call(.get, "/projects", token: Self.key + "x").problem(.unauthorized)
            try await api.call(.get, "/projects", token: String(Self.key.dropLast())).problem(.unauthorized)
            // The key is no account: the account routes need one.
            try await api.call(.get, "/auth/me", token: Self.key).problem(.unauthorized)
            // What the page made is the command line's (the store is closed once the service stops).
            let cli = try await Projects(store: service.store).list(for: .local).map(\.name)
            #expect(cli.sorted() == ["From the CLI", "From the page"])
        }
    }

    @Test func otherHostsAndOtherOriginsAreRefused() async throws {
        try await localService().live { api in
            let port = try #require(api.client.port)
            /// The status of a request sent as bytes, with exactly these headers (an HTTP client sets its own Host).
            func status(
                _ method: String = "GET", _ path: String = "/projects", host: String = "127.0.0.1", _ extra: [String] = []
            )
                async throws -> Int?
            {
                let connection = try RawConnection(port: port)
                let head = ["\(method) \(path) HTTP/1.1", "Host: \(host)", "Authorization: Bearer \(Self.key)", "Connection: close"]
                let body = method == "POST" ? #"{"name":"P\#(UUID().uuidString)"}"# : ""
                let request =
                    (head + extra + ["Content-Type: application/json", "Content-Length: \(body.utf8.count)"]).joined(separator: "\r\n")
                    + "\r\n\r\n" + body
                let (text, _) = await blocking {
                    connection.write(request)
                    return connection.readUntilClosed()
                }
                return text.httpStatus
            }
            #expect(try await status(host: "127.0.0.1:\(port)") == 200)
            #expect(try await status(host: "localhost:\(port)") == 200)
            #expect(try await status(host: "[::1]:\(port)") == 200)
            // DNS rebinding: a page of evil.example whose name now points here.
            #expect(try await status("GET", "/", host: "evil.example") == 403)
            #expect(try await status(host: "evil.example:\(port)") == 403)
            #expect(try await status(host: "127.0.0.1.evil.example") == 403)
            // Another site's page, seen or blind.
            #expect(try await status("POST", host: "127.0.0.1:\(port)", ["Origin: http://evil.example"]) == 403)
            #expect(try await status("POST", host: "127.0.0.1:\(port)", ["Origin: null"]) == 403)
            #expect(try await status("POST", host: "127.0.0.1:\(port)", ["Origin: http://localhost:\(port)"]) == 403)
            #expect(try await status("POST", host: "127.0.0.1:\(port)", ["Origin: http://127.0.0.1:\(port)"]) == 201)
            #expect(try await status(host: "127.0.0.1", ["Sec-Fetch-Site: cross-site"]) == 403)
            #expect(try await status(host: "127.0.0.1", ["Sec-Fetch-Site: same-site"]) == 403)
            // This machine's own page, a typed address, and a link followed to the page are fine.
            #expect(try await status(host: "127.0.0.1", ["Sec-Fetch-Site: same-origin"]) == 200)
            #expect(try await status("GET", "/", host: "127.0.0.1", ["Sec-Fetch-Site: none"]) == 200)
            #expect(try await status("GET", "/", host: "127.0.0.1", ["Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: navigate"]) == 200)
            #expect(try await status("POST", host: "127.0.0.1", ["Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: navigate"]) == 403)
        }
    }

    @Test func withoutLocalModeTheKeyIsNothing() async throws {
        try await TestService().live { api in
            try await api.call(.get, "/projects", token: Self.key).problem(.unauthorized)
            #expect(String(buffer: try await api.call(.get, "/").body).contains(#"data-mode="accounts""#))
        }
    }
}
