import AssayCore
import AssayProviders
import AssayStore
import Foundation

/// Refinement: from the feedback people gave on a variable's values, the model proposes better
/// instructions (`RefinementPrompt`); a person adopts one (or edits it), which makes a new codebook
/// version (the proposals are stored as a `SuggestionSet` with the model and prompt version); after the reviewed documents are coded again, `score` says how many of the people's
/// answers the values now match, before and after. Nothing changes the codebook without a person.
package struct Refinements: Sendable {
    let store: any Store & ReviewStore
    let access: Access
    /// The model that proposes; adopting and scoring need none.
    let provider: (any LLMProvider)?

    package init(store: any Store & ReviewStore, provider: (any LLMProvider)? = nil) {
        self.store = store
        self.access = Access(store: store)
        self.provider = provider
    }

    /// What the model proposed for a variable, with what it was given.
    package struct Proposals: Sendable {
        package var variable: String
        package var codebookVersion: Int
        package var current: String
        package var proposals: [RefinementPrompt.Proposal]
        /// The reviewed values the prompt showed (corrections first).
        package var examples: Int
        package var model: String
        package var promptVersion = RefinementPrompt.version

        package func diff(_ index: Int) -> [WordDiff.Part] { WordDiff.parts(from: current, to: proposals[index].instructions) }
    }

    /// Asks the model for 2–3 improved instructions for the variable, from its feedback. Throws
    /// when there is no feedback on it, or every verdict was "correct" (nothing to learn from).
    package func propose(variable name: String, projectID: Int64, for requester: Requester) async throws -> Proposals {
        let project = try await access.project(projectID, for: requester)
        guard let version = try await store.latestCodebook(projectID: project.id) else {
            throw ServiceError.notFound(.codebook(projectID: project.id, version: nil))
        }
        guard let variable = version.codebook.variable(named: name) else { throw ServiceError.notFound(.variable(name)) }
        let verdicts = Self.latest(try await store.feedback(projectID: project.id, variable: name))
        guard !verdicts.isEmpty else {
            throw ServiceError.invalid(field: "variable", reason: "no feedback on \(name) yet: review some of its values first")
        }
        guard verdicts.contains(where: { $0.verdict != .correct }) else {
            throw ServiceError.invalid(field: "variable", reason: "every reviewed value of \(name) was judged correct: nothing to refine")
        }
        // Corrections first: they are what the new instructions must fix.
        let corrections = verdicts.filter { $0.verdict != .correct }
        let confirmed = verdicts.filter { $0.verdict == .correct }
        let chosen = Array((corrections + confirmed).prefix(RefinementPrompt.maxExamples))
        var examples: [RefinementPrompt.Example] = []
        for feedback in chosen {
            let text: String = try await store.document(id: feedback.documentID)?.text ?? ""
            var evidence: String? = nil
            if let id = feedback.extractionID, let value = try await store.extraction(id: id) { evidence = value.evidence?.quote }
            examples.append(
                RefinementPrompt.Example(
                    passage: RefinementPrompt.passage(of: text, evidence: evidence), value: feedback.reviewedValue ?? .null,
                    verdict: feedback.verdict, corrected: feedback.correctedValue, note: feedback.note))
        }
        let prompt = RefinementPrompt(variable: variable, codebook: version.codebook, examples: examples)
        guard let provider else { throw ServiceError.invalid(field: "model", reason: "no model is configured to propose instructions") }
        let proposals = try await ask(prompt, provider)
        // Kept with the model and template that made them, as the co-pilot's suggestions are.
        _ = try await store.addSuggestionSet(
            SuggestionSet(
                projectID: project.id, kind: .refinement, variable: name, codebookVersion: version.version, model: provider.model,
                promptVersion: RefinementPrompt.version, reply: Self.stored(proposals)))
        return Proposals(
            variable: name, codebookVersion: version.version, current: variable.instructions,
            proposals: proposals, examples: examples.count, model: provider.model)
    }

    /// The proposals as a suggestion set keeps them.
    static func stored(_ proposals: [RefinementPrompt.Proposal]) -> JSONValue {
        ["proposals": .array(proposals.map { ["instructions": .string($0.instructions), "reasoning": .string($0.reasoning)] })]
    }

    /// The model's proposals; a reply that does not fit the schema is asked again once, with why.
    func ask(_ prompt: RefinementPrompt, _ provider: any LLMProvider) async throws -> [RefinementPrompt.Proposal] {
        var messages = prompt.messages
        for attempt in 1...2 {
            let request = LLMRequest(
                messages: messages, responseSchema: RefinementPrompt.schema, schemaName: "refinement", temperature: 0.3, maxTokens: 2048)
            let reply = try await provider.complete(request)
            let problem: String
            switch RefinementPrompt.read(reply.text) {
            case .success(let proposals) where !proposals.isEmpty: return proposals
            case .success: problem = "it holds no proposal"
            case .failure(let error): problem = error.description
            }
            if attempt == 1 {
                messages.append(ChatMessage.assistant(reply.text))
                messages.append(ChatMessage.user("That reply does not fit: \(problem). Reply again with the JSON object only."))
            }
        }
        throw ServiceError.invalid(field: "model", reason: "the model's reply held no usable proposal; try again or use another model")
    }

    /// Adopts new instructions for the variable (a proposal, edited or not): a new codebook version.
    package func adopt(
        instructions: String, variable name: String, projectID: Int64, for requester: Requester
    ) async throws -> CodebookVersion {
        let codebooks = Codebooks(store: store)
        var variable = try await codebooks.variable(named: name, projectID: projectID, for: requester)
        let text = instructions.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw ServiceError.invalid(field: "instructions", reason: "must not be empty") }
        variable.instructions = text
        return try await codebooks.replaceVariable(named: name, with: variable, projectID: projectID, for: requester)
    }

    /// How the values match what reviewers said, per variable: for each reviewed value (the
    /// latest verdict on each document and entity), the answer is the reviewed value when judged
    /// correct, else the corrected value; `before` counts the reviewed values that match it,
    /// `now` the values in force now (after the documents were coded again with a new version).
    package struct Score: Sendable, Hashable {
        package var variable: String
        package var reviewed: Int
        package var before: Int
        package var now: Int
        /// Of `reviewed`, the documents coded again since (their values replaced).
        package var recoded: Int

        package init(variable: String, reviewed: Int, before: Int, now: Int, recoded: Int) {
            self.variable = variable
            self.reviewed = reviewed
            self.before = before
            self.now = now
            self.recoded = recoded
        }
    }

    package func score(projectID: Int64, variable: String? = nil, for requester: Requester) async throws -> [Score] {
        let project = try await access.project(projectID, for: requester, needs: .results)
        var scores: [String: Score] = [:]
        var current: [Int64: [Extraction]] = [:]
        for feedback in Self.latest(try await store.feedback(projectID: project.id, variable: variable)) {
            guard let name = feedback.variable, let answer = feedback.answer else { continue }
            if current[feedback.documentID] == nil {
                current[feedback.documentID] = try await store.extractions(projectID: project.id, documentID: feedback.documentID)
            }
            let value = current[feedback.documentID]?.first { $0.variable == name && $0.entityIndex == feedback.entityIndex }
            var score = scores[name] ?? Score(variable: name, reviewed: 0, before: 0, now: 0, recoded: 0)
            score.reviewed += 1
            if Self.matches(feedback.reviewedValue, answer) { score.before += 1 }
            if Self.matches(value?.value, answer) { score.now += 1 }
            if feedback.extractionID == nil { score.recoded += 1 }
            scores[name] = score
        }
        return scores.values.sorted { $0.variable < $1.variable }
    }

    /// The latest verdict on each value (document, variable, entity).
    static func latest(_ feedback: [Feedback]) -> [Feedback] {
        var latest: [String: Feedback] = [:]
        for item in feedback {
            let variable: String = item.variable ?? ""
            let key = "\(item.documentID)/\(variable)/\(item.entityIndex)"
            if let seen = latest[key], seen.id > item.id { continue }
            latest[key] = item
        }
        return latest.values.sorted { $0.id < $1.id }
    }

    /// Equal values, or texts equal but for case and surrounding spaces.
    static func matches(_ value: JSONValue?, _ answer: JSONValue) -> Bool {
        guard let value else { return false }
        if value == answer { return true }
        if let a = value.stringValue, let b = answer.stringValue {
            return a.trimmingCharacters(in: .whitespaces).lowercased() == b.trimmingCharacters(in: .whitespaces).lowercased()
        }
        if let a = value.doubleValue, let b = answer.doubleValue { return a == b }
        return false
    }
}

extension Feedback {
    /// What the value should be by this verdict: the reviewed value when correct, else the
    /// corrected one (nil when the reviewer gave none).
    var answer: JSONValue? {
        if verdict == .correct { return reviewedValue }
        return correctedValue
    }
}
