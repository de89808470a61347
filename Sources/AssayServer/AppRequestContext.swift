import AssayService
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// Who a request acts for, once authenticated.
public struct Identity: Sendable, Hashable {
    public var userID: Int64
    public var email: String
    public var role: String
    /// True when the request carried an API key rather than an access token.
    public var viaAPIKey: Bool
    /// The access token's id and expiry, so logout can revoke exactly it.
    public var tokenID: String? = nil
    public var tokenExpires: Date? = nil

    /// The use cases' requester: this account, seeing patterns when the configuration grants it.
    func requester(_ patterns: PatternAccess) -> Requester {
        .account(userID: userID, email: email, seesPatterns: patterns.allows(self))
    }
}

/// The request context of every route: Hummingbird's core storage plus the identity.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Identity?
    /// Who the use cases act for: set with the identity by `AuthMiddleware`.
    package var requester: Requester?
    /// The peer's IP address, which sign-in limits count by ("unknown" when there is no socket,
    /// as in router tests). Proxies' X-Forwarded-For is not trusted: anyone can send one.
    public let clientAddress: String

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.identity = nil
        self.requester = nil
        self.clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    public var requestDecoder: JSONDecoder { APIJSON.decoder() }
    public var responseEncoder: JSONEncoder { APIJSON.encoder() }

    /// The identity, or 401 for a route that forgot its authentication middleware.
    func requireIdentity() throws -> Identity {
        guard let identity else { throw APIProblem.unauthorized("sign in first: send Authorization: Bearer TOKEN") }
        return identity
    }

    /// The requester, or 401 for a route that forgot its authentication middleware.
    func requireRequester() throws -> Requester {
        guard let requester else { throw APIProblem.unauthorized("sign in first: send Authorization: Bearer TOKEN") }
        return requester
    }
}

/// The service's JSON: ISO 8601 dates, sorted keys so responses are stable.
enum APIJSON {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
