import AssayCore
import AssayProviders
import AssayStore
import AssayTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AssayServer

/// The codebook form's check and the co-pilot over HTTP: problems with their field paths and
/// nothing stored; suggestions stored with the model and prompt version, the codebook unchanged;
/// hostile bodies and another's project refused.
@Suite("Suggestion routes")
struct SuggestionRoutesTests {
    static let reply = """
        {"variables": [{"name": "police", "type": "category", "definition": "Police at the event.", "instructions": "Code the police.",
          "categories": [{"code": "none", "description": "No police"}, {"code": "present", "description": "Police there"}]}],
         "instructions": [{"variable": "city", "instructions": "The city, as named.", "reasoning": "Clearer."}]}
        """

    @Test func checkListsEveryProblemWithItsPathAndStoresNothing() async throws {
        try await TestService().test { api in
            let ada = try await api.register()
            let (project, _) = try await api.researchProject(ada, documents: 1)
            let check = "/projects/\(project)/codebook/check"
            let bad = #"{"variables": [{"name": "", "type": "category"}, {"name": "tone", "type": "banana"}]}"#
            let answer = try await api.call(.post, check, token: ada.access, json: bad)
            #expect(answer.status == .ok)
            let body = try answer.json()
            #expect(body["valid"] == false)
            let fields = body["problems"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []
            #expect(fields.contains("variables[1].type"), "\(fields)")
            let typed = #"{"variables": [{"name": "", "type": "category", "definition": " "}]}"#
            let problems = try await api.call(.post, check, token: ada.access, json: typed).json()["problems"]?.arrayValue ?? []
            #expect(
                problems.compactMap { $0["field"]?.stringValue } == [
                    "variables[0].name", "variables[0].categories", "variables[0].definition",
                ])
            let good =
                #"{"variables": [{"name": "tone", "type": "category", "categories": [{"code": "calm"}], "include": ["Sarcasm counts."]}]}"#
            let fine = try await api.call(.post, check, token: ada.access, json: good).json()
            #expect(fine["valid"] == true && fine["problems"]?.arrayValue?.isEmpty == true)
            let yaml = try await api.call(
                .post, check, token: ada.access, body: ByteBuffer(string: "- name: tone\n  type: text\n"),
                headers: [.contentType: "application/yaml"])
            #expect(try yaml.json()["valid"] == true)
            // Checking stores nothing: the codebook is still version 1.
            #expect(try await api.call(.get, "/projects/\(project)/codebook", token: ada.access).json()["version"]?.doubleValue == 1)

            // Hostile bodies: malformed, empty, oversized, NUL; another's project is not found.
            try await api.call(.post, check, token: ada.access, json: #"{"variables": ["#).problem(.badRequest)
            try await api.call(.post, check, token: ada.access).problem(.badRequest)
            let huge =
                "{\"variables\": [{\"name\": \"a\", \"type\": \"text\", \"instructions\": \"" + String(repeating: "a", count: 5 << 20)
                + "\"}]}"
            try await api.call(.post, check, token: ada.access, json: huge).problem(.contentTooLarge)
            let nul = #"{"variables": [{"name": "a", "type": "text", "instructions": "a\u0000b"}]}"#
            try await api.call(.post, check, token: ada.access, json: nul).problem(.unprocessableContent, field: "codebook")
            let bob = try await api.register("bob@example.org")
            try await api.call(.post, check, token: bob.access, json: good).problem(.notFound)
            try await api.call(.post, "/projects/999/codebook/check", token: ada.access, json: good).problem(.notFound)
        }
    }

    @Test func suggestionsAreStoredWithTheirModelAndTheCodebookIsLeftAsItIs() async throws {
        let model = ScriptedProvider(
            model: "helper", steps: [],
            then: .respond { request in request.schemaName == "suggestions" ? Self.reply : FakeModel.goodReply(for: request) })
        let service = try TestService(provider: model)
        try await service.test { api in
            let ada = try await api.register()
            let (project, documents) = try await api.researchProject(ada, documents: 3)
            let suggest = "/projects/\(project)/codebook/suggest"
            let answer = try await api.call(
                .post, suggest, token: ada.access, json: #"{"question": "How is policing reported?", "documents": [\#(documents[1])]}"#)
            #expect(answer.status == .created, "\(String(buffer: answer.body))")
            let body = try answer.json()
            #expect(body["model"]?.stringValue == "helper" && body["prompt_version"]?.stringValue == "assay-suggest-v1")
            #expect(body["documents"] == ["doc2.txt"] && body["codebook_version"]?.doubleValue == 1)
            #expect(body["variables"]?.arrayValue?.first?["name"]?.stringValue == "police")
            #expect(body["variables"]?.arrayValue?.first?["categories"]?.arrayValue?.count == 2)
            #expect(body["instructions"]?.arrayValue?.first?["variable"]?.stringValue == "city")
            let drawn = try await api.call(.post, suggest, token: ada.access, json: #"{"question": "Q?", "sample": 2}"#).json()
            #expect(drawn["documents"]?.arrayValue?.count == 2)
            let sets = try await service.store.suggestionSets(projectID: project, kind: .codebook, variable: nil)
            #expect(sets.count == 2 && sets.allSatisfy { $0.model == "helper" && $0.promptVersion == "assay-suggest-v1" })
            #expect(try await api.call(.get, "/projects/\(project)/codebook", token: ada.access).json()["version"]?.doubleValue == 1)

            // Refused: malformed, oversized, a question too long or empty or with NUL, too many documents,
            // another's documents or project.
            try await api.call(.post, suggest, token: ada.access, json: #"{"question": "#).problem(.badRequest)
            try await api.call(.post, suggest, token: ada.access).problem(.badRequest)
            let huge = "{\"question\": \"" + String(repeating: "q", count: 20_000) + "\"}"
            try await api.call(.post, suggest, token: ada.access, json: huge).problem(.contentTooLarge)
            let long = "{\"question\": \"" + String(repeating: "q", count: 1_001) + "\"}"
            try await api.call(.post, suggest, token: ada.access, json: long).problem(.unprocessableContent, field: "question")
            try await api.call(.post, suggest, token: ada.access, json: #"{"question": "  "}"#).problem(
                .unprocessableContent, field: "question")
            try await api.call(.post, suggest, token: ada.access, json: #"{"question": "a\u0000b"}"#).problem(
                .unprocessableContent, field: "question")
            try await api.call(.post, suggest, token: ada.access, json: #"{"question": "Q", "documents": [1,2,3,4,5,6]}"#).problem(
                .unprocessableContent, field: "documents")
            try await api.call(.post, suggest, token: ada.access, json: #"{"question": "Q", "sample": 9}"#).problem(
                .unprocessableContent, field: "sample")
            let bob = try await api.register("bob@example.org")
            try await api.call(.post, suggest, token: bob.access, json: #"{"question": "Q"}"#).problem(.notFound)
            let bobs = try await api.createProject(bob, name: "Bob's")
            try await api.call(
                .post, "/projects/\(bobs)/codebook/suggest", token: bob.access, json: #"{"question": "Q", "documents": [\#(documents[0])]}"#
            ).problem(.notFound)
            #expect(try await service.store.suggestionSets(projectID: project, kind: .codebook, variable: nil).count == 2)
        }
    }
}
