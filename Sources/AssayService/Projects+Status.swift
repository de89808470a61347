import AssayCore
import AssayStore

extension Projects {
    /// Where a project stands: documents by state, results under the current codebook, the last
    /// job, and failures by reason.
    package struct Status: Sendable {
        package var project: Project
        package var codebookVersion: Int?
        package var documentsByStatus: [DocumentStatus: Int]
        package var unreadable: [(externalID: String, reason: String)]
        /// Outcomes of ready documents under the current codebook version and content.
        package var outcomes: [DocumentOutcomeKind: Int]
        package var notRun: Int
        package var lastJob: Job?
        package var failuresByKind: [ErrorKind: Int]
        /// The latest failure reasons of the last job, newest last.
        package var recentFailures: [(document: String, kind: ErrorKind, reason: String)]
        /// The last job's request metrics, when it stored any.
        package var lastJobMetrics: JobMetrics?
        /// For a project that codes entities: the entities with values, and the documents they are in.
        package var entities: (count: Int, documents: Int)?
        /// What every job of the project spent.
        package var spending: Spending
    }

    package func status(projectID: Int64, for requester: Requester) async throws -> Status {
        let project = try await access.project(projectID, for: requester, needs: .results)
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
        var metrics: JobMetrics?
        if let lastJob {
            metrics = try await store.metrics(jobID: lastJob.id)
            let errors = try await store.errorRecords(projectID: projectID, jobID: lastJob.id)
            for e in errors { failures[e.kind, default: 0] += 1 }
            let names = Dictionary(uniqueKeysWithValues: documents.map { ($0.id, $0.externalID) })
            recent = errors.suffix(10).map { (names[$0.documentID ?? -1] ?? "-", $0.kind, $0.reason) }
        }
        let entities = project.unit == .entity ? try await store.entityCounts(projectID: projectID) : nil
        let counted = entities.map { (count: $0.entities, documents: $0.documents) }
        return Status(
            project: project, codebookVersion: version, documentsByStatus: byStatus, unreadable: unreadable,
            outcomes: outcomes, notRun: ready.count - outcomes.values.reduce(0, +), lastJob: lastJob,
            failuresByKind: failures, recentFailures: recent, lastJobMetrics: metrics, entities: counted,
            spending: try await store.spending(projectID: projectID))
    }
}

extension Projects {
    /// What the project's jobs spent: tokens, the prompt cache's share, and dollars in all and
    /// per document.
    package func spending(projectID: Int64, for requester: Requester) async throws -> Spending {
        _ = try await access.project(projectID, for: requester, needs: .results)
        return try await store.spending(projectID: projectID)
    }
}
