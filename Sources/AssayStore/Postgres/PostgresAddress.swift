import Foundation
import PostgresNIO

/// Where a PostgreSQL database is: parsed from `postgres://user:pass@host:port/db` (or
/// `postgresql://`). Its `description` leaves the password out, so an address can be logged
/// and printed as it is.
public struct PostgresAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var tls: TLSMode

    /// Whether the connection is encrypted, and whether the server's certificate is checked
    /// (`?sslmode=` in the URL, with libpq's meanings).
    public enum TLSMode: String, Sendable, Hashable {
        /// Never: a local or otherwise trusted network.
        case disable
        /// When the server offers it, its certificate unchecked (libpq's default: Debian's own
        /// cluster serves a self-signed one).
        case prefer
        /// Always, the certificate unchecked; refuse a server without TLS.
        case require
        /// Always, with a certificate signed by a trusted authority, for any host name.
        case verifyCA = "verify-ca"
        /// Always, with a trusted certificate for this host name.
        case verifyFull = "verify-full"
    }

    public init(host: String, port: Int = 5432, user: String, password: String? = nil, database: String, tls: TLSMode = .prefer) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.tls = tls
    }

    /// Whether `text` names a PostgreSQL database rather than a file.
    public static func isURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }

    /// Parses a `postgres://` or `postgresql://` URL. The user defaults to `postgres`, the host to
    /// localhost, the port to 5432 and the database to the user's name, as with libpq; user and
    /// password may be percent-encoded. Throws `StoreError.unavailable` naming what is wrong (never
    /// the password).
    public init(url text: String) throws {
        guard Self.isURL(text), let url = URLComponents(string: text) else {
            throw StoreError.unavailable("not a PostgreSQL URL (postgres://user:password@host:port/database): \(Self.redacted(text))")
        }
        user = url.percentEncodedUser.flatMap { $0.removingPercentEncoding } ?? "postgres"
        password = url.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        host = url.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        port = url.port ?? 5432
        let path = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        database = path.isEmpty ? user : path
        guard !database.contains("/") else {
            throw StoreError.unavailable("a PostgreSQL URL names one database after the host: \(Self.redacted(text))")
        }
        let mode = url.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        switch mode {
        case "allow": tls = .prefer
        default:
            guard let known = TLSMode(rawValue: mode) else {
                throw StoreError.unavailable("unknown sslmode '\(mode)' (disable, prefer, require, verify-ca or verify-full)")
            }
            tls = known
        }
    }

    /// The URL without its password: what logs and messages show.
    public var description: String {
        var url = URLComponents()
        url.scheme = "postgres"
        url.user = user
        if password != nil { url.password = "***" }
        url.host = host
        url.port = port
        url.path = "/" + database
        return url.string ?? "postgres://\(host):\(port)/\(database)"
    }

    /// `text` with whatever stands between `://user:` and `@` replaced, for messages about a URL
    /// that did not parse.
    static func redacted(_ text: String) -> String {
        guard let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].lastIndex(of: "@") else { return text }
        let credentials = text[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return text }
        return text[..<colon] + ":***" + text[at...]
    }
}
