import AssayCore
import AssayIngest
import AssayStore
import Foundation

/// The researcher's workflow operations that every front end shares (CLI now, HTTP later):
/// projects, codebook import, adding documents, status and per-document detail.
public struct Workspace: Sendable {
    public let store: any Store
    /// Projects a front end keeps for its own features (the failure-patterns project of
    /// `AssayTraces`): never chosen as "the only project", only by name.
    public var hiddenProjects: Set<String>

    public init(store: any Store, hiddenProjects: Set<String> = []) {
        self.store = store
        self.hiddenProjects = hiddenProjects
    }

    // MARK: Projects

    public func createProject(name: String, description: String? = nil) async throws -> Project {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw EngineError.nothingToRun("a project needs a name") }
        return try await store.createProject(name: trimmed, description: description)
    }

    /// The named project, or the only one when no name is given.
    public func project(named name: String?) async throws -> Project {
        if let name {
            guard let project = try await store.project(named: name) else { throw EngineError.noProject(name) }
            return project
        }
        // Hidden projects (failure patterns) live beside research projects, and the service's users'
        // projects (those with an owner) share a served database; naming them is needed to use them.
        let all = try await store.projects().filter { !hiddenProjects.contains($0.name) && $0.owner == nil }
        switch all.count {
        case 0: throw EngineError.noProject("")
        case 1: return all[0]
        default: throw EngineError.ambiguousProject(all.map(\.name))
        }
    }

    // MARK: Codebook

    /// Stores the codebook as a new version when it changed. A new version makes earlier results
    /// stale, so the project goes back to `schema_defined`.
    public func importCodebook(_ codebook: Codebook, projectID: Int64) async throws -> (version: CodebookVersion, isNew: Bool) {
        let checked = try codebook.validated()
        let prompt = ExtractionPrompt(codebook: checked)
        let saved = try await store.saveCodebook(checked, promptHash: prompt.hash, projectID: projectID)
        if saved.isNew { try await store.setProjectStatus(.schemaDefined, projectID: projectID) }
        return saved
    }

    // MARK: Documents

    /// What `add` did, document by document.
    public struct AddReport: Sendable {
        public var inserted = 0
        public var updated = 0
        public var unchanged = 0
        /// Documents that could not be read, with the reason (also stored as failed documents).
        public var failed: [(externalID: String, reason: String)] = []
        public var skipped: [String] = []
        public var total: Int { inserted + updated + unchanged + failed.count }
    }

    /// Reads files, folders and JSONL into documents; a re-added file with the same content is
    /// left alone, a changed one is updated, an unreadable one is stored as failed with its reason.
    /// Files are read and stored one at a time, so adding a large collection holds one file in memory.
    public func addDocuments(_ paths: [String], options: IngestOptions = IngestOptions(), relativeTo base: URL? = nil,
                             projectID: Int64) async throws -> AddReport {
        let plan = try Ingestor.plan(paths, relativeTo: base)
        var report = AddReport()
        report.skipped = plan.skipped
        try await save(plan.unlistable, projectID: projectID, into: &report)
        for file in plan.files {
            try await save(Ingestor.readFile(at: file.url, externalID: file.externalID, options: options),
                            projectID: projectID, into: &report)
        }
        return report
    }

    private func save(_ inputs: [DocumentInput], projectID: Int64, into report: inout AddReport) async throws {
        for input in inputs {
            let (_, outcome) = try await store.upsertDocument(input, projectID: projectID)
            if input.status == .failed {
                report.failed.append((input.externalID, input.error ?? "unreadable"))
                continue
            }
            switch outcome {
            case .inserted: report.inserted += 1
            case .updated: report.updated += 1
            case .unchanged: report.unchanged += 1
            }
        }
    }

    /// A document by id (`12`, `#12`) or external id: exact, or a unique ending made of whole path
    /// parts (`a.txt` for `docs/a.txt`, a record id for `data.jsonl#r7`) — never part of a name, so
    /// `a.txt` does not open `data.txt`.
    public func document(_ reference: String, projectID: Int64) async throws -> Document {
        let ref = reference.hasPrefix("#") ? String(reference.dropFirst()) : reference
        if let id = Int64(ref), let document = try await store.document(id: id), document.projectID == projectID {
            return document
        }
        if let document = try await store.document(externalID: reference, projectID: projectID) { return document }
        let matches = try await store.documents(projectID: projectID, status: nil)
            .filter { $0.externalID.hasSuffix("/" + reference) || $0.externalID.hasSuffix("#" + reference) }
        guard matches.count == 1 else {
            throw matches.isEmpty
                ? EngineError.unknownDocuments([reference])
                : EngineError.nothingToRun("'\(reference)' matches \(matches.count) documents: "
                    + matches.prefix(5).map(\.externalID).joined(separator: ", ") + "; give more of the path or the id")
        }
        return matches[0]
    }

    /// One document with everything known about it.
    public struct DocumentDetail: Sendable {
        public var document: Document
        public var extractions: [Extraction]
        public var outcome: DocumentOutcome?
        public var errors: [ErrorRecord]
    }

    public func detail(of reference: String, projectID: Int64) async throws -> DocumentDetail {
        let document = try await document(reference, projectID: projectID)
        let extractions = try await store.extractions(projectID: projectID, documentID: document.id)
        let outcome = try await store.outcomes(projectID: projectID).first { $0.documentID == document.id }
        let errors = try await store.errorRecords(projectID: projectID, jobID: nil).filter { $0.documentID == document.id }
        return DocumentDetail(document: document, extractions: extractions, outcome: outcome, errors: errors)
    }

    // MARK: Status

    /// Where a project stands: documents by state, results under the current codebook, the last
    /// job, and failures by reason.
    public struct Status: Sendable {
        public var project: Project
        public var codebookVersion: Int?
        public var documentsByStatus: [DocumentStatus: Int]
        public var unreadable: [(externalID: String, reason: String)]
        /// Outcomes of ready documents under the current codebook version and content.
        public var outcomes: [DocumentOutcomeKind: Int]
        public var notRun: Int
        public var lastJob: Job?
        public var failuresByKind: [ErrorKind: Int]
        /// The latest failure reasons of the last job, newest last.
        public var recentFailures: [(document: String, kind: ErrorKind, reason: String)]
    }

    public func status(projectID: Int64) async throws -> Status {
        guard let project = try await store.project(id: projectID) else { throw EngineError.noProject("#\(projectID)") }
        let documents = try await store.documents(projectID: projectID, status: nil)
        let version = try await store.latestCodebook(projectID: projectID)?.version
        var byStatus: [DocumentStatus: Int] = [:]
        for d in documents { byStatus[d.status, default: 0] += 1 }
        let unreadable = documents.filter { $0.status == .failed }.map { ($0.externalID, $0.error ?? "unreadable") }

        let ready = Dictionary(uniqueKeysWithValues: documents.filter { $0.status == .ready }.map { ($0.id, $0) })
        var outcomes: [DocumentOutcomeKind: Int] = [:]
        for o in try await store.outcomes(projectID: projectID)
        where o.codebookVersion == version && ready[o.documentID]?.contentHash == o.contentHash {
            outcomes[o.outcome, default: 0] += 1
        }
        let lastJob = try await store.jobs(projectID: projectID).first
        var failures: [ErrorKind: Int] = [:]
        var recent: [(String, ErrorKind, String)] = []
        if let lastJob {
            let errors = try await store.errorRecords(projectID: projectID, jobID: lastJob.id)
            for e in errors { failures[e.kind, default: 0] += 1 }
            let names = Dictionary(uniqueKeysWithValues: documents.map { ($0.id, $0.externalID) })
            recent = errors.suffix(10).map { (names[$0.documentID ?? -1] ?? "-", $0.kind, $0.reason) }
        }
        return Status(
            project: project, codebookVersion: version, documentsByStatus: byStatus, unreadable: unreadable,
            outcomes: outcomes, notRun: ready.count - outcomes.values.reduce(0, +), lastJob: lastJob,
            failuresByKind: failures, recentFailures: recent)
    }
}
