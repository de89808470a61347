import AssayCore
import AssayStore
import Foundation
import Testing

/// The contract of `Store`, run against every backend in `StoreKind`.
@Suite("Store conformance")
struct StoreConformanceTests {
    // MARK: Projects

    @Test(arguments: StoreKind.allCases)
    func createsAndFindsProjects(kind: StoreKind) async throws {
        let store = try kind.make()
        let first = try await store.createProject(name: "grants", description: "letters")
        let second = try await store.createProject(name: "speeches", description: nil)

        #expect(first.name == "grants")
        #expect(first.description == "letters")
        #expect(first.status == .created)
        #expect(first.unit == .document)
        #expect(second.description == nil)
        #expect(first.id != second.id)
        #expect(try await store.project(id: first.id) == first)
        #expect(try await store.project(named: "speeches") == second)
        #expect(try await store.project(named: "nope") == nil)
        #expect(try await store.project(id: 9_999) == nil)
        #expect(try await store.projects().map(\.name) == ["grants", "speeches"])
    }

    @Test(arguments: StoreKind.allCases)
    func duplicateProjectNameThrows(kind: StoreKind) async throws {
        let store = try kind.make()
        _ = try await store.createProject(name: "grants", description: nil)
        await #expect(throws: StoreError.duplicateProject("grants")) {
            _ = try await store.createProject(name: "grants", description: "again")
        }
        #expect(try await store.projects().count == 1)
    }

    @Test(arguments: StoreKind.allCases)
    func setsProjectStatus(kind: StoreKind) async throws {
        let store = try kind.make()
        let project = try await store.createProject(name: "grants", description: nil)
        try await store.setProjectStatus(.sampleComplete, projectID: project.id)
        #expect(try await store.project(id: project.id)?.status == .sampleComplete)
        await #expect(throws: StoreError.self) {
            try await store.setProjectStatus(.complete, projectID: 9_999)
        }
    }

    // MARK: Codebooks

    @Test(arguments: StoreKind.allCases)
    func savesCodebookVersions(kind: StoreKind) async throws {
        let store = try kind.make()
        let project = try await store.createProject(name: "grants", description: nil)
        #expect(try await store.latestCodebook(projectID: project.id) == nil)

        let (v1, new1) = try await store.saveCodebook(Fixtures.codebook, promptHash: "p1", projectID: project.id)
        #expect(new1)
        #expect(v1.version == 1)
        #expect(v1.projectID == project.id)
        #expect(v1.codebook == Fixtures.codebook)
        #expect(v1.codebookHash == Fixtures.codebook.contentHash)
        #expect(v1.promptHash == "p1")

        // Same codebook, same prompt: the version in force, not a new one.
        let (same, newSame) = try await store.saveCodebook(Fixtures.codebook, promptHash: "p1", projectID: project.id)
        #expect(!newSame)
        #expect(same == v1)

        // A changed codebook is version 2.
        let (v2, new2) = try await store.saveCodebook(Fixtures.changedCodebook, promptHash: "p2", projectID: project.id)
        #expect(new2)
        #expect(v2.version == 2)
        #expect(v2.codebook == Fixtures.changedCodebook)

        // Same codebook but the prompt it generates changed (e.g. a new template): also a new version.
        let (v3, new3) = try await store.saveCodebook(Fixtures.changedCodebook, promptHash: "p3", projectID: project.id)
        #expect(new3)
        #expect(v3.version == 3)

        #expect(try await store.latestCodebook(projectID: project.id) == v3)
        #expect(try await store.codebookVersions(projectID: project.id).map(\.version) == [1, 2, 3])

        // Versions are per project.
        let other = try await store.createProject(name: "other", description: nil)
        let (otherV1, _) = try await store.saveCodebook(Fixtures.codebook, promptHash: "p1", projectID: other.id)
        #expect(otherV1.version == 1)
    }

    // MARK: Documents

    @Test(arguments: StoreKind.allCases)
    func upsertInsertsLeavesAloneAndUpdates(kind: StoreKind) async throws {
        let store = try kind.make()
        let project = try await store.createProject(name: "grants", description: nil)
        let input = Fixtures.input("a.txt", text: "Please fund our lab.", metadata: ["year": 2024, "tags": ["x", "y"]])

        let (inserted, o1) = try await store.upsertDocument(input, projectID: project.id)
        #expect(o1 == .inserted)
        #expect(inserted.projectID == project.id)
        #expect(inserted.externalID == "a.txt")
        #expect(inserted.title == "Title a.txt")
        #expect(inserted.mediaType == "text/plain")
        #expect(inserted.text == "Please fund our lab.")
        #expect(inserted.contentHash == input.contentHash)
        #expect(inserted.wordCount == input.wordCount)
        #expect(inserted.tokenCount == input.tokenCount)
        #expect(inserted.status == .ready)
        #expect(inserted.error == nil)
        #expect(inserted.metadata == ["year": 2024, "tags": ["x", "y"]])

        let (unchanged, o2) = try await store.upsertDocument(input, projectID: project.id)
        #expect(o2 == .unchanged)
        #expect(unchanged == inserted)

        var edited = input
        edited.text = "Please fund our lab and our library."
        edited.title = "New title"
        let (updated, o3) = try await store.upsertDocument(edited, projectID: project.id)
        #expect(o3 == .updated)
        #expect(updated.id == inserted.id)
        #expect(updated.text == edited.text)
        #expect(updated.title == "New title")
        #expect(updated.contentHash == edited.contentHash)
        #expect(updated.contentHash != inserted.contentHash)
        #expect(updated.wordCount == edited.wordCount)
        #expect(try await store.documents(projectID: project.id, status: nil).count == 1)

        // Same content in another state is an update too.
        var parsed = edited
        parsed.status = .parsed
        let (reparsed, o4) = try await store.upsertDocument(parsed, projectID: project.id)
        #expect(o4 == .updated)
        #expect(reparsed.status == .parsed)
    }

    @Test(arguments: StoreKind.allCases)
    func failedDocumentReAddedWithGoodContentBecomesReady(kind: StoreKind) async throws {
        let store = try kind.make()
        let project = try await store.createProject(name: "grants", description: nil)
        let (failed, o1) = try await store.upsertDocument(
            .failed(externalID: "scan.pdf", mediaType: "application/pdf", reason: "no text layer"), projectID: project.id)
        #expect(o1 == .inserted)
        #expect(failed.status == .failed)
        #expect(failed.error == "no text layer")

        // The same failure again changes nothing.
        let (_, again) = try await store.upsertDocument(
            .failed(externalID: "scan.pdf", mediaType: "application/pdf", reason: "no text layer"), projectID: project.id)
        #expect(again == .unchanged)

        let good = DocumentInput(externalID: "scan.pdf", mediaType: "application/pdf", text: "Now with OCR text.")
        let (fixed, o2) = try await store.upsertDocument(good, projectID: project.id)
        #expect(o2 == .updated)
        #expect(fixed.id == failed.id)
        #expect(fixed.status == .ready)
        #expect(fixed.error == nil)
        #expect(fixed.text == "Now with OCR text.")
    }

    @Test(arguments: StoreKind.allCases)
    func listsAndFindsDocuments(kind: StoreKind) async throws {
        let store = try kind.make()
        let project = try await store.createProject(name: "grants", description: nil)
        let other = try await store.createProject(name: "other", description: nil)
        let a = try await store.upsertDocument(Fixtures.input("a"), projectID: project.id).document
        let b = try await store.upsertDocument(Fixtures.input("b", status: .parsed), projectID: project.id).document
        let c = try await store.upsertDocument(Fixtures.input("c"), projectID: project.id).document
        // The same external id in another project is another document.
        let otherA = try await store.upsertDocument(Fixtures.input("a"), projectID: other.id)
        #expect(otherA.outcome == .inserted)
        #expect(otherA.document.id != a.id)

        #expect(try await store.documents(projectID: project.id, status: nil).map(\.id) == [a.id, b.id, c.id])
        #expect(try await store.documents(projectID: project.id, status: .ready).map(\.id) == [a.id, c.id])
        #expect(try await store.documents(projectID: project.id, status: .parsed).map(\.id) == [b.id])
        #expect(try await store.documents(projectID: project.id, status: .failed).isEmpty)
        #expect(try await store.document(id: b.id) == b)
        #expect(try await store.document(id: 9_999) == nil)
        #expect(try await store.document(externalID: "c", projectID: project.id) == c)
        #expect(try await store.document(externalID: "a", projectID: other.id) == otherA.document)
        #expect(try await store.document(externalID: "zzz", projectID: project.id) == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func documentsNeedingWork(kind: StoreKind) async throws {
        let store = try kind.make()
        let (project, docs) = try await Fixtures.project(in: store, documents: 4)
        _ = try await store.upsertDocument(Fixtures.input("not-ready", status: .parsed), projectID: project.id)
        let ids = docs.map(\.id)
        #expect(try await store.documentsNeedingWork(projectID: project.id, codebookVersion: 1).map(\.id) == ids)

        let job = try await Fixtures.job(in: store, project: project)
        try await store.record(Fixtures.result(job: job, document: docs[0], outcome: .succeeded))
        try await store.record(Fixtures.result(job: job, document: docs[1], outcome: .flagged))
        try await store.record(Fixtures.result(job: job, document: docs[2], outcome: .failed))

        // Done (succeeded, flagged) documents drop out; failed ones are retried; unready ones never appear.
        #expect(try await store.documentsNeedingWork(projectID: project.id, codebookVersion: 1).map(\.id)
            == [docs[2].id, docs[3].id])

        // A new codebook version redoes everything.
        #expect(try await store.documentsNeedingWork(projectID: project.id, codebookVersion: 2).map(\.id) == ids)

        // Changed content is redone under the same version.
        var edited = Fixtures.input("d1", text: "Entirely new text for d1.")
        edited.status = .ready
        #expect(try await store.upsertDocument(edited, projectID: project.id).outcome == .updated)
        #expect(try await store.documentsNeedingWork(projectID: project.id, codebookVersion: 1).map(\.id)
            == [docs[0].id, docs[2].id, docs[3].id])
    }

    @Test(arguments: StoreKind.allCases)
    func pendingWorkMatchesDocumentsNeedingWorkWithoutTexts(kind: StoreKind) async throws {
        let store = try kind.make()
        let (project, docs) = try await Fixtures.project(in: store, documents: 3)
        _ = try await store.upsertDocument(Fixtures.input("é-accent", text: "Café — naïve"), projectID: project.id)
        let job = try await Fixtures.job(in: store, project: project)
        try await store.record(Fixtures.result(job: job, document: docs[0], outcome: .succeeded))

        let needing = try await store.documentsNeedingWork(projectID: project.id, codebookVersion: 1)
        let pending = try await store.pendingWork(projectID: project.id, codebookVersion: 1)
        #expect(pending == needing.map(WorkItem.init))
        // Lengths are Unicode scalars, as the token estimate counts them.
        #expect(pending.last?.characters == "Café — naïve".unicodeScalars.count)
    }

    @Test(arguments: StoreKind.allCases)
    func workItemsAndDocumentsByIDKeepTheOrderGiven(kind: StoreKind) async throws {
        let store = try kind.make()
        let (project, docs) = try await Fixtures.project(in: store, documents: 3)
        let other = try await store.createProject(name: "other", description: nil)
        let foreign = try await store.upsertDocument(Fixtures.input("x"), projectID: other.id).document
        let unready = try await store.upsertDocument(Fixtures.input("u", status: .parsed), projectID: project.id).document
        let ids = [docs[2].id, docs[0].id, foreign.id, unready.id, 9_999]

        // Only the project's ready documents are work.
        #expect(try await store.workItems(documentIDs: ids, projectID: project.id).map(\.documentID) == [docs[2].id, docs[0].id])
        #expect(try await store.documents(ids: ids).map(\.id) == [docs[2].id, docs[0].id, foreign.id, unready.id])
        #expect(try await store.documents(ids: []).isEmpty)
        #expect(try await store.documentCount(projectID: project.id, status: .ready) == 3)
        #expect(try await store.documentCount(projectID: project.id, status: nil) == 4)
    }

    @Test(arguments: StoreKind.allCases)
    func largeIDListsArePaged(kind: StoreKind) async throws {
        let store = try kind.make()
        let (project, docs) = try await Fixtures.project(in: store, documents: 2)
        // More ids than SQLite binds in one statement by default on older builds.
        let ids = Array(repeating: docs.map(\.id), count: 700).flatMap { $0 }
        #expect(try await store.documents(ids: ids).count == ids.count)
        #expect(try await store.workItems(documentIDs: ids, projectID: project.id).count == ids.count)
    }

    // MARK: Jobs

    @Test(arguments: StoreKind.allCases)
    func createsAndListsJobs(kind: StoreKind) async throws {
        let store = try kind.make()
        let (project, _) = try await Fixtures.project(in: store)
        let selection = JobSelection(sampleSize: 5, documentIDs: [3, 1], seed: 7)
        let first = try await store.createJob(projectID: project.id, kind: .sample, codebookVersion: 1,
                                              promptHash: "p1", model: "m", selection: selection, total: 5)
        #expect(first.projectID == project.id)
        #expect(first.kind == .sample)
        #expect(first.status == .pending)
        #expect(first.codebookVersion == 1)
        #expect(first.promptHash == "p1")
        #expect(first.model == "m")
        #expect(first.selection == selection)
        #expect(first.total == 5)
        let counters: [Int] = [first.processed, first.succeeded, first.flagged, first.failed,
                               first.consecutiveFailures, first.tokensIn, first.tokensOut]
        #expect(counters.allSatisfy { $0 == 0 })
        #expect(first.error == nil)
        #expect(first.startedAt == nil)
        #expect(first.finishedAt == nil)
        #expect(try await store.job(id: first.id) == first)
        #expect(try await store.job(id: 9_999) == nil)

        let second = try await Fixtures.job(in: store, project: project)
        #expect(second.selection == .all)
        #expect(try await store.jobs(projectID: project.id).map(\.id) == [second.id, first.id])
    }

    @Test(arguments: StoreKind.allCases)
    func setJobStatusStampsTimes(kind: StoreKind) async throws {
        let store = try kind.make()
        let (project, _) = try await Fixtures.project(in: store)
        let job = try await Fixtures.job(in: store, project: project)

        try await store.setJobStatus(.running, error: nil, jobID: job.id)
        let running = try #require(try await store.job(id: job.id))
        #expect(running.status == .running)
        let started = try #require(running.startedAt)
        #expect(running.finishedAt == nil)

        // Pausing and resuming keeps the original start.
        try await store.setJobStatus(.paused, error: nil, jobID: job.id)
        #expect(try await store.job(id: job.id)?.status == .paused)
        try await Task.sleep(for: .milliseconds(20))
        try await store.setJobStatus(.running, error: nil, jobID: job.id)
        let resumed = try #require(try await store.job(id: job.id))
        #expect(resumed.startedAt == started)
        #expect(resumed.finishedAt == nil)

        try await store.setJobStatus(.failed, error: "provider down", jobID: job.id)
        let failed = try #require(try await store.job(id: job.id))
        #expect(failed.status == .failed)
        #expect(failed.error == "provider down")
        #expect(failed.startedAt == started)
        let finished = try #require(failed.finishedAt)
        #expect(finished >= started)

        // Each finishing status stamps the finish.
        for status in [JobStatus.completed, .cancelled] {
            let other = try await Fixtures.job(in: store, project: project)
            try await store.setJobStatus(status, error: nil, jobID: other.id)
            let done = try #require(try await store.job(id: other.id))
            #expect(done.status == status)
            #expect(done.finishedAt != nil)
            #expect(done.startedAt == nil)
        }

        await #expect(throws: StoreError.self) {
            try await store.setJobStatus(.running, error: nil, jobID: 9_999)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func appendsAndListsEvents(kind: StoreKind) async throws {
        let store = try kind.make()
        let (project, docs) = try await Fixtures.project(in: store)
        let job = try await Fixtures.job(in: store, project: project)
        let other = try await Fixtures.job(in: store, project: project)
        try await store.appendEvent(jobID: job.id, kind: .jobStarted, documentID: nil, message: "3 documents")
        try await store.appendEvent(jobID: other.id, kind: .jobStarted, documentID: nil, message: nil)
        try await store.appendEvent(jobID: job.id, kind: .docStarted, documentID: docs[0].id, message: nil)
        try await store.appendEvent(jobID: job.id, kind: .jobCompleted, documentID: nil, message: nil)

        let events = try await store.events(jobID: job.id)
        #expect(events.map(\.kind) == [.jobStarted, .docStarted, .jobCompleted])
        #expect(events.allSatisfy { $0.jobID == job.id })
        #expect(events[0].message == "3 documents")
        #expect(events[1].documentID == docs[0].id)
        #expect(events[2].documentID == nil)
        #expect(try await store.events(jobID: other.id).count == 1)
    }

    // MARK: Results

    @Test(arguments: StoreKind.allCases)
    func recordWritesValuesOutcomeCountersAndEvent(kind: StoreKind) async throws {
        let store = try kind.make()
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
        #expect(events.map(\.kind) == [.docCompleted, .docCompleted])
        #expect(events.map(\.documentID) == [docs[0].id, docs[1].id])
        #expect(events.map(\.message) == ["succeeded", "flagged"])
    }

    @Test(arguments: StoreKind.allCases)
    func recordStoresEntitiesAndValuesWithoutEvidence(kind: StoreKind) async throws {
        let store = try kind.make()
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

    @Test(arguments: StoreKind.allCases)
    func reRecordingReplacesValues(kind: StoreKind) async throws {
        let store = try kind.make()
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
        let store = try kind.make()
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
        #expect(events.map(\.kind) == [.docFailed, .docFailed])
        #expect(events.first?.message == "invalid_json: reply is not JSON")

        // A success resets the run of failures.
        try await store.record(Fixtures.result(job: rerun, document: docs[2]))
        #expect(try await store.job(id: rerun.id)?.consecutiveFailures == 0)
    }

    @Test(arguments: StoreKind.allCases)
    func recordIsAtomic(kind: StoreKind) async throws {
        let store = try kind.make()
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
        clashOnDone.extractions = clash.extractions.map { var e = $0; e.documentID = docs[0].id; return e }
        await #expect(throws: (any Error).self) {
            try await store.record(clashOnDone)
        }
        #expect(try await store.extractions(projectID: project.id, documentID: nil) == valuesBefore)
        #expect(try await store.job(id: job.id) == jobBefore)
    }

    @Test(arguments: StoreKind.allCases)
    func recordForUnknownJobOrDocumentThrows(kind: StoreKind) async throws {
        let store = try kind.make()
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
        let store = try kind.make()
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
        let store = try kind.make()
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
        #expect(try await store.errorRecords(projectID: project.id, jobID: first.id).map(\.documentID)
            == [docs[0].id, docs[2].id])
        #expect(try await store.errorRecords(projectID: project.id, jobID: second.id).map(\.documentID) == [docs[1].id])
        #expect(try await store.errorRecords(projectID: other.id, jobID: nil).count == 1)
        #expect(try await store.errorRecords(projectID: project.id, jobID: otherJob.id).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func metricsAreSavedPerJobAndReplaced(kind: StoreKind) async throws {
        let store = try kind.make()
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
