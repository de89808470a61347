import AssayCore
import AssayIngest
import AssayService
import AssayStore
import Foundation
import Testing

/// `assay eval`'s use case: the project's values against gold codes named as a person writes them.
@Suite struct EvaluationsTests {
    static let codebook = Codebook(variables: [
        Variable(name: "violence", type: .boolean, instructions: "Any violence?"),
        Variable(name: "participants", type: .number, instructions: "How many?"),
        Variable(name: "city", type: .text, instructions: "Where?"),
    ])

    func project() async throws -> (SQLiteStore, Project) {
        let store = try SQLiteStore.inMemory()
        let project = try await Projects(store: store).create(name: "p", for: .local)
        _ = try await Codebooks(store: store).importCodebook(Self.codebook, projectID: project.id, for: .local)
        let job = try await store.startJob(
            projectID: project.id, kind: .sample, codebookVersion: 1, promptHash: "h", model: "m", selection: .all, total: 3,
            message: nil, projectStatus: nil)
        let values: [(String, [(String, JSONValue, Double)])] = [
            ("docs/a.txt", [("violence", true, 0.9), ("participants", 2500.0, 0.9), ("city", "Lisbon", 0.5)]),
            ("docs/b.txt", [("violence", false, 0.9), ("participants", 800.0, 0.5), ("city", .null, 0.5)]),
            ("docs/c.txt", [("violence", true, 0.5)]),
        ]
        for (name, codes) in values {
            let (document, _) = try await store.upsertDocument(
                DocumentInput(externalID: name, mediaType: "text/plain", text: "Text of \(name)."), projectID: project.id)
            var extractions = codes.map { variable, value, confidence in
                Extraction(
                    documentID: document.id, variable: variable, value: value, confidence: confidence, evidence: nil,
                    rationale: nil, status: .validated, codebookVersion: 1, promptHash: "h", model: "m", jobID: job.id)
            }
            // An entity's value is not the document's: eval compares document-level values only.
            extractions.append(
                Extraction(
                    documentID: document.id, variable: "violence", entityIndex: 1, value: false, confidence: 1, evidence: nil,
                    rationale: nil, status: .validated, codebookVersion: 1, promptHash: "h", model: "m", jobID: job.id))
            try await store.record(
                DocumentResult(
                    jobID: job.id, documentID: document.id, codebookVersion: 1, contentHash: document.contentHash,
                    outcome: .succeeded, extractions: extractions, errors: []))
        }
        return (store, project)
    }

    /// Reviewers' verdicts as labels: the latest verdict per value counts, correct is right.
    @Test func calibrationAgainstFeedbackUsesTheLatestVerdictPerValue() async throws {
        let (store, project) = try await project()
        let values = try await store.extractions(projectID: project.id, documentID: nil).filter { $0.entityIndex == 0 }
        let violence = values.filter { $0.variable == "violence" }.sorted { $0.documentID < $1.documentID }
        let reviews = Reviews(store: store)
        // a (0.9): wrong, then corrected to right; b (0.9): right; c (0.5): partly → wrong.
        _ = try await reviews.give(.incorrect, note: "no", extractionID: violence[0].id, for: .local)
        _ = try await reviews.give(.correct, extractionID: violence[0].id, for: .local)
        _ = try await reviews.give(.correct, extractionID: violence[1].id, for: .local)
        _ = try await reviews.give(.partiallyCorrect, note: "half", extractionID: violence[2].id, for: .local)
        let reports = try await Evaluations(store: store).calibrationFromFeedback(projectID: project.id, for: .local)
        #expect(reports.map(\.variable.name) == ["violence"])
        let report = try #require(reports.first?.report)
        #expect(report.units == 3)
        #expect(abs(try #require(report.accuracy) - 2.0 / 3) < 1e-12)
        let bands = report.calibration.filter { $0.count > 0 }
        #expect(bands.map(\.count) == [1, 2] && bands.map(\.accuracy) == [0, 1])
        // ECE: 1/3 × |.5 − 0| + 2/3 × |.9 − 1|.
        let expected: Double = 0.5 / 3 + 0.2 / 3
        #expect(abs(try #require(report.expectedCalibrationError) - expected) < 1e-12)
        #expect(report.calibrationBeforeBlending == nil)
    }

    @Test func goldCodesAreMatchedByDocumentEndingAndTypedCode() async throws {
        let (store, project) = try await project()
        let gold = try CodingsCSV.gold(
            """
            document,variable,value
            a.txt,violence,yes
            docs/b.txt,violence,no
            c.txt,violence,no
            a.txt,participants,2500.0
            b.txt,participants,3000
            a.txt,city, lisbon
            b.txt,city,Chicago
            z.txt,violence,yes
            a.txt,colour,red
            """)
        let evaluation = try await Evaluations(store: store).evaluate(gold, projectID: project.id, for: .local)
        #expect(evaluation.unknownDocuments == ["z.txt"])
        #expect(evaluation.unknownVariables == ["colour"])
        #expect(evaluation.variables.map(\.variable.name) == ["violence", "participants", "city"])
        let (violence, participants, city) = (
            evaluation.variables[0].report, evaluation.variables[1].report, evaluation.variables[2].report
        )
        #expect(violence.units == 3 && abs((violence.accuracy ?? 0) - 2.0 / 3) < 1e-12)
        #expect(violence.categories.map(\.category) == ["false", "true"])
        #expect(participants.accuracy == 0.5 && participants.categories.isEmpty)
        #expect(city.accuracy == 0.5 && city.missing == 1)
    }

    @Test func anEntityProjectIsRefusedWithTheReason() async throws {
        let store = try SQLiteStore.inMemory()
        let project = try await Projects(store: store).create(
            name: "events", unit: .entity, entityInstruction: "each protest event", for: .local)
        let refused = ServiceError.invalid(
            field: "project", reason: "'events' codes entities; gold sets and coding sheets compare one value per document and variable")
        await #expect(throws: refused) { _ = try await Evaluations(store: store).evaluate([], projectID: project.id, for: .local) }
        await #expect(throws: refused) { _ = try await Coders(store: store).agreement(projectID: project.id, for: .local) }
    }

    @Test func anotherAccountsProjectIsNotFound() async throws {
        let (store, project) = try await project()
        let bob = Requester.account(userID: 2, email: "bob@example.org", seesPatterns: false)
        await #expect(throws: ServiceError.notFound(.project(project.id))) {
            _ = try await Evaluations(store: store).evaluate([], projectID: project.id, for: bob)
        }
    }
}
