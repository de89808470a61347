import AssayService
import Foundation
import HTTPTypes
import Hummingbird

#if canImport(Glibc)
    import Glibc
#endif

/// Single-user local mode (`assay ui`): one person on their own machine opens the workbench
/// without an account and acts as the command line's user (`Requester.local`, the projects
/// without an owner).
///
/// What protects it:
/// - it is refused unless the service listens on a loopback address (`ServerConfig.allowLocalUser`),
///   and each request must come from a loopback peer;
/// - the requests must carry this launch's random key (`lk_…`, 256 bits), which `assay ui` prints
///   in the address's fragment (`#key=…`, never sent to the server, so never in a log or a
///   `Referer`); the page keeps it in `sessionStorage` and sends it as a bearer token. Another
///   user's process or a web page does not have it;
/// - `LocalOriginGuard` refuses a request whose `Host` is not a loopback name (DNS rebinding:
///   `evil.example` resolving to 127.0.0.1) and any request that a browser marks as coming from
///   another origin (`Origin`, `Sec-Fetch-Site`), so no other page can use the service even blind.
///
/// The WebSocket route (its own router) does not accept the key: whoever adds it there must check
/// `Origin` too, since browsers let any page open a WebSocket to any address.
public struct LocalAccess: Sendable, Hashable {
    /// The launch's key: whoever has it acts as the local user.
    public let key: String

    public static let keyPrefix = "lk_"

    /// A new random key.
    public init() {
        self.key = Secret.random(prefix: Self.keyPrefix)
    }

    /// A known key, for tests.
    package init(key: String) {
        self.key = key
    }

    /// Whether `credential` is the launch's key, compared in constant time.
    func accepts(_ credential: String) -> Bool {
        let given = Array(credential.utf8)
        let expected = Array(key.utf8)
        guard given.count == expected.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(given, expected) { difference |= a ^ b }
        return difference == 0
    }

    /// Whether `host` (an address to listen on, or a peer's address) is this machine's loopback:
    /// `localhost`, 127.0.0.0/8, `::1` (also as `[::1]` or IPv4-mapped). `0.0.0.0`, `::` and every
    /// other name or address are not.
    public static func isLoopback(_ host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name == "localhost" { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, name, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, name, &v6) == 1 {
            let bytes = withUnsafeBytes(of: v6) { Array($0) }
            if bytes == [UInt8](repeating: 0, count: 15) + [1] { return true }
            // ::ffff:127.x.y.z, as a dual-stack socket reports an IPv4 peer.
            return bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xff && bytes[11] == 0xff && bytes[12] == 127
        }
        return false
    }

    /// The host name of a `Host` header (`127.0.0.1:8080`, `[::1]:8080`, `localhost`).
    static func hostName(ofAuthority authority: String) -> String {
        if authority.hasPrefix("["), let end = authority.firstIndex(of: "]") {
            return String(authority[...end])
        }
        if let colon = authority.lastIndex(of: ":"), authority.firstIndex(of: ":") == colon {
            return String(authority[..<colon])
        }
        return authority
    }
}

/// Why local mode was refused.
public struct LocalAccessError: Error, CustomStringConvertible, Sendable {
    public let host: String
    public init(host: String) { self.host = host }
    public var description: String {
        "local mode serves only this machine: listen on 127.0.0.1, ::1 or localhost, not \(host) (without an account, anyone who reaches the port could act as you)"
    }
}

extension ServerConfig {
    /// Lets requests that carry `access.key` act as the local user. Refused unless the service
    /// listens on a loopback address; `buildApplication` checks again, in case `host` changed since.
    public mutating func allowLocalUser(_ access: LocalAccess) throws {
        guard LocalAccess.isLoopback(host) else { throw LocalAccessError(host: host) }
        local = access
    }
}

/// In local mode, in front of every route: the request must come from this machine, name this
/// machine in `Host`, and not come from another origin's page. 403 otherwise.
struct LocalOriginGuard: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try check(request, peer: context.clientAddress)
        return try await next(request, context)
    }

    /// `peer` is the client's address ("unknown" without a socket, which is refused too).
    func check(_ request: Request, peer: String) throws {
        guard LocalAccess.isLoopback(peer) else {
            throw APIProblem(.forbidden, "the local workbench answers only this machine")
        }
        guard let authority = request.head.authority, LocalAccess.isLoopback(LocalAccess.hostName(ofAuthority: authority)) else {
            throw APIProblem(
                .forbidden, "the local workbench answers only at 127.0.0.1, [::1] or localhost (the Host header names another)")
        }
        if let origin = request.headers[.origin], origin != "http://\(authority)" {
            throw APIProblem(.forbidden, "the local workbench answers only its own pages (the request came from \(origin.prefix(100)))")
        }
        // Browsers say where a request comes from; a navigation (a link followed, an address typed) is fine.
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], site != "same-origin", site != "none" {
            let navigation = request.headers[HTTPField.Name("Sec-Fetch-Mode")!] == "navigate" && request.method == .get
            guard navigation else {
                throw APIProblem(.forbidden, "the local workbench answers only its own pages (Sec-Fetch-Site: \(site.prefix(20)))")
            }
        }
    }
}
