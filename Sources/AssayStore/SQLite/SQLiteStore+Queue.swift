import AssayCore
import Foundation
import GRDB

extension SQLiteStore {
    public func enqueueJob(
        projectID: Int64, kind: JobKind, codebookVersion: Int, promptHash: String, model: String,
        selection: JobSelection, total: Int, message: String?
    ) async throws -> Job {
        let selectionJSON = try StoredJSON.encode(selection)
        return try await writer.write { db in
            let job = try Self.insertJob(
                db, projectID: projectID, kind: kind, codebookVersion: codebookVersion,
                promptHash: promptHash, model: model, selectionJSON: selectionJSON, total: total)
            try db.execute(sql: "UPDATE jobs SET queued = 1 WHERE id = ?", arguments: [job.id])
            try Self.appendEvent(db, jobID: job.id, kind: .jobQueued, documentID: nil, message: message)
            return try Self.job(db, id: job.id)!
        }
    }

    public func queuedJobs() async throws -> [Job] {
        try await writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM jobs WHERE queued = 1 AND status IN (?, ?) ORDER BY id",
                arguments: [JobStatus.pending.rawValue, JobStatus.running.rawValue]
            ).map(Job.init(row:))
        }
    }

    public func completeJob(id: Int64) async throws -> Bool {
        try await writer.write { db in
            guard try Self.job(db, id: id)?.status != .completed else { return false }
            try Self.setJobStatus(db, .completed, error: nil, jobID: id)
            try Self.appendEvent(db, jobID: id, kind: .jobCompleted, documentID: nil, message: nil)
            return true
        }
    }

    public func takeJob(id: Int64) async throws -> Job? {
        try await writer.write { db in
            guard let job = try Self.job(db, id: id), [.pending, .running].contains(job.status) else { return nil }
            if job.status == .pending { try Self.setJobStatus(db, .running, error: nil, jobID: id) }
            return try Self.job(db, id: id)
        }
    }
}
