import AssayCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AssayServer

@Suite("Projects: CRUD and per-user isolation")
struct ProjectRoutesTests {
    @Test func createListGetUpdateDelete() async throws {
        try await TestService().test { api in
            let ada = try await api.register()
            let id = try await api.createProject(ada, name: "Protests")
            let got = try await api.call(.get, "/projects/\(id)", token: ada.access).json()
            #expect(got["name"]?.stringValue == "Protests" && got["status"]?.stringValue == "created")
            let patched = try await api.call(.patch, "/projects/\(id)", token: ada.access, json: #"{"description":"2024 coverage"}"#)
            #expect(try patched.json()["description"]?.stringValue == "2024 coverage")
            #expect(try patched.json()["name"]?.stringValue == "Protests")
            #expect(try await api.call(.get, "/projects", token: ada.access).json()["items"]?.arrayValue?.count == 1)
            #expect(try await api.call(.delete, "/projects/\(id)", token: ada.access).status == .noContent)
            try await api.call(.get, "/projects/\(id)", token: ada.access).problem(.notFound)
        }
    }

    @Test func validationAndConflicts() async throws {
        try await TestService().test { api in
            let ada = try await api.register()
            try await api.call(.post, "/projects", token: ada.access, json: #"{"name":"   "}"#).problem(
                .unprocessableContent, field: "name")
            try await api.call(.post, "/projects", token: ada.access, json: #"{"description":"x"}"#).problem(
                .unprocessableContent, field: "name")
            // A NUL would cut the name to "a" in the store: refused, nothing created.
            try await api.call(.post, "/projects", token: ada.access, json: #"{"name":"a\u0000b"}"#).problem(
                .unprocessableContent, field: "name")
            #expect(try await api.call(.get, "/projects", token: ada.access).json()["items"]?.arrayValue?.isEmpty == true)
            _ = try await api.createProject(ada, name: "Pilot")
            try await api.call(.post, "/projects", token: ada.access, json: #"{"name":"Pilot"}"#).problem(.conflict, field: "name")
            try await api.call(.get, "/projects/abc", token: ada.access).problem(.notFound)
            // Another user may use the same name: names are per owner.
            let bob = try await api.register("bob@example.org")
            _ = try await api.createProject(bob, name: "Pilot")
        }
    }

    @Test func anotherUsersProjectIsNotFound() async throws {
        try await TestService().test { api in
            let ada = try await api.register()
            let bob = try await api.register("bob@example.org")
            let id = try await api.createProject(ada, name: "Secret study")
            let get = try await api.call(.get, "/projects/\(id)", token: bob.access).problem(.notFound)
            let detail = get["detail"]?.stringValue ?? ""
            #expect(detail.contains("Secret") == false)
            try await api.call(.patch, "/projects/\(id)", token: bob.access, json: #"{"name":"mine"}"#).problem(.notFound)
            try await api.call(.delete, "/projects/\(id)", token: bob.access).problem(.notFound)
            #expect(try await api.call(.get, "/projects", token: bob.access).json()["items"]?.arrayValue?.isEmpty == true)
            #expect(try await api.call(.get, "/projects/\(id)", token: ada.access).status == .ok)
        }
    }
}
