import AssayCore
import AssayProviders
import AssayTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AssayServer

/// Refinement over HTTP: proposals from the feedback (with a word diff each), adopting one as a
/// new codebook version, and the before/after score; another's project is not found.
@Suite("Refinement routes")
struct RefinementRoutesTests {
    static let reply = #"{"proposals":[{"instructions":"Count the people who marched.","reasoning":"Arrests were counted."}]}"#

    @Test func proposeAdoptAndScore() async throws {
        let model = ScriptedProvider(
            steps: [], then: .respond { request in request.schemaName == "refinement" ? Self.reply : FakeModel.goodReply(for: request) })
        try await TestService(provider: model).test { api in
            let (ada, project, _, _) = try await ExtractionRoutesTests.coded(api)
            let refine = "/projects/\(project)/codebook/variables/participants/refine"
            try await api.call(.post, refine, token: ada.access).problem(.unprocessableContent, field: "variable")
            let list = try await api.call(.get, "/projects/\(project)/extractions?variable=participants&limit=1", token: ada.access).json()
            let id = try #require(list["items"]?.arrayValue?.first?["id"]?.doubleValue).rounded()
            let given = try await api.call(
                .post, "/extractions/\(Int64(id))/feedback", token: ada.access, json: #"{"verdict":"incorrect","corrected_value":350}"#)
            #expect(given.status == .created)

            let proposals = try await api.call(.post, refine, token: ada.access).json()
            let first = try #require(proposals["proposals"]?.arrayValue?.first)
            #expect(first["instructions"]?.stringValue == "Count the people who marched.")
            #expect(first["reasoning"]?.stringValue == "Arrests were counted.")
            #expect(first["diff"]?.arrayValue?.compactMap { $0["kind"]?.stringValue }.contains("added") == true)
            #expect(proposals["examples"]?.doubleValue == 1 && proposals["prompt_version"]?.stringValue == "assay-refine-v1")

            let adopted = try await api.call(
                .post, "/projects/\(project)/codebook/variables/participants/adopt", token: ada.access,
                json: #"{"instructions":"Count the people who marched."}"#)
            let version = try adopted.json()["version"]?.doubleValue
            #expect(adopted.status == .created && version == 2)
            // Hostile or empty bodies change nothing.
            let adopt = "/projects/\(project)/codebook/variables/participants/adopt"
            try await api.call(.post, adopt, token: ada.access, json: #"{"instructions":"   "}"#).problem(.unprocessableContent)
            try await api.call(.post, adopt, token: ada.access, json: #"{"instructions": ["#).problem(.badRequest)
            let huge = "{\"instructions\":\"" + String(repeating: "a", count: 2 << 20) + "\"}"
            try await api.call(.post, adopt, token: ada.access, json: huge).problem(.contentTooLarge)
            #expect(try await api.call(.get, "/projects/\(project)/codebook", token: ada.access).json()["version"]?.doubleValue == 2)
            let score = try await api.call(.get, "/projects/\(project)/feedback/score?variable=participants", token: ada.access).json()
            #expect(score["items"]?.arrayValue?.first?["reviewed"]?.doubleValue == 1)
            #expect(score["items"]?.arrayValue?.first?["before"]?.doubleValue == 0)

            let bob = try await api.register("bob@example.org")
            try await api.call(.post, refine, token: bob.access).problem(.notFound)
            try await api.call(.get, "/projects/\(project)/feedback/score", token: bob.access).problem(.notFound)
        }
    }

    /// Each proposal is a paid model request: an account past its limit gets 429 with Retry-After,
    /// and no request reaches the model; another account counts on its own.
    @Test func proposalsAreLimitedPerAccount() async throws {
        let model = ScriptedProvider(
            steps: [], then: .respond { request in request.schemaName == "refinement" ? Self.reply : FakeModel.goodReply(for: request) })
        try await TestService(provider: model, configure: { $0.assistant.requestsPerAccount = 2 }).test { api in
            let (ada, project, _, _) = try await ExtractionRoutesTests.coded(api)
            let list = try await api.call(.get, "/projects/\(project)/extractions?variable=participants&limit=1", token: ada.access).json()
            let id = Int64(try #require(list["items"]?.arrayValue?.first?["id"]?.doubleValue))
            _ = try await api.call(
                .post, "/extractions/\(id)/feedback", token: ada.access, json: #"{"verdict":"incorrect","corrected_value":350}"#)
            let refine = "/projects/\(project)/codebook/variables/participants/refine"
            for _ in 1...2 { #expect(try await api.call(.post, refine, token: ada.access).status == .ok) }
            let asked = await model.callCount
            let limited = try await api.call(.post, refine, token: ada.access)
            #expect(limited.status == .tooManyRequests)
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 > 0)
            #expect(await model.callCount == asked)
            // The co-pilot counts on the same budget.
            let suggest = try await api.call(
                .post, "/projects/\(project)/codebook/suggest", token: ada.access, json: #"{"question":"Who marched?"}"#)
            #expect(suggest.status == .tooManyRequests)
            #expect(await model.callCount == asked)
            // Another account's project is not found before anything is counted.
            let bob = try await api.register("bob@example.org")
            for _ in 1...3 { try await api.call(.post, refine, token: bob.access).problem(.notFound) }
        }
    }
}
