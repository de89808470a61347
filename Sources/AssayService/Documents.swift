import AssayCore
import AssayEngine
import AssayIngest
import AssayStore
import Foundation

/// Documents: add files and folders, upload files, list with their latest result, find by id or
/// name, delete.
package struct Documents: Sendable {
    let store: any Store & ReviewStore
    let access: Access

    package init(store: any Store & ReviewStore) {
        self.store = store
        self.access = Access(store: store)
    }

    /// What `add` did, document by document.
    package struct AddReport: Sendable {
        package var inserted = 0
        package var updated = 0
        package var unchanged = 0
        /// Documents that could not be read, with the reason (also stored as failed documents).
        package var failed: [(externalID: String, reason: String)] = []
        package var skipped: [String] = []
        /// New or changed documents that duplicate one already in the project, kept or (with
        /// `DuplicatePolicy.skip`) left out.
        package var duplicates: [Duplicate] = []
        /// How many of `duplicates` were left out.
        package var duplicatesSkipped: Int { duplicates.count { $0.documentID == nil } }
        package var total: Int { inserted + updated + unchanged + failed.count + duplicatesSkipped }
    }

    /// Reads files, folders and JSONL into documents; a re-added file with the same content is
    /// left alone, a changed one is updated, an unreadable one is stored as failed with its reason.
    /// Files are read and stored one at a time, so adding a large collection holds one file in memory.
    package func add(
        _ paths: [String], options: IngestOptions = IngestOptions(), duplicates policy: DuplicatePolicy = DuplicatePolicy(),
        relativeTo base: URL? = nil, projectID: Int64, for requester: Requester
    ) async throws -> AddReport {
        try Self.check(policy)
        let project = try await access.project(projectID, for: requester)
        let plan = try Ingestor.plan(paths, relativeTo: base)
        var report = AddReport()
        report.skipped = plan.skipped
        try await save(plan.unlistable, policy: policy, projectID: project.id, into: &report)
        for file in plan.files {
            try await save(
                Ingestor.readFile(at: file.url, externalID: file.externalID, options: options),
                policy: policy, projectID: project.id, into: &report)
        }
        return report
    }

    private func save(
        _ inputs: [DocumentInput], policy: DuplicatePolicy, projectID: Int64, into report: inout AddReport
    ) async throws {
        for input in inputs {
            let (stored, duplicate) = try await store(input, policy: policy, projectID: projectID)
            if let duplicate { report.duplicates.append(duplicate) }
            guard let outcome = stored?.outcome else { continue }
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

    /// Stores one document unless it is a new duplicate the policy skips (then `stored` is nil),
    /// and says which document a new or changed text duplicates. A document already stored under
    /// its name is never left out: skipping applies to new ones.
    private func store(
        _ input: DocumentInput, policy: DuplicatePolicy, projectID: Int64
    ) async throws -> (stored: (document: Document, outcome: UpsertOutcome)?, duplicate: Duplicate?) {
        guard let fingerprint = input.fingerprint else {
            return (try await store.upsertDocument(input, projectID: projectID, fingerprint: nil), nil)
        }
        let existing = try await store.document(externalID: input.externalID, projectID: projectID)
        let contentHash = input.contentHash
        if let existing, existing.contentHash == contentHash, existing.status == input.status {
            return ((existing, .unchanged), nil)
        }
        let candidates = try await store.duplicateCandidates(of: fingerprint, projectID: projectID)
            .filter { $0.externalID != input.externalID }
        let original = DuplicateFinder.original(
            contentHash: contentHash, fingerprint: fingerprint, among: candidates, threshold: policy.threshold)
        func duplicate(_ id: Int64?) -> Duplicate? {
            original.map {
                Duplicate(
                    documentID: id, externalID: input.externalID, originalID: $0.document.id,
                    originalExternalID: $0.document.externalID, similarity: $0.similarity, exact: $0.exact)
            }
        }
        if policy.skip, existing == nil, let skipped = duplicate(nil) { return (nil, skipped) }
        let stored = try await store.upsertDocument(input, projectID: projectID, fingerprint: fingerprint)
        return (stored, duplicate(stored.document.id))
    }

    /// `field` names the threshold as the API does: `duplicate_threshold` of an upload, `threshold` of a listing.
    static func check(_ policy: DuplicatePolicy, field: String = "duplicate_threshold") throws {
        if let problem = DuplicatePolicy.problem(with: policy.threshold) { throw ServiceError.invalid(field: field, reason: problem) }
    }

    /// The project's documents that duplicate an earlier one (exactly, or at or above the
    /// threshold), each with the document it duplicates, in id order.
    package func duplicates(
        projectID: Int64, threshold: Double = DuplicatePolicy.defaultThreshold, for requester: Requester
    ) async throws -> [Duplicate] {
        try Self.check(DuplicatePolicy(threshold: threshold), field: "threshold")
        let project = try await access.project(projectID, for: requester, needs: .view)
        return DuplicateFinder.duplicates(
            in: try await store.duplicateCandidatePairs(projectID: project.id), threshold: threshold)
    }

    /// What happened to each uploaded document: stored (`document` and `outcome`), or left out as
    /// a duplicate (`document` nil); `duplicate` says which document it duplicates.
    package struct UploadResult: Sendable {
        package var externalID: String
        package var document: Document?
        package var outcome: UpsertOutcome?
        package var duplicate: Duplicate?

        package init(externalID: String, document: Document?, outcome: UpsertOutcome?, duplicate: Duplicate?) {
            self.externalID = externalID
            self.document = document
            self.outcome = outcome
            self.duplicate = duplicate
        }
    }

    /// Reads uploaded files into documents (the same readers as `add`); an unreadable file is stored
    /// as a failed document with its reason.
    package func upload(
        _ uploads: [Upload], options: IngestOptions = IngestOptions(), duplicates policy: DuplicatePolicy = DuplicatePolicy(),
        projectID: Int64, for requester: Requester
    ) async throws -> [UploadResult] {
        try Self.check(policy)
        let project = try await access.project(projectID, for: requester)
        var results: [UploadResult] = []
        for upload in uploads {
            let inputs =
                upload.data.count > options.maxFileBytes
                ? [
                    DocumentInput.failed(
                        externalID: upload.safeName, mediaType: "application/octet-stream",
                        reason: "file is \(upload.data.count) bytes, over the limit of \(options.maxFileBytes)")
                ]
                : Ingestor.read(upload.data, source: upload.safeName, options: options)
            for input in inputs {
                let (stored, duplicate) = try await store(input, policy: policy, projectID: project.id)
                results.append(
                    UploadResult(
                        externalID: input.externalID, document: stored?.document, outcome: stored?.outcome,
                        duplicate: duplicate))
            }
        }
        return results
    }

    /// A document with the latest outcome of its coding, if any.
    package struct Listed: Sendable {
        package var document: Document
        package var outcome: DocumentOutcome?
    }

    package func list(projectID: Int64, status: DocumentStatus? = nil, for requester: Requester) async throws -> [Listed] {
        let project = try await access.project(projectID, for: requester, needs: .view)
        let outcomes = Dictionary(try await store.outcomes(projectID: project.id).map { ($0.documentID, $0) }) { $1 }
        return try await store.documents(projectID: project.id, status: status).map { Listed(document: $0, outcome: outcomes[$0.id]) }
    }

    package func get(_ id: Int64, for requester: Requester) async throws -> Listed {
        let document = try await access.document(id, for: requester, needs: .view)
        let outcome = try await store.outcomes(projectID: document.projectID).first { $0.documentID == document.id }
        return Listed(document: document, outcome: outcome)
    }

    package func delete(_ id: Int64, for requester: Requester) async throws {
        try await store.deleteDocument(id: try await access.document(id, for: requester).id)
    }

    /// A document by id (`12`, `#12`) or external id: exact, or a unique ending made of whole path
    /// parts (`a.txt` for `docs/a.txt`, a record id for `data.jsonl#r7`) — never part of a name, so
    /// `a.txt` does not open `data.txt`.
    package func find(_ reference: String, projectID: Int64, for requester: Requester) async throws -> Document {
        let project = try await access.project(projectID, for: requester, needs: .view)
        let ref = reference.hasPrefix("#") ? String(reference.dropFirst()) : reference
        if let id = Int64(ref), let document = try await store.document(id: id), document.projectID == project.id {
            return document
        }
        if let document = try await store.document(externalID: reference, projectID: project.id) { return document }
        let matches = try await store.documents(projectID: project.id, status: nil)
            .filter { $0.externalID.hasSuffix("/" + reference) || $0.externalID.hasSuffix("#" + reference) }
        guard matches.count == 1 else {
            throw matches.isEmpty
                ? EngineError.unknownDocuments([reference])
                : EngineError.nothingToRun(
                    "'\(reference)' matches \(matches.count) documents: "
                        + matches.prefix(5).map(\.externalID).joined(separator: ", ") + "; give more of the path or the id")
        }
        return matches[0]
    }

    /// One document with everything known about it.
    package struct Detail: Sendable {
        package var document: Document
        package var extractions: [Extraction]
        package var outcome: DocumentOutcome?
        package var errors: [ErrorRecord]
    }

    package func detail(of reference: String, projectID: Int64, for requester: Requester) async throws -> Detail {
        let document = try await find(reference, projectID: projectID, for: requester)
        let grant = try await access.grant(projectID, for: requester, needs: .values)
        var blind: Set<Int64> = []
        if let coder = grant.blindFor { blind = try await access.blindDocuments(projectID: projectID, coder: coder) }
        // A coder sees the document, never the model's values of one assigned to them blind.
        let extractions = blind.contains(document.id) ? [] : try await store.extractions(projectID: projectID, documentID: document.id)
        let outcome = try await store.outcomes(projectID: projectID).first { $0.documentID == document.id }
        let errors = try await store.errorRecords(projectID: projectID, jobID: nil).filter { $0.documentID == document.id }
        return Detail(document: document, extractions: extractions, outcome: outcome, errors: errors)
    }
}
