import AssayCore
import AssayProviders
import AssayStore
import Foundation

/// The co-pilot: from a sentence about the research question, a few of the project's documents
/// and the codebook so far, the model suggests variables and clearer instructions
/// (`SuggestionPrompt`). Each suggestion set is stored with the model and prompt version; a person
/// adopts the suggestions they want (`adopt`, or the workbench's form and its Save), which makes a
/// new codebook version. Nothing changes the codebook without a person.
package struct Suggestions: Sendable {
    let store: any Store & ReviewStore
    let access: Access
    /// The model that suggests; adopting needs none.
    let provider: (any LLMProvider)?

    package init(store: any Store & ReviewStore, provider: (any LLMProvider)? = nil) {
        self.store = store
        self.access = Access(store: store)
        self.provider = provider
    }

    /// Documents drawn when none are chosen.
    package static let defaultSample = 3

    /// A stored suggestion set, read.
    package struct Suggested: Sendable {
        package var set: SuggestionSet
        package var reply: SuggestionPrompt.Reply
        /// The documents the model was shown, by external id (empty when read back from the store).
        package var documents: [String]
    }

    /// Asks the model for suggestions. `documents` are the project's document ids to show it (at most
    /// `SuggestionPrompt.maxDocuments`); without them, `sample` ready documents are drawn, spread over the
    /// project. The set is stored, the codebook left as it is.
    package func suggest(
        question: String, documents ids: [Int64] = [], sample: Int? = nil, projectID: Int64, for requester: Requester
    ) async throws -> Suggested {
        let project = try await access.project(projectID, for: requester)
        let question = question.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !question.isEmpty else {
            throw ServiceError.invalid(field: "question", reason: "say in a sentence what the research asks")
        }
        guard question.count <= SuggestionPrompt.maxQuestion else {
            throw ServiceError.invalid(field: "question", reason: "must have at most \(SuggestionPrompt.maxQuestion) characters")
        }
        guard !question.contains("\u{0}") else { throw ServiceError.invalid(field: "question", reason: "must not contain NUL") }
        let limit = SuggestionPrompt.maxDocuments
        guard ids.count <= limit else { throw ServiceError.invalid(field: "documents", reason: "at most \(limit) documents") }
        if let sample, !(1...limit).contains(sample) {
            throw ServiceError.invalid(field: "sample", reason: "must be between 1 and \(limit)")
        }
        let chosen = try await samples(ids, count: sample ?? Self.defaultSample, projectID: project.id)
        let current = try await store.latestCodebook(projectID: project.id)
        let prompt = SuggestionPrompt(
            question: question, samples: chosen.map { SuggestionPrompt.Sample(name: $0.externalID, text: $0.text) },
            codebook: current?.codebook)
        guard let provider else { throw ServiceError.invalid(field: "model", reason: "no model is configured to suggest variables") }
        let reply = try await ask(prompt, codebook: current?.codebook, provider)
        let set = try await store.addSuggestionSet(
            SuggestionSet(
                projectID: project.id, kind: .codebook, codebookVersion: current?.version, model: provider.model,
                promptVersion: SuggestionPrompt.version, reply: reply.json))
        return Suggested(set: set, reply: reply, documents: chosen.map(\.externalID))
    }

    /// The documents to show: the ones chosen (each the project's and readable), or `count` ready
    /// ones spread evenly over the project.
    private func samples(_ ids: [Int64], count: Int, projectID: Int64) async throws -> [Document] {
        if !ids.isEmpty {
            let found = try await store.documents(ids: ids)
            for id in ids where !found.contains(where: { $0.id == id && $0.projectID == projectID }) {
                throw ServiceError.notFound(.document(id))
            }
            let readable = found.filter { $0.status == .ready }
            guard !readable.isEmpty else {
                throw ServiceError.invalid(field: "documents", reason: "none of the chosen documents could be read")
            }
            return readable
        }
        // No codebook has version 0: every ready document, without its text.
        let ready = try await store.pendingWork(projectID: projectID, codebookVersion: 0)
        guard !ready.isEmpty else {
            throw ServiceError.invalid(field: "documents", reason: "the project has no readable documents yet: add a few first")
        }
        let picked = (0..<min(count, ready.count)).map { ready[$0 * ready.count / min(count, ready.count)].documentID }
        return try await store.documents(ids: picked)
    }

    /// The model's suggestions; a reply that does not fit the schema (or suggests nothing usable) is
    /// asked again once, with why.
    func ask(_ prompt: SuggestionPrompt, codebook: Codebook?, _ provider: any LLMProvider) async throws -> SuggestionPrompt.Reply {
        var messages = prompt.messages
        for attempt in 1...2 {
            let request = LLMRequest(
                messages: messages, responseSchema: SuggestionPrompt.schema, schemaName: "suggestions", temperature: 0.3,
                maxTokens: 2048)
            let reply = try await provider.complete(request)
            let problem: String
            switch SuggestionPrompt.read(reply.text, codebook: codebook) {
            case .success(let suggestions) where !suggestions.isEmpty: return suggestions
            case .success: problem = "it suggests no new variable and no clearer instructions for a variable the codebook has"
            case .failure(let error): problem = error.description
            }
            if attempt == 1 {
                messages.append(ChatMessage.assistant(String(reply.text.prefix(4000))))
                messages.append(ChatMessage.user("That reply does not fit: \(problem). Reply again with the JSON object only."))
            }
        }
        throw ServiceError.invalid(field: "model", reason: "the model's reply held no usable suggestion; try again or use another model")
    }

    /// The project's latest co-pilot suggestions, or nil when it has none.
    package func latest(projectID: Int64, for requester: Requester) async throws -> Suggested? {
        let project = try await access.project(projectID, for: requester)
        guard let set = try await store.suggestionSets(projectID: project.id, kind: .codebook, variable: nil).first else { return nil }
        return Suggested(set: set, reply: try SuggestionPrompt.Reply(stored: set.reply), documents: [])
    }

    /// Adopts suggestions of the latest set by number (from 1: the variables, then the clearer
    /// instructions): new variables are added, instructions replaced; one new codebook version.
    package func adopt(_ numbers: [Int], projectID: Int64, for requester: Requester) async throws -> CodebookVersion {
        guard let latest = try await latest(projectID: projectID, for: requester) else {
            throw ServiceError.invalid(field: "adopt", reason: "the project has no suggestions yet: ask for some first")
        }
        let reply = latest.reply
        guard !numbers.isEmpty else { throw ServiceError.invalid(field: "adopt", reason: "name the suggestions to adopt, e.g. 1,3") }
        for number in numbers where !(0..<reply.count).contains(number - 1) {
            throw ServiceError.invalid(field: "adopt", reason: "no suggestion \(number): there are \(reply.count)")
        }
        var codebook = try await store.latestCodebook(projectID: projectID)?.codebook ?? Codebook(variables: [])
        for number in Set(numbers).sorted() {
            if number <= reply.variables.count {
                let variable = reply.variables[number - 1]
                guard codebook.variable(named: variable.name) == nil else {
                    throw ServiceError.invalid(field: "adopt", reason: "the codebook has a variable named \(variable.name) already")
                }
                codebook.variables.append(variable)
            } else {
                let clarification = reply.clarifications[number - 1 - reply.variables.count]
                guard let index = codebook.variables.firstIndex(where: { $0.name == clarification.variable }) else {
                    throw ServiceError.notFound(.variable(clarification.variable))
                }
                codebook.variables[index].instructions = clarification.instructions
            }
        }
        let (version, isNew) = try await Codebooks(store: store).importCodebook(codebook, projectID: projectID, for: requester)
        guard isNew else { throw ServiceError.invalid(field: "adopt", reason: "the codebook has these suggestions already") }
        return version
    }
}
