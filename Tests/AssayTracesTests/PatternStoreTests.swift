import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

@testable import AssayTraces

/// The `PatternStore` contract, run against every backend that keeps patterns.
@Suite("Store conformance: failure patterns", .postgresDatabases)
struct PatternStoreTests {
    enum Backend: String, CaseIterable {
        case sqliteMemory, sqliteFile, postgres

        /// PostgreSQL where a server is given (ASSAY_TEST_POSTGRES_URL), as in the store's own suite.
        static var allCases: [Backend] {
            TestPostgres.url == nil ? [.sqliteMemory, .sqliteFile] : [.sqliteMemory, .sqliteFile, .postgres]
        }

        func make() async throws -> any Store & PatternStore {
            switch self {
            case .sqliteMemory: try SQLiteStore.inMemory()
            case .sqliteFile:
                try SQLiteStore(
                    path: FileManager.default.temporaryDirectory
                        .appendingPathComponent("assay-pattern-tests-\(UUID().uuidString).sqlite").path)
            case .postgres: try await TestPostgres.makeStore()
            }
        }
    }

    /// A project with three ready documents and a job over them.
    static func project(in store: any Store) async throws -> (Project, [Document], Job) {
        let project = try await store.createProject(name: "traces", description: nil)
        var documents: [Document] = []
        for i in 1...3 {
            let input = DocumentInput(externalID: "t\(i)", mediaType: "text/plain", text: "trace \(i)")
            documents.append(try await store.upsertDocument(input, projectID: project.id).document)
        }
        let job = try await store.startJob(
            projectID: project.id, kind: .full, codebookVersion: 1, promptHash: "p",
            model: "m", selection: .all, total: 3, message: nil, projectStatus: nil)
        return (project, documents, job)
    }

    static func pattern(
        _ trace: String, document: Document, job: Job, type: String = "tool_error",
        confidence: Double = 0.9
    ) -> StoredPattern {
        StoredPattern(
            patternID: "fp_\(trace)", projectID: document.projectID, documentID: document.id, sourceTraceID: trace,
            jobID: job.id, failureType: type, triggerCondition: "upstream_api_error", severity: "high",
            confidence: confidence, json: #"{"source_trace_id":"\#(trace)"}"#, extractedAt: Date(timeIntervalSince1970: 1_700_000_000))
    }

    @Test(arguments: Backend.allCases)
    func savingAgainReplacesAndNeverDuplicates(kind: Backend) async throws {
        let store = try await kind.make()
        let (project, docs, job) = try await Self.project(in: store)
        try await store.savePattern(Self.pattern("t1", document: docs[0], job: job))
        try await store.savePattern(Self.pattern("t1", document: docs[0], job: job, type: "timeout", confidence: 0.4))
        let stored = try await store.patterns(projectID: project.id, filter: PatternFilter())
        #expect(stored.count == 1)
        #expect(stored.first?.failureType == "timeout" && stored.first?.confidence == 0.4)
        #expect(stored.first == Self.pattern("t1", document: docs[0], job: job, type: "timeout", confidence: 0.4))
    }

    @Test(arguments: Backend.allCases)
    func filtersAndDocumentsWithoutPattern(kind: Backend) async throws {
        let store = try await kind.make()
        let (project, docs, job) = try await Self.project(in: store)
        #expect(try await store.documentsWithoutPattern(projectID: project.id, limit: 10) == docs.map(\.id))
        try await store.savePattern(Self.pattern("t1", document: docs[0], job: job, type: "tool_error", confidence: 0.9))
        try await store.savePattern(Self.pattern("t2", document: docs[1], job: job, type: "timeout", confidence: 0.5))
        #expect(try await store.documentsWithoutPattern(projectID: project.id, limit: 10) == [docs[2].id])
        #expect(try await store.documentsWithoutPattern(projectID: project.id, limit: 0) == [])
        #expect(
            try await store.patterns(projectID: project.id, filter: PatternFilter(failureType: "timeout")).map(\.sourceTraceID) == ["t2"])
        #expect(try await store.patterns(projectID: project.id, filter: PatternFilter(minConfidence: 0.8)).map(\.sourceTraceID) == ["t1"])
        #expect(try await store.patterns(projectID: project.id, filter: PatternFilter(jobID: job.id + 1)).isEmpty)
    }

    @Test(arguments: Backend.allCases)
    func runSummariesAndLooseErrorRecords(kind: Backend) async throws {
        let store = try await kind.make()
        let (project, docs, job) = try await Self.project(in: store)
        try await store.saveRunSummary(#"{"v":1}"#, jobID: job.id)
        try await store.saveRunSummary(#"{"v":2}"#, jobID: job.id)
        let summaries = try await store.runSummaries(projectID: project.id)
        #expect(summaries.count == 1 && summaries.first?.json == #"{"v":2}"# && summaries.first?.jobID == job.id)

        let record = ErrorRecord(
            jobID: job.id, documentID: docs[0].id, kind: .schemaValidation, reason: "pattern invalid",
            responseHash: "abc", excerpt: "short")
        try await store.addErrorRecord(record, projectID: project.id)
        let errors = try await store.errorRecords(projectID: project.id, jobID: job.id)
        #expect(errors.count == 1 && errors.first?.reason == "pattern invalid" && errors.first?.kind == .schemaValidation)
    }
}
