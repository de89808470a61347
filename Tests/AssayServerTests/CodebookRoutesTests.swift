import AssayCore
import AssayTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import AssayServer

@Suite("Codebook: import/export, variables, versions, prompt")
struct CodebookRoutesTests {
    @Test func importExportAndVersions() async throws {
        try await TestService().test { api in
            let ada = try await api.register()
            let project = try await api.createProject(ada)
            try await api.call(.get, "/projects/\(project)/codebook", token: ada.access).problem(.notFound)
            let put = {
                try await api.call(
                    .put, "/projects/\(project)/codebook", token: ada.access,
                    body: ByteBuffer(string: try Protests.codebookYAML), headers: [.contentType: "application/yaml"])
            }
            #expect(try await put().status == .created)
            #expect(try await put().status == .ok)
            let current = try await api.call(.get, "/projects/\(project)/codebook", token: ada.access).json()
            #expect(current["version"]?.doubleValue == 1)
            #expect(current["codebook"]?["variables"]?.arrayValue?.count == 3)
            #expect(try await api.call(.get, "/projects/\(project)", token: ada.access).json()["status"]?.stringValue == "schema_defined")

            let export = try await api.call(.get, "/projects/\(project)/codebook/export", token: ada.access)
            #expect(export.headers[.contentType]?.hasPrefix("application/yaml") == true)
            let yaml = String(buffer: export.body)
            #expect(yaml.contains("name: city") && yaml.contains("The city where"))
            let csv = try await api.call(.get, "/projects/\(project)/codebook/export?format=csv", token: ada.access)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.headers[.contentDisposition] == "attachment; filename=\"codebook.csv\"")
            let qdc = try await api.call(.get, "/projects/\(project)/codebook/export?format=qdc", token: ada.access)
            #expect(String(buffer: qdc.body).contains("urn:QDA-XML:codebook:1.0"))
            // The CSV imports back unchanged: the same version.
            let again = try await api.call(
                .put, "/projects/\(project)/codebook", token: ada.access, body: csv.body, headers: [.contentType: "text/csv"])
            #expect(again.status == .ok)
            try await api.call(.get, "/projects/\(project)/codebook/export?format=docx", token: ada.access).problem(
                .unprocessableContent, field: "format")

            let prompt = try await api.call(.get, "/projects/\(project)/codebook/prompt", token: ada.access).json()
            #expect(prompt["messages"]?.arrayValue?.isEmpty == false)
            #expect(prompt["schema"]?["type"]?.stringValue == "object")
            let before = prompt["prompt_hash"]?.stringValue

            let added = try await api.call(
                .post, "/projects/\(project)/codebook/variables", token: ada.access,
                json: """
                    {"name":"target","display_name":"Target","type":"category","instructions":"Who the protest addresses.",
                     "categories":[{"code":"gov","label":"Government"},{"code":"firm"}],"confidence_threshold":0.8,
                     "if_uncertain":"flag","if_multiple_values":"all","max_values":2,"required":true,
                     "depends_on":{"variable":"violence","equals":false}}
                    """)
            #expect(added.status == .created, "\(String(buffer: added.body))")
            #expect(try added.json()["version"]?["version"]?.doubleValue == 2)
            let after = try await api.call(.get, "/projects/\(project)/codebook/prompt", token: ada.access).json()
            #expect(after["prompt_hash"]?.stringValue != before)

            let target = try await api.call(.get, "/projects/\(project)/codebook/variables/target", token: ada.access).json()
            #expect(target["categories"]?.arrayValue?.count == 2 && target["max_values"]?.doubleValue == 2)
            #expect(target["if_multiple_values"]?.stringValue == "all")

            let replaced = try await api.call(
                .put, "/projects/\(project)/codebook/variables/target", token: ada.access,
                json: #"{"name":"addressee","type":"text","instructions":"Who is addressed.","validation":{"max_length":40}}"#)
            #expect(replaced.status == .ok, "\(String(buffer: replaced.body))")
            #expect(try await api.call(.delete, "/projects/\(project)/codebook/variables/addressee", token: ada.access).status == .ok)
            let variables = try await api.call(.get, "/projects/\(project)/codebook/variables", token: ada.access).json()
            #expect(variables["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["city", "participants", "violence"])
            let versions = try await api.call(.get, "/projects/\(project)/codebook/versions", token: ada.access).json()
            #expect(versions["items"]?.arrayValue?.compactMap { $0["version"]?.doubleValue } == [1, 2, 3, 4])
        }
    }

    @Test func invalidCodebooksNameTheField() async throws {
        try await TestService().test { api in
            let ada = try await api.register()
            let project = try await api.createProject(ada)
            try await api.call(
                .put, "/projects/\(project)/codebook", token: ada.access,
                body: ByteBuffer(string: "variables:\n  - name: x\n    type: colour\n"), headers: [.contentType: "application/yaml"]
            )
            .problem(.unprocessableContent, field: "variables[0].type")
            try await api.call(.post, "/projects/\(project)/codebook/variables", token: ada.access, json: #"{"name":"x"}"#)
                .problem(.unprocessableContent, field: "type")
            try await api.call(
                .post, "/projects/\(project)/codebook/variables", token: ada.access,
                json: #"{"name":"c","type":"category"}"#
            ).problem(.unprocessableContent)
            _ = try await api.call(
                .put, "/projects/\(project)/codebook", token: ada.access,
                body: ByteBuffer(string: "variables:\n  - name: only\n    type: text\n"), headers: [.contentType: "application/yaml"])
            try await api.call(.post, "/projects/\(project)/codebook/variables", token: ada.access, json: #"{"name":"only","type":"text"}"#)
                .problem(.unprocessableContent, field: "name")
            try await api.call(.delete, "/projects/\(project)/codebook/variables/only", token: ada.access)
                .problem(.unprocessableContent, field: "variables")
            try await api.call(.get, "/projects/\(project)/codebook/variables/nope", token: ada.access).problem(.notFound)
            try await api.call(
                .put, "/projects/\(project)/codebook/variables/nope", token: ada.access,
                json: #"{"name":"nope","type":"text"}"#
            ).problem(.notFound)
        }
    }

    /// A YAML alias bomb (nine copies per level, 9^10 values in about 400 bytes) is refused at
    /// once, and the service goes on answering.
    @Test func anAliasBombIsRefusedAndTheServiceStaysUp() async throws {
        var lines = ["a0: &a0 [lol,lol,lol,lol,lol,lol,lol,lol,lol]"]
        for level in 1..<10 {
            lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ",") + "]")
        }
        let bomb = (lines + ["variables: *a9"]).joined(separator: "\n")
        try await TestService().test { api in
            let ada = try await api.register()
            let project = try await api.createProject(ada)
            let problem = try await api.call(
                .put, "/projects/\(project)/codebook", token: ada.access,
                body: ByteBuffer(string: bomb), headers: [.contentType: "application/yaml"]
            )
            .problem(.unprocessableContent, field: "codebook")
            #expect(problem["detail"]?.stringValue?.contains("aliases expand it past") == true, "\(problem)")
            #expect(try await api.call(.get, "/health/live").status == .ok)
            #expect(try await api.call(.get, "/projects/\(project)", token: ada.access).status == .ok)
        }
    }

    @Test func anotherUsersCodebookIsNotFound() async throws {
        try await TestService().test { api in
            let ada = try await api.register()
            let bob = try await api.register("bob@example.org")
            let (project, _) = try await api.researchProject(ada, documents: 1)
            for path in [
                "codebook", "codebook/export", "codebook/versions", "codebook/prompt", "codebook/variables", "codebook/variables/city",
            ] {
                try await api.call(.get, "/projects/\(project)/\(path)", token: bob.access).problem(.notFound)
            }
            try await api.call(.post, "/projects/\(project)/codebook/variables", token: bob.access, json: #"{"name":"z","type":"text"}"#)
                .problem(.notFound)
        }
    }
}
