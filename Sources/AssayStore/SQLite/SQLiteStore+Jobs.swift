import AssayCore
import Foundation
import GRDB

extension SQLiteStore {
    /// Creates the job `running`, appends its start event and sets the project's status, in one
    /// transaction: a job is never seen half started.
    public func startJob(
        projectID: Int64, kind: JobKind, codebookVersion: Int, promptHash: String, model: String,
        selection: JobSelection, total: Int, message: String?, projectStatus: ProjectStatus?
    ) async throws -> Job {
        let selectionJSON = try StoredJSON.encode(selection)
        return try await writer.write { db in
            let job = try Self.insertJob(
                db, projectID: projectID, kind: kind, codebookVersion: codebookVersion,
                promptHash: promptHash, model: model, selectionJSON: selectionJSON, total: total)
            try Self.setJobStatus(db, .running, error: nil, jobID: job.id)
            try Self.appendEvent(db, jobID: job.id, kind: .jobStarted, documentID: nil, message: message)
            if let projectStatus { try Self.setProjectStatus(db, projectStatus, projectID: projectID) }
            return try Self.job(db, id: job.id)!
        }
    }

    static func insertJob(
        _ db: Database, projectID: Int64, kind: JobKind, codebookVersion: Int, promptHash: String, model: String,
        selectionJSON: String, total: Int
    ) throws -> Job {
        try requireProject(db, id: projectID)
        try db.execute(
            sql: """
                INSERT INTO jobs (project_id, kind, status, codebook_version, prompt_hash, model, selection_json,
                    total, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: try .checked([
                projectID, kind.rawValue, JobStatus.pending.rawValue, codebookVersion, promptHash, model,
                selectionJSON, total, Date().storedSeconds,
            ]))
        return try job(db, id: db.lastInsertedRowID)!
    }

    /// The job with this id, or nil.
    public func job(id: Int64) async throws -> Job? {
        try await writer.read { db in try Self.job(db, id: id) }
    }

    /// The project's jobs, newest first.
    public func jobs(projectID: Int64) async throws -> [Job] {
        try await writer.read { db in
            // Ids grow with creation (AUTOINCREMENT), and unlike timestamps they never tie.
            try Row.fetchAll(db, sql: "SELECT * FROM jobs WHERE project_id = ? ORDER BY id DESC", arguments: try .checked([projectID]))
                .map(Job.init(row:))
        }
    }

    /// Sets a job's status and error. `running` stamps `started_at` the first time (a resumed job keeps
    /// its original start) and clears `finished_at`; `completed`, `failed` and `cancelled` stamp `finished_at`.
    public func setJobStatus(_ status: JobStatus, error: String?, jobID: Int64) async throws {
        try await writer.write { db in try Self.setJobStatus(db, status, error: error, jobID: jobID) }
    }

    static func setJobStatus(_ db: Database, _ status: JobStatus, error: String?, jobID: Int64) throws {
        let now = Date().storedSeconds
        switch status {
        case .running:
            try db.execute(
                sql: """
                    UPDATE jobs SET status = ?, error = ?, started_at = COALESCE(started_at, ?), finished_at = NULL,
                        heartbeat_at = ?
                    WHERE id = ?
                    """,
                arguments: try .checked([status.rawValue, error, now, now, jobID]))
        case .completed, .failed, .cancelled:
            try db.execute(
                sql: "UPDATE jobs SET status = ?, error = ?, finished_at = ? WHERE id = ?",
                arguments: try .checked([status.rawValue, error, now, jobID]))
        case .pending, .paused:
            try db.execute(
                sql: "UPDATE jobs SET status = ?, error = ? WHERE id = ?",
                arguments: try .checked([status.rawValue, error, jobID]))
        }
        if db.changesCount == 0 { throw StoreError.notFound("job #\(jobID)") }
    }

    /// Appends an event to the job's log.
    public func appendEvent(jobID: Int64, kind: JobEventKind, documentID: Int64?, message: String?) async throws {
        try await writer.write { db in
            try Self.appendEvent(db, jobID: jobID, kind: kind, documentID: documentID, message: message)
        }
    }

    /// The job's events, oldest first.
    public func events(jobID: Int64) async throws -> [JobEvent] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM job_events WHERE job_id = ? ORDER BY id", arguments: try .checked([jobID]))
                .map(JobEvent.init(row:))
        }
    }

    public func events(jobID: Int64, after: Int64?, limit: Int) async throws -> [JobEvent] {
        try await writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM job_events WHERE job_id = ? AND id > ? ORDER BY id LIMIT ?",
                arguments: try .checked([jobID, after ?? 0, max(0, limit)])
            ).map(JobEvent.init(row:))
        }
    }

    public func lastEventID(jobID: Int64) async throws -> Int64? {
        try await writer.read { db in
            try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM job_events WHERE job_id = ?", arguments: try .checked([jobID]))
        }
    }

    static func job(_ db: Database, id: Int64) throws -> Job? {
        try Row.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: try .checked([id])).map(Job.init(row:))
    }

    static func appendEvent(_ db: Database, jobID: Int64, kind: JobEventKind, documentID: Int64?, message: String?) throws {
        try db.cachedStatement(
            sql: "INSERT INTO job_events (job_id, kind, document_id, message, created_at) VALUES (?, ?, ?, ?, ?)"
        ).execute(
            arguments: try .checked([jobID, kind.rawValue, documentID, message, Date().storedSeconds]))
    }
}
