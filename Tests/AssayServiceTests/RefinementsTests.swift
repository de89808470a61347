import AssayCore
import AssayProviders
import AssayService
import AssayStore
import Foundation
import Testing

/// Refinement's use case: proposals from the feedback, adoption as a new codebook version, and the
/// before/after score once the reviewed documents are coded again.
@Suite struct RefinementsTests {
    static let codebook = Codebook(variables: [
        Variable(name: "participants", type: .number, instructions: "How many people?"),
        Variable(name: "city", type: .text, instructions: "Where?"),
    ])

    /// Three documents coded (participants 35, 800, 60); verdicts: a wrong (350, with a note),
    /// b right, c wrong (600).
    func reviewed() async throws -> (SQLiteStore, Project) {
        let store = try SQLiteStore.inMemory()
        let project = try await Projects(store: store).create(name: "p", for: .local)
        _ = try await Codebooks(store: store).importCodebook(Self.codebook, projectID: project.id, for: .local)
        try await code(store, project, version: 1, [("a.txt", 35), ("b.txt", 800), ("c.txt", 60)])
        let values = try await store.extractions(projectID: project.id, documentID: nil).sorted { $0.documentID < $1.documentID }
        let reviews = Reviews(store: store)
        _ = try await reviews.give(
            .incorrect, correctedValue: 350, note: "350 marched; 35 were arrested", extractionID: values[0].id, for: .local)
        _ = try await reviews.give(.correct, extractionID: values[1].id, for: .local)
        _ = try await reviews.give(.incorrect, correctedValue: "about 600", extractionID: values[2].id, for: .local)
        return (store, project)
    }

    func code(_ store: SQLiteStore, _ project: Project, version: Int, _ values: [(String, Double)]) async throws {
        let job = try await store.startJob(
            projectID: project.id, kind: .sample, codebookVersion: version, promptHash: "h", model: "m", selection: .all,
            total: values.count, message: nil, projectStatus: nil)
        for (name, count) in values {
            let (document, _) = try await store.upsertDocument(
                DocumentInput(
                    externalID: name, mediaType: "text/plain",
                    text: "Report \(name). About 350 people marched through the centre; 35 were arrested."),
                projectID: project.id)
            let value = Extraction(
                documentID: document.id, variable: "participants", value: .number(count), confidence: 0.9,
                evidence: Evidence(quote: "35 were arrested", match: .exact), rationale: nil, status: .validated, codebookVersion: version,
                promptHash: "h", model: "m", jobID: job.id)
            try await store.record(
                DocumentResult(
                    jobID: job.id, documentID: document.id, codebookVersion: version, contentHash: document.contentHash,
                    outcome: .succeeded, extractions: [value], errors: []))
        }
    }

    @Test func theModelIsShownTheCorrectionsAndItsProposalsComeBackWithDiffs() async throws {
        let (store, project) = try await reviewed()
        let reply =
            #"{"proposals": [{"instructions": "How many people took part? Count marchers, not arrests.", "reasoning": "Arrests were counted."}, {"instructions": "Count participants only.", "reasoning": "Shorter."}]}"#
        let model = ScriptedProvider(model: "judge", steps: [.reply("not json at all"), .reply(reply)])
        let proposals = try await Refinements(store: store, provider: model).propose(
            variable: "participants", projectID: project.id, for: .local)
        #expect(proposals.proposals.map(\.reasoning) == ["Arrests were counted.", "Shorter."])
        #expect(proposals.current == "How many people?" && proposals.model == "judge" && proposals.examples == 3)
        #expect(proposals.diff(1) == [.removed("How many people?"), .added("Count participants only.")])
        // The unusable first reply was asked again, with why.
        let requests = await model.requests
        #expect(requests.count == 2 && requests[1].messages.last?.content.contains("does not fit") == true)
        // The prompt holds the corrections first, with the passage, the right value and the note.
        let prompt = try #require(requests.first?.messages.last?.content)
        #expect(prompt.contains("Should be: 350") && prompt.contains("Note: 350 marched; 35 were arrested"))
        #expect(prompt.contains("Should be: 600") && prompt.contains("Verdict: correct"))
        #expect(prompt.contains("35 were arrested") && prompt.contains("How many people?"))
        #expect(
            try #require(prompt.range(of: "Verdict: incorrect")).lowerBound
                < (try #require(prompt.range(of: "Verdict: correct")).lowerBound))
    }

    @Test func withoutFeedbackOrWithOnlyCorrectVerdictsThereIsNothingToRefine() async throws {
        let (store, project) = try await reviewed()
        let model = ScriptedProvider(steps: [])
        await #expect(throws: ServiceError.self) {
            _ = try await Refinements(store: store, provider: model).propose(variable: "city", projectID: project.id, for: .local)
        }
        await #expect(throws: ServiceError.notFound(.variable("nope"))) {
            _ = try await Refinements(store: store, provider: model).propose(variable: "nope", projectID: project.id, for: .local)
        }
        #expect(await model.requests.isEmpty)
    }

    /// Adopted instructions make a new version; once the reviewed documents are coded again, the
    /// score counts the reviewers' answers matched before (b only) and now.
    @Test func adoptingMakesAVersionAndTheScoreComparesBeforeAndNow() async throws {
        let (store, project) = try await reviewed()
        let refinements = Refinements(store: store)
        let version = try await refinements.adopt(
            instructions: "  Count marchers, not arrests. ", variable: "participants", projectID: project.id, for: .local)
        #expect(version.version == 2 && version.codebook.variable(named: "participants")?.instructions == "Count marchers, not arrests.")
        #expect(
            try await refinements.score(projectID: project.id, for: .local).first
                == .init(variable: "participants", reviewed: 3, before: 1, now: 1, recoded: 0))
        try await code(store, project, version: 2, [("a.txt", 350), ("b.txt", 800), ("c.txt", 61)])
        let score = try await refinements.score(projectID: project.id, variable: "participants", for: .local)
        #expect(score == [.init(variable: "participants", reviewed: 3, before: 1, now: 2, recoded: 3)])
        await #expect(throws: ServiceError.self) {
            _ = try await refinements.adopt(instructions: " ", variable: "participants", projectID: project.id, for: .local)
        }
    }
}
