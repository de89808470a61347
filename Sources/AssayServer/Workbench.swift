import AssayCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The researcher's workbench in the browser: HTML, CSS and JavaScript modules compiled into the
/// binary (`Resources/ui`, SwiftPM's `embedInCode`), served at `/` and `/ui/NAME`. The pages have
/// no logic of their own: they call the JSON API of the same origin, as curl or the CLI would.
///
/// Every answer carries a Content-Security-Policy that allows only this origin's scripts, styles
/// and requests — no inline script, no other origin, no framing — and headers that stop
/// sniffing and referrers. Assets are found by exact name in a fixed table, so no path reaches
/// the file system; each has an ETag, and `no-cache` makes the browser ask again (a 304 when
/// unchanged), so a new `assay` never runs with an old page's scripts.
enum Workbench {
    struct Asset: Sendable {
        let bytes: [UInt8]
        let contentType: String
        let etag: String

        init(_ bytes: [UInt8], _ contentType: String) {
            self.bytes = bytes
            self.contentType = contentType
            self.etag = "\"" + Hashing.sha256(Data(bytes)).prefix(24) + "\""
        }
    }

    static let html = "text/html; charset=utf-8"
    static let javascript = "text/javascript; charset=utf-8"
    static let css = "text/css; charset=utf-8"
    static let svg = "image/svg+xml"

    /// Every file of `Resources/ui` by name (a test checks that none is missing).
    static let assets: [String: Asset] = [
        "index.html": Asset(PackageResources.index_html, html),
        "app.css": Asset(PackageResources.app_css, css),
        "icon.svg": Asset(PackageResources.icon_svg, svg),
        "app.js": Asset(PackageResources.app_js, javascript),
        "api.js": Asset(PackageResources.api_js, javascript),
        "session.js": Asset(PackageResources.session_js, javascript),
        "dom.js": Asset(PackageResources.dom_js, javascript),
        "signin.js": Asset(PackageResources.signin_js, javascript),
        "projects.js": Asset(PackageResources.projects_js, javascript),
        "project.js": Asset(PackageResources.project_js, javascript),
        "exports.js": Asset(PackageResources.exports_js, javascript),
        "review.js": Asset(PackageResources.review_js, javascript),
        "refine.js": Asset(PackageResources.refine_js, javascript),
        "quality.js": Asset(PackageResources.quality_js, javascript),
        "evidence.js": Asset(PackageResources.evidence_js, javascript),
        "sharing.js": Asset(PackageResources.sharing_js, javascript),
        "code.js": Asset(PackageResources.code_js, javascript),
        "codebook.js": Asset(PackageResources.codebook_js, javascript),
    ]

    /// The page, saying which mode the service is in (`accounts`, or `local` for `assay ui`).
    static func index(local: Bool) -> Asset {
        local ? localIndex : accountsIndex
    }
    private static let accountsIndex = Asset(PackageResources.index_html, html)
    private static let localIndex = Asset(
        Array(
            String(decoding: PackageResources.index_html, as: UTF8.self).replacingOccurrences(
                of: #"data-mode="accounts""#, with: #"data-mode="local""#
            ).utf8),
        html)

    /// Only this origin; nothing inline; no plug-ins, frames, or other origins' fonts and images.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    static func addRoutes(to router: Router<AppRequestContext>, local: Bool) {
        let page = index(local: local)
        router.get("/") { request, _ in response(page, for: request) }
        router.get("/ui/:name") { request, context in
            guard let name = context.parameters.get("name"), let asset = assets[name], name != "index.html" else {
                throw APIProblem.notFound("page")
            }
            return response(asset, for: request)
        }
    }

    static func response(_ asset: Asset, for request: Request) -> Response {
        var headers: HTTPFields = [
            .contentType: asset.contentType,
            .cacheControl: "no-cache",
            .eTag: asset.etag,
            .contentSecurityPolicy: contentSecurityPolicy,
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            HTTPField.Name("X-Frame-Options")!: "DENY",
            HTTPField.Name("Referrer-Policy")!: "no-referrer",
            HTTPField.Name("Cross-Origin-Opener-Policy")!: "same-origin",
            HTTPField.Name("Cross-Origin-Resource-Policy")!: "same-origin",
        ]
        if let tags = request.headers[.ifNoneMatch],
            tags.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == asset.etag })
        {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentLength] = String(asset.bytes.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: asset.bytes)))
    }
}
