import AssayCore
import AssayProviders
import AssayService
import AssayStore
import Foundation
import Testing

/// The co-pilot's use case: suggestions from a research question and sample documents, asked
/// again once on a bad reply, refused with a clear error after two, stored with the model and
/// prompt version, and nothing in the codebook until a person adopts.
@Suite struct SuggestionsTests {
    static let codebook = Codebook(variables: [Variable(name: "city", type: .text, instructions: "Where?")])
    static let reply = """
        {"variables": [{"name": "Police presence", "type": "category", "definition": "Whether police were at the event.",
          "instructions": "Code what the article says about police.", "categories": [{"code": "none", "description": "No police mentioned"},
          {"code": "present", "description": "Police were there"}]},
          {"name": "city", "type": "text", "definition": "", "instructions": "", "categories": []}],
         "instructions": [{"variable": "city", "instructions": "The city where the protest took place, as named.", "reasoning": "Where? is vague."},
          {"variable": "nope", "instructions": "x", "reasoning": ""},
          {"variable": "city", "instructions": "Where?", "reasoning": "the same"}]}
        """

    func project(documents: Int = 4) async throws -> (SQLiteStore, Project) {
        let store = try SQLiteStore.inMemory()
        let project = try await Projects(store: store).create(name: "p", for: .local)
        _ = try await Codebooks(store: store).importCodebook(Self.codebook, projectID: project.id, for: .local)
        for n in 0..<documents {
            _ = try await store.upsertDocument(
                DocumentInput(
                    externalID: "d\(n).txt", mediaType: "text/plain",
                    text: "Report \(n). " + String(repeating: "Police watched. ", count: 400)),
                projectID: project.id)
        }
        return (store, project)
    }

    @Test func aBadReplyIsAskedAgainAndTheSuggestionsAreStoredNotAdopted() async throws {
        let (store, project) = try await project()
        let model = ScriptedProvider(model: "helper", steps: [.reply("no json here"), .reply(Self.reply)])
        let suggested = try await Suggestions(store: store, provider: model).suggest(
            question: "How is protest policing reported?", sample: 2, projectID: project.id, for: .local)
        // The name is made a codebook name; a variable the codebook has and instructions for an unknown one are left out.
        #expect(suggested.reply.variables.map(\.name) == ["Police_presence"])
        #expect(suggested.reply.variables.first?.categories.map(\.code) == ["none", "present"])
        #expect(suggested.reply.variables.first?.definition == "Whether police were at the event.")
        #expect(suggested.reply.clarifications.map(\.variable) == ["city"])
        #expect(suggested.documents == ["d0.txt", "d2.txt"])
        let requests = await model.requests
        #expect(requests.count == 2 && requests[1].messages.last?.content.contains("does not fit") == true)
        #expect(requests[0].schemaName == "suggestions")
        // The prompt: the question, the codebook so far, the samples cut to their limit.
        let prompt = try #require(requests.first?.messages.last?.content)
        #expect(prompt.contains("How is protest policing reported?") && prompt.contains("- city (short text): city. Where?"))
        #expect(prompt.contains("d0.txt") && !prompt.contains("d1.txt") && prompt.count < 2 * SuggestionPrompt.documentCharacters + 3_000)

        // Stored with the model and prompt version; the codebook is unchanged.
        let sets = try await store.suggestionSets(projectID: project.id, kind: .codebook, variable: nil)
        #expect(sets.count == 1 && sets[0].model == "helper" && sets[0].promptVersion == "assay-suggest-v1" && sets[0].codebookVersion == 1)
        #expect(try await store.latestCodebook(projectID: project.id)?.version == 1)

        // Adopting 1 and 2 (the variable, then the clearer instructions) makes one new version.
        let adopted = try await Suggestions(store: store).adopt([2, 1], projectID: project.id, for: .local)
        #expect(adopted.version == 2)
        #expect(adopted.codebook.variables.map(\.name) == ["city", "Police_presence"])
        #expect(adopted.codebook.variables[0].instructions == "The city where the protest took place, as named.")
        await #expect(throws: ServiceError.invalid(field: "adopt", reason: "no suggestion 3: there are 2")) {
            _ = try await Suggestions(store: store).adopt([3], projectID: project.id, for: .local)
        }
        // Adopted already: nothing would change, and nothing does.
        await #expect(throws: ServiceError.invalid(field: "adopt", reason: "the codebook has these suggestions already")) {
            _ = try await Suggestions(store: store).adopt([2], projectID: project.id, for: .local)
        }
        #expect(try await store.latestCodebook(projectID: project.id)?.version == 2)
    }

    @Test func twoRepliesThatDoNotFitTheSchemaAreRefusedWithAClearError() async throws {
        let (store, project) = try await project()
        let wrong = #"{"variables": [{"name": "x", "type": "banana"}], "instructions": []}"#
        let model = ScriptedProvider(steps: [.reply(wrong), .reply(wrong)])
        await #expect(
            throws: ServiceError.invalid(
                field: "model", reason: "the model's reply held no usable suggestion; try again or use another model")
        ) {
            _ = try await Suggestions(store: store, provider: model).suggest(question: "Q?", projectID: project.id, for: .local)
        }
        let requests = await model.requests
        #expect(requests.count == 2 && requests[1].messages.last?.content.contains("type") == true)
        #expect(try await store.suggestionSets(projectID: project.id, kind: .codebook, variable: nil).isEmpty)
        #expect(try await store.latestCodebook(projectID: project.id)?.version == 1)
    }

    @Test func inputsAreCappedAndAnothersProjectIsNotFound() async throws {
        let (store, project) = try await project()
        let suggestions = Suggestions(store: store, provider: ScriptedProvider(steps: []))
        let long = String(repeating: "q", count: SuggestionPrompt.maxQuestion + 1)
        for (question, documents, sample, field) in [
            ("", [Int64](), nil as Int?, "question"), (long, [], nil, "question"), ("a\u{0}b", [], nil, "question"),
            ("Q", [1, 2, 3, 4, 5, 6], nil, "documents"), ("Q", [], 6, "sample"), ("Q", [], 0, "sample"),
        ] {
            await #expect(throws: ServiceError.self) {
                do {
                    _ = try await suggestions.suggest(
                        question: question, documents: documents, sample: sample, projectID: project.id, for: .local)
                } catch let error as ServiceError {
                    if case .invalid(let named, _) = error { #expect(named == field) } else { Issue.record("\(error)") }
                    throw error
                }
            }
        }
        await #expect(throws: ServiceError.notFound(.document(999))) {
            _ = try await suggestions.suggest(question: "Q", documents: [999], projectID: project.id, for: .local)
        }
        await #expect(throws: ServiceError.notFound(.project(project.id))) {
            _ = try await suggestions.suggest(
                question: "Q", projectID: project.id, for: .account(userID: 9, email: "x@example.org", seesPatterns: false))
        }
    }

    @Test func refinementProposalsAreStoredWithTheirModelAndPromptVersion() async throws {
        let store = try SQLiteStore.inMemory()
        let project = try await Projects(store: store).create(name: "p", for: .local)
        _ = try await Codebooks(store: store).importCodebook(RefinementsTests.codebook, projectID: project.id, for: .local)
        try await RefinementsTests().code(store, project, version: 1, [("a.txt", 35)])
        let value = try #require(try await store.extractions(projectID: project.id, documentID: nil).first)
        _ = try await Reviews(store: store).give(.incorrect, correctedValue: 350, extractionID: value.id, for: .local)
        let reply = #"{"proposals": [{"instructions": "Count marchers.", "reasoning": "Arrests were counted."}]}"#
        _ = try await Refinements(store: store, provider: ScriptedProvider(model: "judge", steps: [.reply(reply)])).propose(
            variable: "participants", projectID: project.id, for: .local)
        let sets = try await store.suggestionSets(projectID: project.id, kind: .refinement, variable: "participants")
        #expect(sets.count == 1 && sets[0].model == "judge" && sets[0].promptVersion == "assay-refine-v1")
        #expect(sets[0].reply["proposals"]?.arrayValue?.first?["instructions"]?.stringValue == "Count marchers.")
    }
}
