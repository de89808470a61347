import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// The stores every conformance test runs against. A new backend is one new case here.
///
/// PostgreSQL is among them when a server is given (`ASSAY_TEST_POSTGRES_URL`; scripts/test.sh
/// starts one); a suite that uses it carries `.postgresDatabases`, which drops each test's database.
/// `PostgresRequiredTests` fails a run that leaves PostgreSQL out where it must not.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible {
    case sqliteMemory
    case sqliteFile
    case postgres

    static var allCases: [StoreKind] {
        TestPostgres.url == nil ? [.sqliteMemory, .sqliteFile] : [.sqliteMemory, .sqliteFile, .postgres]
    }

    var testDescription: String { rawValue }

    /// A fresh, empty store of this kind with every store protocol.
    func make() async throws -> any AssayDatabase {
        switch self {
        case .sqliteMemory:
            return try SQLiteStore.inMemory()
        case .sqliteFile:
            return try SQLiteStore(path: TempFolder.unusedPath("store", file: "assay.sqlite"))
        case .postgres:
            return try await TestPostgres.makeStore()
        }
    }
}

/// Small, fixed inputs for store tests.
enum Fixtures {
    static let codebook = Codebook(
        name: "Grants",
        instructions: "Code each grant letter.",
        variables: [
            Variable(
                name: "sentiment", type: .category, instructions: "Overall tone.",
                categories: [Category(code: "pos"), Category(code: "neg")]),
            Variable(
                name: "amount", type: .number, instructions: "Amount requested in dollars.",
                validation: ValidationRules(min: 0)),
        ])

    /// `codebook` with one instruction changed: a different content hash.
    static var changedCodebook: Codebook {
        var changed = codebook
        changed.variables[1].instructions = "Amount requested in euros."
        return changed
    }

    static func input(
        _ externalID: String, text: String = "", status: DocumentStatus = .ready,
        metadata: JSONValue = .null
    ) -> DocumentInput {
        DocumentInput(
            externalID: externalID, title: "Title \(externalID)", mediaType: "text/plain",
            text: text.isEmpty ? "Text of \(externalID): we ask for 500 dollars." : text,
            status: status, metadata: metadata)
    }

    /// A value for `variable` with evidence, as the engine would hand it to the store.
    static func extraction(
        _ variable: String, _ value: JSONValue, documentID: Int64, jobID: Int64,
        entityIndex: Int = 0, status: ExtractionStatus = .validated
    ) -> Extraction {
        Extraction(
            documentID: documentID, variable: variable, entityIndex: entityIndex, value: value,
            confidence: 0.9, evidence: Evidence(quote: "500 dollars", start: 20, end: 31, match: .exact),
            rationale: "stated", status: status, codebookVersion: 1, promptHash: "prompt-1",
            model: "test-model", jobID: jobID)
    }

    /// A result for `document` in `job`: values for a successful or flagged outcome, an error for a failed one.
    static func result(
        job: Job, document: Document, outcome: DocumentOutcomeKind = .succeeded,
        values: [(String, JSONValue)] = [("sentiment", "pos"), ("amount", 500)],
        tokensIn: Int = 100, tokensOut: Int = 20
    ) -> DocumentResult {
        let failed = outcome == .failed
        let extractions =
            failed
            ? []
            : values.map {
                extraction(
                    $0.0, $0.1, documentID: document.id, jobID: job.id,
                    status: outcome == .flagged ? .flagged : .validated)
            }
        let errors =
            failed
            ? [
                ErrorRecord(
                    jobID: job.id, documentID: document.id, kind: .invalidJSON, reason: "reply is not JSON",
                    responseHash: "abc", excerpt: "{oops")
            ]
            : []
        return DocumentResult(
            jobID: job.id, documentID: document.id, codebookVersion: job.codebookVersion,
            contentHash: document.contentHash, outcome: outcome, extractions: extractions,
            errors: errors, tokensIn: tokensIn, tokensOut: tokensOut)
    }

    /// A project with a codebook (v1) and `documents` ready documents "d1"..."dN".
    static func project(
        in store: any Store, name: String = "grants", documents count: Int = 3
    ) async throws
        -> (Project, [Document])
    {
        let project = try await store.createProject(name: name, description: "test project")
        _ = try await store.saveCodebook(codebook, promptHash: "prompt-1", projectID: project.id)
        var documents: [Document] = []
        for i in 0..<count {
            documents.append(try await store.upsertDocument(input("d\(i + 1)"), projectID: project.id).document)
        }
        return (project, documents)
    }

    /// Another handle on the same database that claims work as `worker`.
    static func handle(_ store: any Store, worker: String) throws -> any AssayDatabase & WorkClaims {
        switch store {
        case let sqlite as SQLiteStore: return sqlite.asWorker(worker)
        case let postgres as PostgresStore: return postgres.asWorker(worker)
        default: throw StoreError.unavailable("no worker handles for \(type(of: store))")
        }
    }

    static func job(in store: any Store, project: Project, version: Int = 1, total: Int = 3) async throws -> Job {
        try await store.startJob(
            projectID: project.id, kind: .full, codebookVersion: version, promptHash: "prompt-1",
            model: "test-model", selection: .all, total: total, message: nil, projectStatus: nil)
    }
}
