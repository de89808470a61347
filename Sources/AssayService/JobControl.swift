import AssayCore
import AssayEngine
import AssayStore

/// Pause, resume and cancel a job from anywhere — another terminal, another machine — through
/// the store: the process running the job watches its status (`ExtractionEngine.execute`) and
/// follows within a second. Pausing lets the documents in flight finish and starts no new one;
/// cancelling drops the ones in flight (the next run redoes them). What `assay pause`,
/// `assay resume` and `assay cancel` call.
package struct JobControl: Sendable {
    let store: any Store & ReviewStore
    let access: Access

    package init(store: any Store & ReviewStore) {
        self.store = store
        self.access = Access(store: store)
    }

    package func pause(_ id: Int64, for requester: Requester) async throws -> Job {
        let job = try await access.job(id, for: requester)
        guard job.status == .running else { throw JobRunnerError.notRunning(jobID: id, status: job.status, action: "pause") }
        try await store.setJobStatus(.paused, error: "paused on request", jobID: id)
        try await store.appendEvent(jobID: id, kind: .jobPaused, documentID: nil, message: "paused on request")
        return try await access.job(id, for: requester)
    }

    /// The job runs on, in the process that ran it. A job whose process is gone is paused again
    /// by the next job's sweep; running the same command again continues it as a new job.
    package func resume(_ id: Int64, for requester: Requester) async throws -> Job {
        let job = try await access.job(id, for: requester)
        guard job.status == .paused else { throw JobRunnerError.notRunning(jobID: id, status: job.status, action: "resume") }
        try await store.setJobStatus(.running, error: nil, jobID: id)
        try await store.appendEvent(jobID: id, kind: .jobResumed, documentID: nil, message: "resumed on request")
        return try await access.job(id, for: requester)
    }

    package func cancel(_ id: Int64, for requester: Requester) async throws -> Job {
        let job = try await access.job(id, for: requester)
        guard !job.status.isFinished else { throw JobRunnerError.notResumable(jobID: id, status: job.status) }
        try await store.setJobStatus(.cancelled, error: "cancelled on request", jobID: id)
        try await store.appendEvent(jobID: id, kind: .jobCancelled, documentID: nil, message: "cancelled on request")
        return try await access.job(id, for: requester)
    }
}
