import AssayCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AssayServer

@Suite("Accounts: register, login, tokens, API keys")
struct AccountRoutesTests {
    @Test func registerLoginAndMe() async throws {
        try await TestService().test { api in
            let registered = try await api.call(.post, "/auth/register", json: #"{"email":"Ada@Example.org","password":"correct horse"}"#)
            #expect(registered.status == .accepted)
            #expect(try registered.json()["email"]?.stringValue == "ada@example.org")
            #expect(try registered.json()["access_token"] == nil)
            let session = try await api.login()
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
        }
    }

    /// NIST SP 800-63B: at least 8 characters, no common or guessable passwords, no composition rules.
    @Test(arguments: [
        ("password", "common"), ("12345678", "run"), ("        ", "repeated"), ("aaaaaaaaaa", "repeated"),
        ("abcdefgh", "run"), ("Password1", "common"), ("iloveyou", "common"), ("ada@example.org", "email"),
        ("my ada@example.org!", "email"), ("Ada.1234", "email"), ("assay2024", "service"), ("seven77", "at least 8"),
    ])
    func weakPasswordsAreRefusedNamingTheRule(password: String, rule: String) async throws {
        try await TestService().test { api in
            let problem = try await api.call(.post, "/auth/register", json: #"{"email":"ada@example.org","password":"\#(password)"}"#)
                .problem(.unprocessableContent, field: "password")
            #expect(problem["detail"]?.stringValue?.contains(rule) == true, "\(problem)")
        }
    }

    @Test func longAndUnusualPasswordsAreAccepted() async throws {
        try await TestService().test { api in
            // No composition rules; more than bcrypt's 72 bytes still counts in full.
            let long = String(repeating: "ünïcode words ", count: 10)
            _ = try await api.register("long@example.org", password: long)
            try await api.call(.post, "/auth/login", json: #"{"email":"long@example.org","password":"\#(long.dropLast(2))"}"#)
                .problem(.unauthorized)
            _ = try await api.register("plain@example.org", password: "horse battery staple")
        }
    }

    @Test func registeringATakenEmailAnswersLikeANewOne() async throws {
        try await TestService().test { api in
            let fresh = try await api.call(.post, "/auth/register", json: #"{"email":"ada@example.org","password":"correct horse"}"#)
            let taken = try await api.call(.post, "/auth/register", json: #"{"email":"ADA@example.org","password":"another one"}"#)
            #expect(fresh.status == .accepted && taken.status == fresh.status)
            #expect(String(buffer: taken.body) == String(buffer: fresh.body))
            // The account keeps its password.
            _ = try await api.login(password: "correct horse")
            try await api.call(.post, "/auth/login", json: #"{"email":"ada@example.org","password":"another one"}"#).problem(.unauthorized)
        }
    }

    @Test func wrongPasswordAndUnknownEmailAnswerTheSameAfterTheSameWork() async throws {
        try await TestService().test { api in
            _ = try await api.register()
            let hasher = api.parts.hasher
            let before = hasher.verifications
            let wrong = try await api.call(.post, "/auth/login", json: #"{"email":"ada@example.org","password":"wrong password"}"#)
                .problem(.unauthorized)
            #expect(hasher.verifications == before + 1)
            let unknown = try await api.call(.post, "/auth/login", json: #"{"email":"bob@example.org","password":"wrong password"}"#)
                .problem(.unauthorized)
            // The unknown email's password was checked too (against a decoy hash), so it takes as long.
            #expect(hasher.verifications == before + 2)
            #expect(wrong["detail"] == unknown["detail"])
        }
    }

    @Test func wrongPasswordsForOneAccountAreLimited() async throws {
        var service = try TestService()
        service.config.login.failuresPerAccount = 5
        service.config.login.attemptsPerClient = 100
        try await service.test { api in
            _ = try await api.register()
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<30 {
                let response = try await api.call(.post, "/auth/login", json: #"{"email":"ada@example.org","password":"wrong password"}"#)
                statuses.append(response.status)
                if response.status == .tooManyRequests {
                    try response.problem(.tooManyRequests)
                    #expect(Int(response.headers[.retryAfter] ?? "") ?? 0 > 0)
                }
            }
            #expect(statuses.prefix(5).allSatisfy { $0 == .unauthorized })
            #expect(statuses.dropFirst(5).allSatisfy { $0 == .tooManyRequests })
            // The right password waits too: the limit is on the account, not on wrong guesses alone.
            try await api.call(.post, "/auth/login", json: #"{"email":"ada@example.org","password":"correct horse"}"#)
                .problem(.tooManyRequests)
            // Another account is not affected.
            _ = try await api.register("bob@example.org")
        }
    }

    @Test func oneClientTryingManyAccountsIsLimited() async throws {
        var service = try TestService()
        service.config.login.attemptsPerClient = 4
        try await service.test { api in
            for i in 0..<4 {
                try await api.call(.post, "/auth/login", json: #"{"email":"user\#(i)@example.org","password":"wrong password"}"#)
                    .problem(.unauthorized)
            }
            let limited = try await api.call(.post, "/auth/login", json: #"{"email":"user9@example.org","password":"wrong password"}"#)
            try limited.problem(.tooManyRequests)
            #expect(limited.headers[.retryAfter] != nil)
            try await api.call(.post, "/auth/register", json: #"{"email":"new@example.org","password":"correct horse"}"#)
                .problem(.tooManyRequests)
            let metrics = String(buffer: try await api.call(.get, "/metrics").body)
            #expect(metrics.contains(#"assay_login_attempts_total{outcome="limited"} 1"#))
            #expect(metrics.contains(#"assay_login_attempts_total{outcome="failure"} 4"#))
        }
    }

    @Test func aFullHashingQueueAnswers503AtOnce() async throws {
        var service = try TestService()
        service.config.login.maxPendingHashes = 0
        try await service.test { api in
            let busy = try await api.call(.post, "/auth/login", json: #"{"email":"ada@example.org","password":"correct horse"}"#)
            try busy.problem(.serviceUnavailable)
            #expect(busy.headers[.retryAfter] == "1")
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

    @Test func logoutRevokesTheAccessTokenAtOnce() async throws {
        try await TestService().test { api in
            let session = try await api.register()
            let other = try await api.login()
            #expect(try await api.call(.get, "/auth/me", token: session.access).status == .ok)
            // With a refresh token: that session ends, access token included; the other lives on.
            let logout = try await api.call(.post, "/auth/logout", token: session.access, json: #"{"refresh_token":"\#(session.refresh)"}"#)
            #expect(logout.status == .noContent)
            try await api.call(.get, "/auth/me", token: session.access).problem(.unauthorized)
            #expect(try await api.call(.get, "/auth/me", token: other.access).status == .ok)
            // Without one: every session ends.
            let third = try await api.login()
            #expect(try await api.call(.post, "/auth/logout", token: other.access).status == .noContent)
            for token in [other.access, third.access] {
                try await api.call(.get, "/auth/me", token: token).problem(.unauthorized)
            }
            for refresh in [other.refresh, third.refresh] {
                try await api.call(.post, "/auth/refresh", json: #"{"refresh_token":"\#(refresh)"}"#).problem(.unauthorized)
            }
            // Signing in again works.
            #expect(try await api.call(.get, "/auth/me", token: try await api.login().access).status == .ok)
        }
    }

    @Test func changingThePasswordEndsEverySession() async throws {
        try await TestService().test { api in
            let session = try await api.register()
            let other = try await api.login()
            try await api.call(
                .post, "/auth/password", token: session.access,
                json: #"{"current_password":"wrong password","new_password":"a new long phrase"}"#
            )
            .problem(.unprocessableContent, field: "current_password")
            try await api.call(
                .post, "/auth/password", token: session.access,
                json: #"{"current_password":"correct horse","new_password":"12345678"}"#
            )
            .problem(.unprocessableContent, field: "new_password")
            let changed = try await api.call(
                .post, "/auth/password", token: session.access,
                json: #"{"current_password":"correct horse","new_password":"a new long phrase"}"#)
            #expect(changed.status == .ok)
            let fresh = try #require(try changed.json()["access_token"]?.stringValue)
            for token in [session.access, other.access] {
                try await api.call(.get, "/auth/me", token: token).problem(.unauthorized)
            }
            try await api.call(.post, "/auth/refresh", json: #"{"refresh_token":"\#(other.refresh)"}"#).problem(.unauthorized)
            #expect(try await api.call(.get, "/auth/me", token: fresh).status == .ok)
            try await api.call(.post, "/auth/login", json: #"{"email":"ada@example.org","password":"correct horse"}"#).problem(
                .unauthorized)
            _ = try await api.login(password: "a new long phrase")
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
