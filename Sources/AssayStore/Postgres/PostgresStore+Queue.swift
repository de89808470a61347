import AssayCore
import Foundation
import PostgresNIO

extension PostgresStore {
    public func enqueueJob(
        projectID: Int64, kind: JobKind, codebookVersion: Int, promptHash: String, model: String,
        selection: JobSelection, total: Int, message: String?
    ) async throws -> Job {
        let selectionJSON = try StoredJSON.encode(selection)
        return try await write { db in
            try await Self.requireProject(db, id: projectID)
            let inserted = try await db.row(
                """
                INSERT INTO jobs (project_id, kind, status, codebook_version, prompt_hash, model, selection_json,
                    total, created_at, queued)
                VALUES (\(projectID), \(kind.rawValue), \(JobStatus.pending.rawValue), \(codebookVersion), \(promptHash),
                    \(model), \(selectionJSON), \(total), \(Date()), TRUE)
                RETURNING id
                """)
            let id = try inserted!.field("id", as: Int64.self)
            try await Self.appendEvent(db, jobID: id, kind: .jobQueued, documentID: nil, message: message)
            return try await Self.job(db, id: id)!
        }
    }

    public func queuedJobs() async throws -> [Job] {
        try await read { db in
            try await db.rows(
                """
                SELECT * FROM jobs WHERE queued AND status IN (\(JobStatus.pending.rawValue), \(JobStatus.running.rawValue))
                ORDER BY id
                """
            ).map(Job.init(row:))
        }
    }

    public func completeJob(id: Int64) async throws -> Bool {
        try await write { db in
            try await Self.lockJob(db, id)
            guard try await Self.job(db, id: id)?.status != .completed else { return false }
            try await Self.setJobStatus(db, .completed, error: nil, jobID: id)
            try await Self.appendEvent(db, jobID: id, kind: .jobCompleted, documentID: nil, message: nil)
            return true
        }
    }

    public func takeJob(id: Int64) async throws -> Job? {
        try await write { db in
            // Locked, so two workers taking it at once both see it running after.
            guard try await db.row("SELECT id FROM jobs WHERE id = \(id) FOR UPDATE") != nil,
                let job = try await Self.job(db, id: id), [.pending, .running].contains(job.status)
            else { return nil }
            if job.status == .pending { try await Self.setJobStatus(db, .running, error: nil, jobID: id) }
            return try await Self.job(db, id: id)
        }
    }
}
