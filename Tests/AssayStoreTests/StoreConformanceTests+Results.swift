import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// The store contract, continued: recording results: values, outcomes, errors, metrics.
extension StoreConformanceTests {
    // MARK: Results

    @Test(arguments: StoreKind.allCases)
    func recordWritesValuesOutcomeCountersAndEvent(kind: StoreKind) async throws {
        let store = try await kind.make()
        let (project, docs) = try await Fixtures.project(in: store)
        let job = try await Fixtures.job(in: store, project: project)

        try await store.record(Fixtures.result(job: job, document: docs[0], outcome: .succeeded, tokensIn: 100, tokensOut: 20))
        try await store.record(Fixtures.result(job: job, document: docs[1], outcome: .flagged, tokensIn: 50, tokensOut: 10))

        let values = try await store.extractions(projectID: project.id, documentID: docs[0].id)
        #expect(values.map(\.variable) == ["sentiment", "amount"])
        #expect(values.map(\.value) == ["pos", 500])
        #expect(values.allSatisfy { $0.id > 0 && $0.documentID == docs[0].id && $0.jobID == job.id })
        #expect(Set(values.map(\.id)).count == 2)
        let first = try #require(values.first)
        #expect(first.evidence == Evidence(quote: "500 dollars", start: 20, end: 31, match: .exact))
        #expect(first.confidence == 0.9)
        #expect(first.rationale == "stated")
        #expect(first.status == .validated)
        #expect(first.codebookVersion == 1)
        #expect(first.promptHash == "prompt-1")
        #expect(first.model == "test-model")
        #expect(first.entityIndex == 0)

        let outcomes = try await store.outcomes(projectID: project.id)
        #expect(outcomes.map(\.documentID) == [docs[0].id, docs[1].id])
        #expect(outcomes.map(\.outcome) == [.succeeded, .flagged])
        #expect(outcomes[0].jobID == job.id)
        #expect(outcomes[0].codebookVersion == 1)
        #expect(outcomes[0].contentHash == docs[0].contentHash)
        #expect(outcomes[0].errorKind == nil)

        let updated = try #require(try await store.job(id: job.id))
        #expect(updated.processed == 2)
        #expect(updated.succeeded == 1)
        #expect(updated.flagged == 1)
        #expect(updated.failed == 0)
        #expect(updated.consecutiveFailures == 0)
        #expect(updated.tokensIn == 150)
        #expect(updated.tokensOut == 30)

        let events = try await store.events(jobID: job.id)
        #expect(events.map(\.kind) == [.jobStarted, .docCompleted, .docCompleted])
        #expect(events.map(\.documentID) == [nil, docs[0].id, docs[1].id])
        #expect(events.map(\.message) == [nil, "succeeded", "flagged"])
    }

    @Test(arguments: StoreKind.allCases)
    func recordStoresEntitiesAndValuesWithoutEvidence(kind: StoreKind) async throws {
        let store = try await kind.make()
        let (project, docs) = try await Fixtures.project(in: store, documents: 1)
        let job = try await Fixtures.job(in: store, project: project)
        var result = Fixtures.result(job: job, document: docs[0], values: [])
        var first = Fixtures.extraction("amount", 500, documentID: docs[0].id, jobID: job.id, entityIndex: 0)
        first.entityText = "Lab A"
        var second = Fixtures.extraction("amount", 1.5, documentID: docs[0].id, jobID: job.id, entityIndex: 1)
        second.entityText = "Lab B"
        second.evidence = nil
        var third = Fixtures.extraction("sentiment", nil, documentID: docs[0].id, jobID: job.id, status: .failed)
        third.error = "not one of the categories"
        third.confidence = nil
        third.evidence = Evidence(quote: "meh", match: .notFound)
        result.extractions = [first, second, third]
        try await store.record(result)

        let values = try await store.extractions(projectID: project.id, documentID: nil)
        #expect(values.map(\.entityIndex) == [0, 1, 0])
        #expect(values.map(\.entityText) == ["Lab A", "Lab B", nil])
        #expect(values.map(\.value) == [500, 1.5, .null])
        #expect(values[1].evidence == nil)
        #expect(values[2].evidence == Evidence(quote: "meh", start: nil, end: nil, match: .notFound))
        #expect(values[2].confidence == nil)
        #expect(values[2].status == .failed)
        #expect(values[2].error == "not one of the categories")
    }

    /// `assay status` of an entity project counts entities with values (a document and an entity
    /// index), never the document-level values (index 0), nor one entity twice for two variables.
    @Test(arguments: StoreKind.allCases)
    func entityCountsAreDistinctEntitiesAndTheirDocuments(kind: StoreKind) async throws {
        let store = try await kind.make()
        let (project, docs) = try await Fixtures.project(in: store, documents: 3)
        let job = try await Fixtures.job(in: store, project: project)
        let entities = [(0, 0), (0, 1), (0, 2), (1, 1), (2, 0)]
        for (index, doc) in docs.enumerated() {
            var result = Fixtures.result(job: job, document: doc, values: [])
            result.extractions = entities.filter { $0.0 == index }.flatMap { _, entity in
                ["amount", "sentiment"].map {
                    Fixtures.extraction($0, 1, documentID: doc.id, jobID: job.id, entityIndex: entity)
                }
            }
            try await store.record(result)
        }
        let counts = try await store.entityCounts(projectID: project.id)
        #expect(counts.entities == 3 && counts.documents == 2)
        let other = try await store.createProject(name: "empty", description: nil)
        let none = try await store.entityCounts(projectID: other.id)
        #expect(none.entities == 0 && none.documents == 0)
    }

    @Test(arguments: StoreKind.allCases)
    func reRecordingReplacesValues(kind: StoreKind) async throws {
        let store = try await kind.make()
        let (project, docs) = try await Fixtures.project(in: store)
        let job = try await Fixtures.job(in: store, project: project)
        try await store.record(Fixtures.result(job: job, document: docs[0]))
        let before = try await store.extractions(projectID: project.id, documentID: docs[0].id)

        let rerun = try await Fixtures.job(in: store, project: project)
        try await store.record(Fixtures.result(job: rerun, document: docs[0], values: [("sentiment", "neg"), ("amount", 750)]))

        let after = try await store.extractions(projectID: project.id, documentID: docs[0].id)
        #expect(after.count == before.count)
        #expect(after.map(\.value) == ["neg", 750])
        #expect(after.allSatisfy { $0.jobID == rerun.id })
        #expect(try await store.outcomes(projectID: project.id).map(\.jobID) == [rerun.id])
    }

    @Test(arguments: StoreKind.allCases)
    func failedResultKeepsEarlierValuesAndAddsErrorRecord(kind: StoreKind) async throws {
        let store = try await kind.make()
        let (project, docs) = try await Fixtures.project(in: store)
        let job = try await Fixtures.job(in: store, project: project)
        try await store.record(Fixtures.result(job: job, document: docs[0]))
        let before = try await store.extractions(projectID: project.id, documentID: docs[0].id)

        let rerun = try await Fixtures.job(in: store, project: project)
        try await store.record(Fixtures.result(job: rerun, document: docs[0], outcome: .failed, tokensIn: 80, tokensOut: 5))
        try await store.record(Fixtures.result(job: rerun, document: docs[1], outcome: .failed))

        #expect(try await store.extractions(projectID: project.id, documentID: docs[0].id) == before)
        #expect(try await store.extractions(projectID: project.id, documentID: docs[1].id).isEmpty)

        let outcome = try #require(try await store.outcomes(projectID: project.id).first { $0.documentID == docs[0].id })
        #expect(outcome.outcome == .failed)
        #expect(outcome.jobID == rerun.id)
        #expect(outcome.errorKind == .invalidJSON)
        #expect(outcome.reason == "reply is not JSON")

        let errors = try await store.errorRecords(projectID: project.id, jobID: rerun.id)
        #expect(errors.count == 2)
        #expect(errors.map(\.documentID) == [docs[0].id, docs[1].id])
        let error = try #require(errors.first)
        #expect(error.id > 0)
        #expect(error.jobID == rerun.id)
        #expect(error.kind == .invalidJSON)
        #expect(error.reason == "reply is not JSON")
        #expect(error.responseHash == "abc")
        #expect(error.excerpt == "{oops")

        let counted = try #require(try await store.job(id: rerun.id))
        #expect(counted.processed == 2)
        #expect(counted.failed == 2)
        #expect(counted.succeeded == 0)
        #expect(counted.consecutiveFailures == 2)
        #expect(counted.tokensIn == 180)

        let events = try await store.events(jobID: rerun.id)
        #expect(events.map(\.kind) == [.jobStarted, .docFailed, .docFailed])
        #expect(events.dropFirst().first?.message == "invalid_json: reply is not JSON")

        // A success resets the run of failures.
        try await store.record(Fixtures.result(job: rerun, document: docs[2]))
        #expect(try await store.job(id: rerun.id)?.consecutiveFailures == 0)
    }

    @Test(arguments: StoreKind.allCases)
    func recordIsAtomic(kind: StoreKind) async throws {
        let store = try await kind.make()
        let (project, docs) = try await Fixtures.project(in: store)
        let job = try await Fixtures.job(in: store, project: project)
        try await store.record(Fixtures.result(job: job, document: docs[0]))
        let valuesBefore = try await store.extractions(projectID: project.id, documentID: nil)
        let jobBefore = try #require(try await store.job(id: job.id))
        let eventsBefore = try await store.events(jobID: job.id)

        // Two values for the same (variable, entity index) violate uniqueness half-way through the write.
        var clash = Fixtures.result(job: job, document: docs[1], values: [("sentiment", "pos"), ("sentiment", "neg")])
        clash.errors = [ErrorRecord(jobID: job.id, documentID: docs[1].id, kind: .schemaValidation, reason: "dup")]
        await #expect(throws: (any Error).self) {
            try await store.record(clash)
        }
        #expect(try await store.extractions(projectID: project.id, documentID: docs[1].id).isEmpty)
        #expect(try await store.extractions(projectID: project.id, documentID: nil) == valuesBefore)
        #expect(try await store.outcomes(projectID: project.id).map(\.documentID) == [docs[0].id])
        #expect(try await store.errorRecords(projectID: project.id, jobID: nil).isEmpty)
        #expect(try await store.events(jobID: job.id) == eventsBefore)
        #expect(try await store.job(id: job.id) == jobBefore)

        // The same clash on a document that already has values must not erase them either.
        var clashOnDone = clash
        clashOnDone.documentID = docs[0].id
        clashOnDone.extractions = clash.extractions.map {
            var e = $0
            e.documentID = docs[0].id
            return e
        }
        await #expect(throws: (any Error).self) {
            try await store.record(clashOnDone)
        }
        #expect(try await store.extractions(projectID: project.id, documentID: nil) == valuesBefore)
        #expect(try await store.job(id: job.id) == jobBefore)
    }

    @Test(arguments: StoreKind.allCases)
    func recordForUnknownJobOrDocumentThrows(kind: StoreKind) async throws {
        let store = try await kind.make()
        let (project, docs) = try await Fixtures.project(in: store)
        let job = try await Fixtures.job(in: store, project: project)
        var unknownJob = Fixtures.result(job: job, document: docs[0])
        unknownJob.jobID = 9_999
        await #expect(throws: (any Error).self) { try await store.record(unknownJob) }
        var unknownDocument = Fixtures.result(job: job, document: docs[0])
        unknownDocument.documentID = 9_999
        await #expect(throws: (any Error).self) { try await store.record(unknownDocument) }
        #expect(try await store.job(id: job.id)?.processed == 0)
        #expect(try await store.outcomes(projectID: project.id).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func extractionsAreScopedAndOrdered(kind: StoreKind) async throws {
        let store = try await kind.make()
        let (project, docs) = try await Fixtures.project(in: store)
        let (other, otherDocs) = try await Fixtures.project(in: store, name: "other", documents: 1)
        let job = try await Fixtures.job(in: store, project: project)
        let otherJob = try await Fixtures.job(in: store, project: other)
        // Recorded out of document order: listing is by document, then insertion.
        try await store.record(Fixtures.result(job: job, document: docs[2], values: [("sentiment", "neg"), ("amount", 3)]))
        try await store.record(Fixtures.result(job: job, document: docs[0], values: [("amount", 1), ("sentiment", "pos")]))
        try await store.record(Fixtures.result(job: otherJob, document: otherDocs[0]))

        let all = try await store.extractions(projectID: project.id, documentID: nil)
        #expect(all.map(\.documentID) == [docs[0].id, docs[0].id, docs[2].id, docs[2].id])
        #expect(all.map(\.variable) == ["amount", "sentiment", "sentiment", "amount"])
        #expect(try await store.extractions(projectID: project.id, documentID: docs[1].id).isEmpty)
        #expect(try await store.extractions(projectID: other.id, documentID: nil).count == 2)
        // A document of another project is not found through this one.
        #expect(try await store.extractions(projectID: project.id, documentID: otherDocs[0].id).isEmpty)
        #expect(try await store.outcomes(projectID: other.id).map(\.documentID) == [otherDocs[0].id])
    }

    @Test(arguments: StoreKind.allCases)
    func errorRecordsFilterByJob(kind: StoreKind) async throws {
        let store = try await kind.make()
        let (project, docs) = try await Fixtures.project(in: store)
        let (other, otherDocs) = try await Fixtures.project(in: store, name: "other", documents: 1)
        let first = try await Fixtures.job(in: store, project: project)
        let second = try await Fixtures.job(in: store, project: project)
        let otherJob = try await Fixtures.job(in: store, project: other)
        try await store.record(Fixtures.result(job: first, document: docs[0], outcome: .failed))
        try await store.record(Fixtures.result(job: second, document: docs[1], outcome: .failed))
        try await store.record(Fixtures.result(job: first, document: docs[2], outcome: .failed))
        try await store.record(Fixtures.result(job: otherJob, document: otherDocs[0], outcome: .failed))

        let all = try await store.errorRecords(projectID: project.id, jobID: nil)
        #expect(all.map(\.documentID) == [docs[0].id, docs[1].id, docs[2].id])
        #expect(all.map(\.id) == all.map(\.id).sorted())
        #expect(
            try await store.errorRecords(projectID: project.id, jobID: first.id).map(\.documentID)
                == [docs[0].id, docs[2].id])
        #expect(try await store.errorRecords(projectID: project.id, jobID: second.id).map(\.documentID) == [docs[1].id])
        #expect(try await store.errorRecords(projectID: other.id, jobID: nil).count == 1)
        #expect(try await store.errorRecords(projectID: project.id, jobID: otherJob.id).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func metricsAreSavedPerJobAndReplaced(kind: StoreKind) async throws {
        let store = try await kind.make()
        let (project, _) = try await Fixtures.project(in: store)
        let job = try await Fixtures.job(in: store, project: project)
        #expect(try await store.metrics(jobID: job.id) == nil)
        var metrics = JobMetrics(requests: 4, documents: 9, reasks: 1, splits: 1, averageLatencyMs: 120.5, p95LatencyMs: 300)
        try await store.saveMetrics(metrics, jobID: job.id)
        #expect(try await store.metrics(jobID: job.id) == metrics)
        metrics.requests = 5
        try await store.saveMetrics(metrics, jobID: job.id)
        #expect(try await store.metrics(jobID: job.id)?.requests == 5)
        await #expect(throws: StoreError.self) { try await store.saveMetrics(metrics, jobID: 9999) }
    }
}
