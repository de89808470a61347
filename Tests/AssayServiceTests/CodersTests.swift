import AssayCore
import AssayIngest
import AssayService
import AssayStore
import Foundation
import Testing

/// People's codes beside the model's: imported from a coding sheet, listed, and agreement among
/// the people and with the model.
@Suite struct CodersTests {
    /// Four documents; the model says violence true, false, true and nothing; a size for each.
    func project() async throws -> (SQLiteStore, Project) {
        let store = try SQLiteStore.inMemory()
        let project = try await Projects(store: store).create(name: "p", for: .local)
        _ = try await Codebooks(store: store).importCodebook(EvaluationsTests.codebook, projectID: project.id, for: .local)
        let job = try await store.startJob(
            projectID: project.id, kind: .sample, codebookVersion: 1, promptHash: "h", model: "tiny", selection: .all,
            total: 4, message: nil, projectStatus: nil)
        let model: [JSONValue] = [true, false, true, .null]
        for (index, violence) in model.enumerated() {
            let (document, _) = try await store.upsertDocument(
                DocumentInput(externalID: "d\(index + 1).txt", mediaType: "text/plain", text: "Text \(index)."), projectID: project.id)
            try await store.record(
                DocumentResult(
                    jobID: job.id, documentID: document.id, codebookVersion: 1, contentHash: document.contentHash,
                    outcome: .succeeded,
                    extractions: [("violence", violence), ("participants", JSONValue.number(Double(100 * (index + 1))))].map {
                        Extraction(
                            documentID: document.id, variable: $0.0, value: $0.1, confidence: 0.9, evidence: nil, rationale: nil,
                            status: .validated, codebookVersion: 1, promptHash: "h", model: "tiny", jobID: job.id)
                    }, errors: []))
        }
        return (store, project)
    }

    static let sheet = """
        document,coder,variable,value
        d1.txt,ann,violence,yes
        d1.txt,bob,violence,true
        d2.txt,ann,violence,no
        d2.txt,bob,violence,no
        d3.txt,ann,violence,yes
        d3.txt,bob,violence,no
        d4.txt,ann,violence,no
        d4.txt,bob,violence,no
        d1.txt,ann,participants,100
        d2.txt,ann,participants,
        d9.txt,ann,violence,yes
        d1.txt,ann,colour,red
        """

    @Test func aSheetIsImportedListedAndComparedWithTheModel() async throws {
        let (store, project) = try await project()
        let coders = Coders(store: store)
        let report = try await coders.importCodes(try CodingsCSV.coded(Self.sheet), projectID: project.id, for: .local)
        #expect(report.stored == 9 && report.coders == ["ann", "bob"])
        #expect(report.unknownDocuments == ["d9.txt"] && report.unknownVariables == ["colour"])
        #expect(
            try await coders.list(projectID: project.id, for: .local).map { "\($0.coder) \($0.codes) \($0.documents)" } == [
                "ann 5 4", "bob 4 4",
            ])

        let found = try await coders.agreement(projectID: project.id, resamples: 200, for: .local)
        #expect(found.map(\.variable.name) == ["violence", "participants"])
        let violence = found[0]
        #expect(violence.level == .nominal && violence.people == ["ann", "bob"] && violence.model == "tiny")
        // ann and bob agree on 3 of 4 documents; the model matches ann on d1–d3 and gave nothing for d4.
        #expect(violence.amongPeople?.percentAgreement.value == 0.75)
        #expect(violence.modelGaveNoValue == 1)
        let withModel = try #require(violence.withModel)
        #expect(withModel.coders == 3 && withModel.kappaKind == "fleiss")
        // Agreeing pairs per document: d1 and d2 all; d3 ann and the model only (1/3); d4 the two people only (1/3).
        #expect(abs((withModel.percentAgreement.value ?? 0) - (1 + 1 + 1.0 / 3 + 1.0 / 3) / 4) < 1e-12)
        // One person coded participants: no agreement among people, but the model is a second coder (interval).
        #expect(found[1].level == .interval && found[1].amongPeople == nil && found[1].withModel?.coders == 2)

        // A re-imported sheet replaces a coder's codes instead of adding to them.
        _ = try await coders.importCodes(
            try CodingsCSV.coded("document,coder,variable,value\nd3.txt,bob,violence,yes\n"), projectID: project.id, for: .local)
        let again = try await coders.agreement(projectID: project.id, resamples: 200, for: .local)
        #expect(again[0].amongPeople?.percentAgreement.value == 1)
    }

    @Test func aLevelTheCodesDoNotFitIsRefusedAndAnotherAccountSeesNothing() async throws {
        let (store, project) = try await project()
        let coders = Coders(store: store)
        _ = try await coders.importCodes(try CodingsCSV.coded(Self.sheet), projectID: project.id, for: .local)
        await #expect(throws: Agreement.AlphaError.self) {
            _ = try await coders.agreement(projectID: project.id, level: .interval, for: .local)
        }
        let bob = Requester.account(userID: 2, email: "bob@example.org", seesPatterns: false)
        await #expect(throws: ServiceError.notFound(.project(project.id))) {
            _ = try await coders.list(projectID: project.id, for: bob)
        }
    }
}
