import AssayCore
import AssayStore
import Foundation

/// Live updates of jobs another process runs (an `assay worker`, another `assay serve`, an
/// `assay run`): the job is read from the store every `interval` and its subscribers hear what
/// changed — `job_started` when a worker takes it, `job_paused`/`job_resumed`, `progress` when its
/// counters move, and its final update when it is over, which ends the streams. A job outside the
/// queue ends its streams when paused, with `job_paused`.
///
/// Each document the job finishes is heard too (`document_completed`/`document_failed`, read from
/// its events since the last look), at most `eventsPerRead` per interval: a job that finishes more
/// skips ahead to its newest, as a slow subscriber's buffer keeps the newest.
///
/// Every subscriber of one job shares one poller, so a job watched by many browsers costs one
/// read per interval; the poller stops when the last subscriber goes away.
public actor JobFollower {
    public let store: any Store
    /// How often a followed job is read.
    public let interval: Duration

    private struct Followed {
        var poller: Task<Void, Never>
        var subscribers: [UUID: AsyncStream<JobUpdate>.Continuation] = [:]
        /// The job as last read; nil before the first read.
        var last: Job?
        /// The newest of the job's events already told; nil before the first read.
        var lastEvent: Int64?
    }
    /// Documents told per read at most.
    public static let eventsPerRead = 200
    private var followed: [Int64: Followed] = [:]
    private var stopped = false

    public init(store: any Store, interval: Duration = .seconds(1)) {
        self.store = store
        self.interval = interval
    }

    /// The job's updates until it is over. The first says where it stands (its final update when
    /// it is already over). Each subscriber has its own bounded buffer, as `JobRunner`'s do.
    /// After `stop()`, or for an unknown job, the stream ends at once.
    public func updates(jobID: Int64) -> AsyncStream<JobUpdate> {
        let (stream, continuation) = AsyncStream.makeStream(of: JobUpdate.self, bufferingPolicy: .bufferingNewest(256))
        guard !stopped else {
            continuation.finish()
            return stream
        }
        let id = UUID()
        if let last = followed[jobID]?.last {
            // Joining a job already followed: where it stands now, then the news with the others.
            continuation.yield(JobUpdate(type: .progress, job: last))
        }
        if followed[jobID] == nil {
            // The poller runs on this actor once this returns: the subscriber is in by then.
            followed[jobID] = Followed(poller: Task { await self.poll(jobID) })
        }
        followed[jobID]?.subscribers[id] = continuation
        continuation.onTermination = { _ in Task { await self.unsubscribe(id, from: jobID) } }
        return stream
    }

    /// How many subscribers follow the job here.
    public func subscriberCount(jobID: Int64) -> Int { followed[jobID]?.subscribers.count ?? 0 }

    /// Whether a poller reads the job now.
    public func isFollowing(jobID: Int64) -> Bool { followed[jobID] != nil }

    /// Ends every stream and every poller, and follows nothing more (the service is stopping).
    public func stop() {
        stopped = true
        for (jobID, _) in followed { end(jobID) }
    }

    // MARK: - Polling

    /// Runs on this actor; `unsubscribe` and `stop` cancel it, and it checks for that after every
    /// read, so a cancelled poller never touches a job's state again.
    private func poll(_ jobID: Int64) async {
        while !Task.isCancelled {
            do {
                let job = try await store.job(id: jobID)
                guard !Task.isCancelled else { return }
                guard let job else {
                    end(jobID)  // gone from the store: nothing more will come
                    return
                }
                try await tellDocuments(of: job)
                guard !Task.isCancelled else { return }
                observe(job)
            } catch {
                // A database that hiccups (a restart, a lock) is read again at the next interval.
                guard !Task.isCancelled else { return }
            }
            guard followed[jobID] != nil else { return }
            try? await Task.sleep(for: interval)
        }
    }

    private func observe(_ job: Job) {
        guard let entry = followed[job.id] else { return }
        followed[job.id]?.last = job
        // A queued job paused is continued by its workers after a resume; any other job paused is
        // over for this service (a run that stopped at its budget, or whose process is gone: a
        // resume here continues it as a new job), as a run here ends its stream on job_paused.
        if job.status.isFinished || (job.status == .paused && !job.queued) {
            send(JobUpdate.final(for: job), to: job.id)
            end(job.id)
            return
        }
        for update in Self.news(from: entry.last, to: job) { send(update, to: job.id) }
    }

    /// The documents the job finished since the last read, one update each with the job's counters
    /// as read. The first read only notes where the events stand: a subscriber hears what happens
    /// from now on, and where the job stands from its first update.
    private func tellDocuments(of job: Job) async throws {
        guard let entry = followed[job.id] else { return }
        guard let after = entry.lastEvent else {
            let newest = try await store.lastEventID(jobID: job.id) ?? 0
            followed[job.id]?.lastEvent = newest
            return
        }
        var events = try await store.events(jobID: job.id, after: after, limit: Self.eventsPerRead)
        guard !Task.isCancelled, followed[job.id] != nil, let newest = events.last?.id else { return }
        if events.count == Self.eventsPerRead, let skipTo = try await store.lastEventID(jobID: job.id), skipTo > newest {
            events = []  // too many to tell: on from the newest
            followed[job.id]?.lastEvent = skipTo
        } else {
            followed[job.id]?.lastEvent = newest
        }
        let finished = events.filter { [.docCompleted, .docFailed].contains($0.kind) }
        let ids = finished.compactMap(\.documentID)
        guard !ids.isEmpty else { return }
        // Names without texts (a work item is an id, a name and a length).
        let names = Dictionary(
            try await store.workItems(documentIDs: ids, projectID: job.projectID).map { ($0.documentID, $0.externalID) },
            uniquingKeysWith: { first, _ in first })
        guard !Task.isCancelled else { return }
        for event in finished {
            let failed = event.kind == .docFailed
            send(
                JobUpdate(
                    type: failed ? .documentFailed : .documentCompleted, job: job, documentID: event.documentID,
                    externalID: event.documentID.flatMap { names[$0] }, reason: failed ? event.message : nil),
                to: job.id)
        }
    }

    /// What subscribers hear when the job read moves from `old` to `new` (not finished).
    static func news(from old: Job?, to new: Job) -> [JobUpdate] {
        guard let old else { return [JobUpdate(type: .progress, job: new)] }
        var updates: [JobUpdate] = []
        if old.status != new.status {
            switch (old.status, new.status) {
            case (_, .paused): updates.append(JobUpdate(type: .jobPaused, job: new, reason: new.error))
            case (.paused, .running): updates.append(JobUpdate(type: .jobResumed, job: new))
            case (.pending, .running): updates.append(JobUpdate(type: .jobStarted, job: new))
            // Back in the queue (its workers are gone): the status in a progress update says so.
            default: updates.append(JobUpdate(type: .progress, job: new))
            }
        }
        if !sameCounters(old, new), updates.last?.type != .progress {
            updates.append(JobUpdate(type: .progress, job: new))
        }
        return updates
    }

    private static func sameCounters(_ a: Job, _ b: Job) -> Bool {
        let counts: (Job) -> [Int] = {
            [$0.total, $0.processed, $0.succeeded, $0.flagged, $0.failed, $0.tokensIn, $0.tokensOut, $0.tokensCached]
        }
        return counts(a) == counts(b) && a.cost == b.cost
    }

    private func send(_ update: JobUpdate, to jobID: Int64) {
        for continuation in followed[jobID]?.subscribers.values ?? [:].values { continuation.yield(update) }
    }

    /// Closes the job's streams and stops its poller.
    private func end(_ jobID: Int64) {
        guard let entry = followed.removeValue(forKey: jobID) else { return }
        entry.poller.cancel()
        for continuation in entry.subscribers.values { continuation.finish() }
    }

    private func unsubscribe(_ id: UUID, from jobID: Int64) {
        followed[jobID]?.subscribers[id] = nil
        if followed[jobID]?.subscribers.isEmpty == true { end(jobID) }
    }
}
