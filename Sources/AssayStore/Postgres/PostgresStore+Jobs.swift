import AssayCore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Creates the job `running`, appends its start event and sets the project's status, in one
    /// transaction: a job is never seen half started.
    public func startJob(
        projectID: Int64, kind: JobKind, codebookVersion: Int, promptHash: String, model: String,
        selection: JobSelection, total: Int, message: String?, projectStatus: ProjectStatus?
    ) async throws -> Job {
        let selectionJSON = try StoredJSON.encode(selection)
        return try await write { db in
            try await Self.requireProject(db, id: projectID)
            let inserted = try await db.row(
                """
                INSERT INTO jobs (project_id, kind, status, codebook_version, prompt_hash, model, selection_json,
                    total, created_at)
                VALUES (\(projectID), \(kind.rawValue), \(JobStatus.pending.rawValue), \(codebookVersion), \(promptHash),
                    \(model), \(selectionJSON), \(total), \(Date()))
                RETURNING id
                """)
            let id = try inserted!.field("id", as: Int64.self)
            try await Self.setJobStatus(db, .running, error: nil, jobID: id)
            try await Self.appendEvent(db, jobID: id, kind: .jobStarted, documentID: nil, message: message)
            if let projectStatus { try await Self.setProjectStatus(db, projectStatus, projectID: projectID) }
            return try await Self.job(db, id: id)!
        }
    }

    /// The job with this id, or nil.
    public func job(id: Int64) async throws -> Job? {
        try await read { db in try await Self.job(db, id: id) }
    }

    /// The project's jobs, newest first.
    public func jobs(projectID: Int64) async throws -> [Job] {
        try await read { db in
            // Ids grow with creation (identity), and unlike timestamps they never tie.
            try await db.rows("SELECT * FROM jobs WHERE project_id = \(projectID) ORDER BY id DESC").map(Job.init(row:))
        }
    }

    /// Sets a job's status and error. `running` stamps `started_at` the first time (a resumed job keeps
    /// its original start) and clears `finished_at`; `completed`, `failed` and `cancelled` stamp `finished_at`.
    public func setJobStatus(_ status: JobStatus, error: String?, jobID: Int64) async throws {
        try await write { db in try await Self.setJobStatus(db, status, error: error, jobID: jobID) }
    }

    static func setJobStatus(_ db: PostgresSession, _ status: JobStatus, error: String?, jobID: Int64) async throws {
        let now = Date()
        let stamps: SQL =
            switch status {
            case .running: ", started_at = COALESCE(started_at, \(now)), finished_at = NULL, heartbeat_at = \(now)"
            case .completed, .failed, .cancelled: ", finished_at = \(now)"
            case .pending, .paused: ""
            }
        let changed = try await db.execute(
            "UPDATE jobs SET status = \(status.rawValue), error = \(error)" + stamps + " WHERE id = \(jobID) RETURNING 1")
        if changed == 0 { throw StoreError.notFound("job #\(jobID)") }
    }

    /// Appends an event to the job's log.
    public func appendEvent(jobID: Int64, kind: JobEventKind, documentID: Int64?, message: String?) async throws {
        try await write { db in
            try await Self.appendEvent(db, jobID: jobID, kind: kind, documentID: documentID, message: message)
        }
    }

    /// The job's events, oldest first.
    public func events(jobID: Int64) async throws -> [JobEvent] {
        try await read { db in
            try await db.rows("SELECT * FROM job_events WHERE job_id = \(jobID) ORDER BY id").map(JobEvent.init(row:))
        }
    }

    public func events(jobID: Int64, after: Int64?, limit: Int) async throws -> [JobEvent] {
        let (after, limit) = (after ?? 0, max(0, limit))
        return try await read { db in
            try await db.rows("SELECT * FROM job_events WHERE job_id = \(jobID) AND id > \(after) ORDER BY id LIMIT \(limit)")
                .map(JobEvent.init(row:))
        }
    }

    public func lastEventID(jobID: Int64) async throws -> Int64? {
        try await read { db in
            try await db.row("SELECT MAX(id) AS id FROM job_events WHERE job_id = \(jobID)")?.field("id", as: Int64?.self)
        }
    }

    static func job(_ db: PostgresSession, id: Int64) async throws -> Job? {
        try await db.row("SELECT * FROM jobs WHERE id = \(id)").map(Job.init(row:))
    }

    static func appendEvent(_ db: PostgresSession, jobID: Int64, kind: JobEventKind, documentID: Int64?, message: String?) async throws {
        try await db.execute(
            """
            INSERT INTO job_events (job_id, kind, document_id, message, created_at)
            VALUES (\(jobID), \(kind.rawValue), \(documentID), \(message), \(Date()))
            """)
    }
}
