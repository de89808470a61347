import AssayCore
import Foundation

/// Where Assay keeps projects, documents, codebooks, jobs and values. SQLite (GRDB) is the
/// embedded default; PostgreSQL serves several workers. Both pass `StoreConformanceTests`.
///
/// Writes that belong together are one transaction: `record(_:)` writes a document's values,
/// outcome, error records, job event and job counters at once, so a crash never leaves half.
public protocol Store: Sendable {
    // MARK: Projects
    func createProject(name: String, description: String?) async throws -> Project
    func project(id: Int64) async throws -> Project?
    func project(named name: String) async throws -> Project?
    func projects() async throws -> [Project]
    func setProjectStatus(_ status: ProjectStatus, projectID: Int64) async throws
    /// What the project's jobs together may spend (`Budget.none`: no limit).
    func setProjectBudget(_ budget: Budget, projectID: Int64) async throws
    /// What one row of the project's dataset describes, and for entities which ones to find.
    func setProjectUnit(_ unit: UnitOfObservation, entityInstruction: String?, projectID: Int64) async throws

    // MARK: Codebooks
    /// Stores the codebook as a new version unless it equals the latest one; returns the version in force.
    func saveCodebook(_ codebook: Codebook, promptHash: String, projectID: Int64) async throws -> (version: CodebookVersion, isNew: Bool)
    func latestCodebook(projectID: Int64) async throws -> CodebookVersion?
    func codebookVersions(projectID: Int64) async throws -> [CodebookVersion]

    // MARK: Documents
    /// Adds a document, or updates it when its external id exists with other content; same content is a no-op.
    /// - Parameter fingerprint: the text's (`DocumentInput.fingerprint`), stored for duplicate checks;
    ///   a caller that computed it already passes it rather than have it computed again.
    func upsertDocument(
        _ input: DocumentInput, projectID: Int64, fingerprint: Fingerprint?
    ) async throws
        -> (document: Document, outcome: UpsertOutcome)
    func document(id: Int64) async throws -> Document?
    func document(externalID: String, projectID: Int64) async throws -> Document?
    func documents(projectID: Int64, status: DocumentStatus?) async throws -> [Document]
    /// Ready documents without an outcome of `succeeded`/`flagged` for this codebook version and their current content.
    func documentsNeedingWork(projectID: Int64, codebookVersion: Int) async throws -> [Document]
    /// The same documents as `documentsNeedingWork`, without their texts: what a job plans with.
    func pendingWork(projectID: Int64, codebookVersion: Int) async throws -> [WorkItem]
    /// The project's ready documents among these ids, without their texts, in the order given.
    func workItems(documentIDs: [Int64], projectID: Int64) async throws -> [WorkItem]
    /// These documents, in the order given; ids that do not exist are left out.
    func documents(ids: [Int64]) async throws -> [Document]
    func documentCount(projectID: Int64, status: DocumentStatus?) async throws -> Int
    /// The project's documents that may duplicate a text with this fingerprint: those sharing a
    /// fingerprint band with it (`upsertDocument` fingerprints every readable document).
    func duplicateCandidates(of fingerprint: Fingerprint, projectID: Int64) async throws -> [FingerprintedDocument]
    /// Every pair of the project's documents sharing a fingerprint band, the later (higher id) first.
    func duplicateCandidatePairs(projectID: Int64) async throws -> [(later: FingerprintedDocument, earlier: FingerprintedDocument)]

    // MARK: Jobs
    /// Creates the job `running` with its start event and, when given, the project's new status,
    /// in one transaction.
    func startJob(
        projectID: Int64, kind: JobKind, codebookVersion: Int, promptHash: String, model: String,
        selection: JobSelection, total: Int, message: String?, projectStatus: ProjectStatus?
    ) async throws -> Job
    func job(id: Int64) async throws -> Job?
    func jobs(projectID: Int64) async throws -> [Job]
    func setJobStatus(_ status: JobStatus, error: String?, jobID: Int64) async throws
    func appendEvent(jobID: Int64, kind: JobEventKind, documentID: Int64?, message: String?) async throws
    func events(jobID: Int64) async throws -> [JobEvent]
    /// The job's events after the event `after` (all, when nil), oldest first, at most `limit`:
    /// how a follower reads what a job run elsewhere did since it last looked.
    func events(jobID: Int64, after: Int64?, limit: Int) async throws -> [JobEvent]
    /// The id of the job's newest event, where a follower that joins starts.
    func lastEventID(jobID: Int64) async throws -> Int64?
    /// Replaces the job's metrics.
    func saveMetrics(_ metrics: JobMetrics, jobID: Int64) async throws
    func metrics(jobID: Int64) async throws -> JobMetrics?

    // MARK: Results
    /// Writes one document's result atomically and bumps the job's counters (see `DocumentResult`).
    func record(_ result: DocumentResult) async throws
    /// Writes several documents' results (one packed request's) in one transaction, each as
    /// `record(_:)` would; when any throws, none is written.
    func record(_ results: [DocumentResult]) async throws
    func extractions(projectID: Int64, documentID: Int64?) async throws -> [Extraction]
    /// For a project that codes entities: how many entities have values, and in how many documents.
    func entityCounts(projectID: Int64) async throws -> (entities: Int, documents: Int)
    func outcomes(projectID: Int64) async throws -> [DocumentOutcome]
    func errorRecords(projectID: Int64, jobID: Int64?) async throws -> [ErrorRecord]
    /// Adds an error record outside a document result (a pattern that failed validation, say).
    func addErrorRecord(_ record: ErrorRecord, projectID: Int64) async throws

    // MARK: People's codes
    /// Stores people's codes in one transaction; a coder's new code for a document and variable
    /// replaces the earlier one.
    func saveHumanCodes(_ codes: [HumanCode]) async throws
    /// The project's people's codes, by document, variable and coder.
    func humanCodes(projectID: Int64) async throws -> [HumanCode]
    /// What the project's jobs spent: tokens, cached tokens and dollars, and the cost per document.
    func spending(projectID: Int64) async throws -> Spending
}

extension Store {
    /// `upsertDocument` with the fingerprint computed from the text.
    public func upsertDocument(_ input: DocumentInput, projectID: Int64) async throws -> (document: Document, outcome: UpsertOutcome) {
        try await upsertDocument(input, projectID: projectID, fingerprint: input.fingerprint)
    }
}

/// Store failures a user can act on.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case duplicateProject(String)
    case notFound(String)
    case unavailable(String)
    /// Text with a NUL character (U+0000), which SQLite would cut at the NUL; `field` names it
    /// where the store knows ("name"), else it is "text".
    case nulCharacter(field: String)
    /// A result for a document this job no longer holds: its lease ran out and another job took
    /// the document over (`heldBy`, nil when that job has finished with it).
    case claimLost(documentID: Int64, heldBy: Int64?)

    public var description: String {
        switch self {
        case .duplicateProject(let name): "a project named '\(name)' already exists"
        case .notFound(let what): "\(what) not found"
        case .unavailable(let why): "the store is unavailable: \(why)"
        case .nulCharacter(let field): "the \(field) contains a NUL character (\\u0000), which cannot be stored; remove it"
        case .claimLost(let document, let job):
            "document #\(document) was taken over by \(job.map { "job #\($0)" } ?? "another job") when this job's lease ran out"
        }
    }
}
