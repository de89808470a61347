import AssayCore
import AssayStore
import Foundation
import Testing

/// The failure-pattern part of the `Store` contract, run against every backend.
@Suite("Store conformance: failure patterns")
struct PatternStoreTests {
    static func pattern(_ trace: String, document: Document, job: Job, type: String = "tool_error",
                        confidence: Double = 0.9) -> StoredPattern {
        StoredPattern(patternID: "fp_\(trace)", projectID: document.projectID, documentID: document.id, sourceTraceID: trace,
                      jobID: job.id, failureType: type, triggerCondition: "upstream_api_error", severity: "high",
                      confidence: confidence, json: #"{"source_trace_id":"\#(trace)"}"#, extractedAt: Date(timeIntervalSince1970: 1_700_000_000))
    }

    @Test(arguments: StoreKind.allCases)
    func savingAgainReplacesAndNeverDuplicates(kind: StoreKind) async throws {
        let store = try kind.make()
        let (project, docs) = try await Fixtures.project(in: store)
        let job = try await Fixtures.job(in: store, project: project)
        try await store.savePattern(Self.pattern("t1", document: docs[0], job: job))
        try await store.savePattern(Self.pattern("t1", document: docs[0], job: job, type: "timeout", confidence: 0.4))
        let stored = try await store.patterns(projectID: project.id, filter: PatternFilter())
        #expect(stored.count == 1)
        #expect(stored.first?.failureType == "timeout" && stored.first?.confidence == 0.4)
        #expect(stored.first == Self.pattern("t1", document: docs[0], job: job, type: "timeout", confidence: 0.4))
    }

    @Test(arguments: StoreKind.allCases)
    func filtersAndDocumentsWithoutPattern(kind: StoreKind) async throws {
        let store = try kind.make()
        let (project, docs) = try await Fixtures.project(in: store)
        let job = try await Fixtures.job(in: store, project: project)
        #expect(try await store.documentsWithoutPattern(projectID: project.id, limit: 10) == docs.map(\.id))
        try await store.savePattern(Self.pattern("t1", document: docs[0], job: job, type: "tool_error", confidence: 0.9))
        try await store.savePattern(Self.pattern("t2", document: docs[1], job: job, type: "timeout", confidence: 0.5))
        #expect(try await store.documentsWithoutPattern(projectID: project.id, limit: 10) == [docs[2].id])
        #expect(try await store.documentsWithoutPattern(projectID: project.id, limit: 0) == [])
        #expect(try await store.patterns(projectID: project.id, filter: PatternFilter(failureType: "timeout")).map(\.sourceTraceID) == ["t2"])
        #expect(try await store.patterns(projectID: project.id, filter: PatternFilter(minConfidence: 0.8)).map(\.sourceTraceID) == ["t1"])
        #expect(try await store.patterns(projectID: project.id, filter: PatternFilter(jobID: job.id + 1)).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func runSummariesAndLooseErrorRecords(kind: StoreKind) async throws {
        let store = try kind.make()
        let (project, docs) = try await Fixtures.project(in: store)
        let job = try await Fixtures.job(in: store, project: project)
        try await store.saveRunSummary(#"{"v":1}"#, jobID: job.id)
        try await store.saveRunSummary(#"{"v":2}"#, jobID: job.id)
        let summaries = try await store.runSummaries(projectID: project.id)
        #expect(summaries.count == 1 && summaries.first?.json == #"{"v":2}"# && summaries.first?.jobID == job.id)

        let record = ErrorRecord(jobID: job.id, documentID: docs[0].id, kind: .schemaValidation, reason: "pattern invalid",
                                 responseHash: "abc", excerpt: "short")
        try await store.addErrorRecord(record, projectID: project.id)
        let errors = try await store.errorRecords(projectID: project.id, jobID: job.id)
        #expect(errors.count == 1 && errors.first?.reason == "pattern invalid" && errors.first?.kind == .schemaValidation)
    }
}
