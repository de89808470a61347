import AssayCore
@testable import AssayServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Accounts: register, login, tokens, API keys")
struct AccountRoutesTests {
    @Test func registerLoginAndMe() async throws {
        try await TestService().test { api in
            let session = try await api.register("Ada@Example.org")
            #expect(!session.access.isEmpty && session.refresh.hasPrefix("rt_"))
            let me = try await api.call(.get, "/auth/me", token: session.access).json()
            #expect(me["email"]?.stringValue == "ada@example.org")
            #expect(me["role"]?.stringValue == "user")
            let login = try await api.call(.post, "/auth/login", json: #"{"email":"ada@example.org","password":"correct horse"}"#)
            #expect(login.status == .ok)
            #expect(try login.json()["expires_in"]?.doubleValue == 900)
        }
    }

    @Test func registrationValidatesEveryField() async throws {
        try await TestService().test { api in
            try await api.call(.post, "/auth/register", json: #"{"email":"not-an-email","password":"long enough"}"#)
                .problem(.unprocessableContent, field: "email")
            try await api.call(.post, "/auth/register", json: #"{"email":"a@b.org","password":"short"}"#)
                .problem(.unprocessableContent, field: "password")
            try await api.call(.post, "/auth/register", json: #"{"email":"a@b.org"}"#)
                .problem(.unprocessableContent, field: "password")
            try await api.call(.post, "/auth/register", json: #"{"email":"a@b.org","password":12345678}"#)
                .problem(.unprocessableContent, field: "password")
            try await api.call(.post, "/auth/register", json: "{not json").problem(.badRequest)
            try await api.call(.post, "/auth/register").problem(.badRequest, field: "body")
            _ = try await api.register("a@b.org")
            try await api.call(.post, "/auth/register", json: #"{"email":"A@B.org","password":"another one"}"#)
                .problem(.conflict, field: "email")
        }
    }

    @Test func wrongPasswordAndUnknownEmailAnswerTheSame() async throws {
        try await TestService().test { api in
            _ = try await api.register()
            let wrong = try await api.call(.post, "/auth/login", json: #"{"email":"ada@example.org","password":"wrong password"}"#)
                .problem(.unauthorized)
            let unknown = try await api.call(.post, "/auth/login", json: #"{"email":"bob@example.org","password":"wrong password"}"#)
                .problem(.unauthorized)
            #expect(wrong["detail"] == unknown["detail"])
        }
    }

    @Test func refreshRotatesAndLogoutEndsTheSession() async throws {
        try await TestService().test { api in
            let session = try await api.register()
            let refreshed = try await api.call(.post, "/auth/refresh", json: #"{"refresh_token":"\#(session.refresh)"}"#)
            #expect(refreshed.status == .ok)
            let next = try #require(try refreshed.json()["refresh_token"]?.stringValue)
            // The old refresh token is used up.
            try await api.call(.post, "/auth/refresh", json: #"{"refresh_token":"\#(session.refresh)"}"#).problem(.unauthorized)
            let logout = try await api.call(.post, "/auth/logout", token: session.access, json: #"{"refresh_token":"\#(next)"}"#)
            #expect(logout.status == .noContent)
            try await api.call(.post, "/auth/refresh", json: #"{"refresh_token":"\#(next)"}"#).problem(.unauthorized)
            try await api.call(.post, "/auth/refresh", json: #"{}"#).problem(.unprocessableContent, field: "refresh_token")
        }
    }

    @Test func badExpiredAndForgedTokensAreRefused() async throws {
        var expired = try TestService()
        expired.config.accessTokenLifetime = .seconds(-60)
        try await expired.test { api in
            let session = try await api.register()
            try await api.call(.get, "/projects", token: session.access).problem(.unauthorized)
        }
        try await TestService().test { api in
            let session = try await api.register()
            var forged = session.access
            forged.removeLast(3)
            forged += "abc"
            try await api.call(.get, "/projects", token: forged).problem(.unauthorized)
            try await api.call(.get, "/projects", headers: [.authorization: "Basic abc"]).problem(.unauthorized)
            try await api.call(.get, "/projects", token: "ak_not-a-key").problem(.unauthorized)
        }
    }

    @Test func apiKeysAuthenticateServicesUntilDeleted() async throws {
        try await TestService().test { api in
            let session = try await api.register()
            try await api.call(.post, "/auth/api-keys", token: session.access, json: #"{"name":"  "}"#)
                .problem(.unprocessableContent, field: "name")
            let created = try await api.call(.post, "/auth/api-keys", token: session.access, json: #"{"name":"scheduler"}"#)
            #expect(created.status == .created)
            let secret = try #require(try created.json()["secret"]?.stringValue)
            let keyID = Int64(try #require(try created.json()["key"]?["id"]?.doubleValue))
            #expect(try await api.call(.get, "/projects", headers: [HTTPField.Name("X-API-Key")!: secret]).status == .ok)
            #expect(try await api.call(.get, "/auth/me", token: secret).status == .ok)
            let list = try await api.call(.get, "/auth/api-keys", token: session.access).json()
            #expect(list["items"]?.arrayValue?.count == 1)
            #expect(list["items"]?[0]?["secret"] == nil)
            // Another user cannot delete it.
            let bob = try await api.register("bob@example.org")
            try await api.call(.delete, "/auth/api-keys/\(keyID)", token: bob.access).problem(.notFound)
            #expect(try await api.call(.delete, "/auth/api-keys/\(keyID)", token: session.access).status == .noContent)
            try await api.call(.get, "/projects", token: secret).problem(.unauthorized)
        }
    }
}

extension JSONValue {
    subscript(index: Int) -> JSONValue? {
        guard let array = arrayValue, array.indices.contains(index) else { return nil }
        return array[index]
    }
}
