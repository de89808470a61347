import AssayCore
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import AssayServer

/// Sharing and blind coding over HTTP: `/projects/{id}/members`, `/assignments` and
/// `/documents/{document}/codes`. A member whose role does not allow a request gets 403 naming
/// the role; anyone else 404, the same as for a missing project.
@Suite("Sharing and blind coding")
struct SharingRoutesTests {
    /// Ada's project with three coded documents, shared with Bob as coder, who is given doc1 and doc2 blind.
    struct Shared {
        var ada: API.Session
        var bob: API.Session
        var project: Int64
        var documents: [Int64]
    }

    static func shared(_ api: API) async throws -> Shared {
        let ada = try await api.register()
        let bob = try await api.register("bob@example.org")
        let (project, documents) = try await api.researchProject(ada, documents: 3)
        _ = try await api.runJob(ada, project: project, json: #"{"kind":"full","skip_sample":true}"#)
        let shared = try await api.call(
            .put, "/projects/\(project)/members", token: ada.access, json: #"{"email":"Bob@Example.org","role":"coder"}"#)
        #expect(shared.status == .ok, "\(String(buffer: shared.body))")
        #expect(try shared.json()["role"]?.stringValue == "coder")
        let assigned = try await api.call(
            .post, "/projects/\(project)/assignments", token: ada.access,
            json: #"{"email":"bob@example.org","document_ids":[\#(documents[0]),\#(documents[1])]}"#)
        #expect(assigned.status == .created, "\(String(buffer: assigned.body))")
        return Shared(ada: ada, bob: bob, project: project, documents: documents)
    }

    @Test func anOwnerSharesAssignsAndTheCoderCodesBlind() async throws {
        try await TestService().test { api in
            let s = try await Self.shared(api)
            let (project, ada, bob) = (s.project, s.ada, s.bob)
            let members = try await api.call(.get, "/projects/\(project)/members", token: ada.access).json()
            #expect(members["items"]?.arrayValue?.compactMap { $0["email"]?.stringValue } == ["ada@example.org", "bob@example.org"])
            #expect(members["items"]?.arrayValue?.compactMap { $0["creator"]?.boolValue } == [true, false])

            // Bob's list has the project with his role; Ada's says owner.
            let listed = try await api.call(.get, "/projects", token: bob.access).json()["items"]?.arrayValue ?? []
            #expect(listed.compactMap { $0["role"]?.stringValue } == ["coder"])
            #expect(try await api.call(.get, "/projects/\(project)", token: ada.access).json()["role"]?.stringValue == "owner")

            let mine = try await api.call(.get, "/projects/\(project)/assignments", token: bob.access).json()
            let work = try #require(mine["items"]?.arrayValue?.first)
            #expect(work["assigned"]?.doubleValue == 2)
            #expect(work["coded"]?.doubleValue == 0)
            #expect(work["items"]?.arrayValue?.allSatisfy { $0["blind"]?.boolValue == true } == true)

            let path = "/projects/\(project)/documents/\(s.documents[0])/codes"
            let coded = try await api.call(
                .put, path, token: bob.access, json: #"{"values":{"city":"City1","participants":"about 100","violence":false}}"#)
            #expect(coded.status == .ok, "\(String(buffer: coded.body))")
            let saved = try coded.json()["values"]
            #expect(
                saved?["city"] == "City1" && saved?["participants"] == "100" && saved?["violence"] == "false",
                "\(String(describing: saved))")
            #expect(try await api.call(.get, path, token: bob.access).json()["values"]?["city"]?.stringValue == "City1")
            _ = try await api.call(
                .put, "/projects/\(project)/documents/\(s.documents[1])/codes", token: bob.access,
                json: #"{"values":{"city":"City2","participants":250,"violence":true}}"#)

            // The owner sees Bob's progress and his codes in the agreement, with the model's.
            let all = try await api.call(.get, "/projects/\(project)/assignments", token: ada.access).json()
            #expect(all["items"]?.arrayValue?.first?["coded"]?.doubleValue == 2)
            let agreement = try await api.call(.get, "/projects/\(project)/agreement?resamples=100", token: ada.access).json()
            let city = try #require(agreement["items"]?.arrayValue?.first { $0["variable"]?.stringValue == "city" })
            #expect(city["people"]?.arrayValue?.compactMap(\.stringValue) == ["bob@example.org"])
            #expect(city["with_model"]?["units"]?.doubleValue == 2)

            // Removing Bob ends his access; the creator stays.
            try await api.call(.delete, "/projects/\(project)/members/\(ada.userID)", token: ada.access).problem(.conflict)
            let removed = try await api.call(.delete, "/projects/\(project)/members/\(bob.userID)", token: ada.access)
            #expect(removed.status == .noContent)
            try await api.call(.get, "/projects/\(project)", token: bob.access).problem(.notFound)
            try await api.call(.get, path, token: bob.access).problem(.notFound)
        }
    }

    @Test func aBlindCoderCannotReadTheModelsValuesByAnyRoute() async throws {
        try await TestService().test { api in
            let s = try await Self.shared(api)
            let (project, ada, bob) = (s.project, s.ada, s.bob)
            let values =
                try await api.call(.get, "/projects/\(project)/extractions?limit=500", token: ada.access).json()["items"]?
                .arrayValue ?? []
            let blindValues = values.filter { s.documents[0...1].contains(Int64($0["document_id"]?.doubleValue ?? 0)) }
            #expect(blindValues.count == 6)  // the owner sees them

            // Lists, the review queue and a document's filter leave them out.
            for query in ["", "?order=review", "?document=\(s.documents[0])", "?status=flagged", "?limit=500"] {
                let page = try await api.call(.get, "/projects/\(project)/extractions\(query)", token: bob.access)
                #expect(page.status == .ok)
                let items = try page.json()["items"]?.arrayValue ?? []
                #expect(items.allSatisfy { Int64($0["document_id"]?.doubleValue ?? 0) == s.documents[2] }, "\(query)")
            }
            #expect(try await api.call(.get, "/projects/\(project)/extractions", token: bob.access).json()["total"]?.doubleValue == 3)
            // One by one (with its evidence), and by every route that mixes all documents' values.
            for value in blindValues {
                let id = Int64(value["id"]?.doubleValue ?? 0)
                try await api.call(.get, "/extractions/\(id)", token: bob.access).problem(.notFound)
                try await api.call(.post, "/extractions/\(id)/feedback", token: bob.access, json: #"{"verdict":"correct"}"#).problem(
                    .notFound)
            }
            let job =
                try await api.call(.get, "/projects/\(project)/jobs", token: ada.access).json()["items"]?.arrayValue?.first?["id"]?
                .doubleValue ?? 0
            for path in [
                "/projects/\(project)/export?format=csv", "/projects/\(project)/export?format=jsonl", "/projects/\(project)/feedback",
                "/projects/\(project)/agreement", "/projects/\(project)/coders", "/projects/\(project)/jobs",
                "/projects/\(project)/spending", "/projects/\(project)/feedback/score", "/jobs/\(Int64(job))/events",
                "/jobs/\(Int64(job))", "/jobs/\(Int64(job))/stream",
            ] {
                let problem = try await api.call(.get, path, token: bob.access).problem(.forbidden)
                #expect(problem["detail"]?.stringValue?.contains("coder") == true, "\(path)")
            }
            // The document itself reads without values.
            let document = try await api.call(.get, "/documents/\(s.documents[0])", token: bob.access)
            #expect(document.status == .ok)
            #expect(try document.json()["text"]?.stringValue?.contains("City1") == true)
            #expect(!String(buffer: document.body).contains("confidence"))
        }
    }

    @Test func hostileRequestsAreRefused() async throws {
        try await TestService().test { api in
            let s = try await Self.shared(api)
            let (project, ada, bob) = (s.project, s.ada, s.bob)
            let carol = try await api.register("carol@example.org")
            let members = "/projects/\(project)/members"
            let assignments = "/projects/\(project)/assignments"
            let codes = "/projects/\(project)/documents/\(s.documents[0])/codes"

            // Not a member: the same 404 as a missing project, whatever the route.
            try await api.call(.get, members, token: carol.access).problem(.notFound)
            try await api.call(.put, members, token: carol.access, json: #"{"email":"carol@example.org","role":"owner"}"#).problem(
                .notFound)
            try await api.call(.delete, "\(members)/\(bob.userID)", token: carol.access).problem(.notFound)
            try await api.call(.post, assignments, token: carol.access, json: #"{"email":"bob@example.org","count":1}"#).problem(.notFound)
            try await api.call(.get, assignments, token: carol.access).problem(.notFound)
            try await api.call(.get, codes, token: carol.access).problem(.notFound)
            try await api.call(.put, codes, token: carol.access, json: #"{"values":{}}"#).problem(.notFound)
            try await api.call(.get, "/projects/999/members", token: ada.access).problem(.notFound)

            // A coder trying an owner's action: 403, saying the role.
            let refused = try await api.call(
                .put, members, token: bob.access, json: #"{"email":"carol@example.org","role":"owner"}"#
            ).problem(.forbidden)
            #expect(refused["detail"]?.stringValue?.contains("coder") == true)
            try await api.call(.get, members, token: bob.access).problem(.forbidden)
            try await api.call(.delete, "\(members)/\(ada.userID)", token: bob.access).problem(.forbidden)
            try await api.call(.post, assignments, token: bob.access, json: #"{"email":"bob@example.org","count":1}"#).problem(.forbidden)
            try await api.call(.post, "/projects/\(project)/jobs", token: bob.access, json: #"{"kind":"sample"}"#).problem(.forbidden)
            try await api.call(.delete, "/projects/\(project)", token: bob.access).problem(.forbidden)
            try await api.call(.patch, "/projects/\(project)", token: bob.access, json: #"{"name":"Bob's"}"#).problem(.forbidden)
            try await api.call(.delete, "/documents/\(s.documents[2])", token: bob.access).problem(.forbidden)
            // A document not assigned to him: not found.
            try await api.call(.put, "/projects/\(project)/documents/\(s.documents[2])/codes", token: bob.access, json: #"{"values":{}}"#)
                .problem(.notFound)

            // Malformed, oversized, wrong and NUL-bearing bodies.
            try await api.call(.put, members, token: ada.access, json: #"{"email":"#).problem(.badRequest)
            try await api.call(.put, members, token: ada.access, json: #"{"email":"bob@example.org","role":"admin"}"#).problem(
                .unprocessableContent, field: "role")
            try await api.call(.put, members, token: ada.access).problem(.badRequest)
            let huge = #"{"email":""# + String(repeating: "a", count: 2 << 20) + #"","role":"coder"}"#
            try await api.call(.put, members, token: ada.access, json: huge).problem(.contentTooLarge)
            try await api.call(.put, members, token: ada.access, json: #"{"email":"a\u0000b@example.org","role":"coder"}"#).problem(
                .unprocessableContent, field: "email")
            let unknown = try await api.call(
                .put, members, token: ada.access, json: #"{"email":"nobody@example.org","role":"coder"}"#
            ).problem(.notFound)
            #expect(unknown["detail"]?.stringValue?.contains("no account has the email nobody@example.org") == true)
            try await api.call(.put, members, token: ada.access, json: #"{"email":"ada@example.org","role":"viewer"}"#).problem(
                .unprocessableContent, field: "email")
            try await api.call(.delete, "\(members)/abc", token: ada.access).problem(.notFound)
            try await api.call(.delete, "\(members)/\(carol.userID)", token: ada.access).problem(.notFound)

            try await api.call(.post, assignments, token: ada.access, json: #"{"email":"bob@example.org"}"#).problem(
                .unprocessableContent, field: "document_ids")
            try await api.call(.post, assignments, token: ada.access, json: #"{"email":"bob@example.org","count":0}"#).problem(
                .unprocessableContent, field: "count")
            try await api.call(.post, assignments, token: ada.access, json: #"{"email":"carol@example.org","count":1}"#).problem(
                .unprocessableContent, field: "email")
            // Another project's document is no document of this one.
            let (other, otherDocuments) = try await api.researchProject(carol, documents: 1)
            _ = other
            try await api.call(
                .post, assignments, token: ada.access, json: #"{"email":"bob@example.org","document_ids":[\#(otherDocuments[0])]}"#
            ).problem(.unprocessableContent, field: "document_ids")
            try await api.call(.post, assignments, token: ada.access, json: "[1,2").problem(.badRequest)

            try await api.call(.put, codes, token: bob.access, json: #"{"values":{"nope":"x"}}"#).problem(
                .unprocessableContent, field: "values.nope")
            try await api.call(.put, codes, token: bob.access, json: #"{"values":{"participants":"many"}}"#).problem(
                .unprocessableContent, field: "values.participants")
            try await api.call(.put, codes, token: bob.access, json: #"{"values":{"city":"a\u0000b"}}"#).problem(.unprocessableContent)
            try await api.call(.put, codes, token: bob.access, json: #"{"values":"#).problem(.badRequest)
            let long = #"{"values":{"city":""# + String(repeating: "a", count: 2 << 20) + #""}}"#
            try await api.call(.put, codes, token: bob.access, json: long).problem(.contentTooLarge)
            #expect(try await api.call(.get, codes, token: bob.access).json()["values"]?.objectValue?.isEmpty == true)
        }
    }
}
