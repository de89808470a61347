import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// The store contract, continued: jobs and their events.
extension StoreConformanceTests {
    // MARK: Jobs

    @Test(arguments: StoreKind.allCases)
    func createsAndListsJobs(kind: StoreKind) async throws {
        let store = try await kind.make()
        let (project, _) = try await Fixtures.project(in: store)
        let selection = JobSelection(sampleSize: 5, documentIDs: [3, 1], seed: 7)
        let first = try await store.startJob(
            projectID: project.id, kind: .sample, codebookVersion: 1,
            promptHash: "p1", model: "m", selection: selection, total: 5, message: nil, projectStatus: nil)
        #expect(first.projectID == project.id)
        #expect(first.kind == .sample)
        #expect(first.status == .running)
        #expect(first.codebookVersion == 1)
        #expect(first.promptHash == "p1")
        #expect(first.model == "m")
        #expect(first.selection == selection)
        #expect(first.total == 5)
        let counters: [Int] = [
            first.processed, first.succeeded, first.flagged, first.failed,
            first.consecutiveFailures, first.tokensIn, first.tokensOut,
        ]
        #expect(counters.allSatisfy { $0 == 0 })
        #expect(first.error == nil)
        #expect(first.startedAt != nil)
        #expect(first.finishedAt == nil)
        #expect(try await store.job(id: first.id) == first)
        #expect(try await store.job(id: 9_999) == nil)

        let second = try await Fixtures.job(in: store, project: project)
        #expect(second.selection == .all)
        #expect(try await store.jobs(projectID: project.id).map(\.id) == [second.id, first.id])
    }

    @Test(arguments: StoreKind.allCases)
    func setJobStatusStampsTimes(kind: StoreKind) async throws {
        let store = try await kind.make()
        let (project, _) = try await Fixtures.project(in: store)
        let job = try await Fixtures.job(in: store, project: project)

        try await store.setJobStatus(.running, error: nil, jobID: job.id)
        let running = try #require(try await store.job(id: job.id))
        #expect(running.status == .running)
        let started = try #require(running.startedAt)
        #expect(running.finishedAt == nil)

        // Pausing and resuming keeps the original start.
        try await store.setJobStatus(.paused, error: nil, jobID: job.id)
        #expect(try await store.job(id: job.id)?.status == .paused)
        try await Task.sleep(for: .milliseconds(20))
        try await store.setJobStatus(.running, error: nil, jobID: job.id)
        let resumed = try #require(try await store.job(id: job.id))
        #expect(resumed.startedAt == started)
        #expect(resumed.finishedAt == nil)

        try await store.setJobStatus(.failed, error: "provider down", jobID: job.id)
        let failed = try #require(try await store.job(id: job.id))
        #expect(failed.status == .failed)
        #expect(failed.error == "provider down")
        #expect(failed.startedAt == started)
        let finished = try #require(failed.finishedAt)
        #expect(finished >= started)

        // Each finishing status stamps the finish.
        for status in [JobStatus.completed, .cancelled] {
            let other = try await Fixtures.job(in: store, project: project)
            try await store.setJobStatus(status, error: nil, jobID: other.id)
            let done = try #require(try await store.job(id: other.id))
            #expect(done.status == status)
            #expect(done.finishedAt != nil)
            #expect(done.startedAt != nil)  // a job is stored started
        }

        await #expect(throws: StoreError.self) {
            try await store.setJobStatus(.running, error: nil, jobID: 9_999)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func appendsAndListsEvents(kind: StoreKind) async throws {
        let store = try await kind.make()
        let (project, docs) = try await Fixtures.project(in: store)
        // Starting a job writes its start event, with the message given.
        let job = try await store.startJob(
            projectID: project.id, kind: .full, codebookVersion: 1, promptHash: "p", model: "m",
            selection: .all, total: 3, message: "3 documents", projectStatus: nil)
        let other = try await Fixtures.job(in: store, project: project)
        try await store.appendEvent(jobID: job.id, kind: .docStarted, documentID: docs[0].id, message: nil)
        try await store.appendEvent(jobID: job.id, kind: .jobCompleted, documentID: nil, message: nil)

        let events = try await store.events(jobID: job.id)
        #expect(events.map(\.kind) == [.jobStarted, .docStarted, .jobCompleted])
        #expect(events.allSatisfy { $0.jobID == job.id })
        #expect(events[0].message == "3 documents")
        #expect(events[1].documentID == docs[0].id)
        #expect(events[2].documentID == nil)
        #expect(try await store.events(jobID: other.id).count == 1)

        // Read on from an event, a page at a time, as a follower does; another job's are not there.
        #expect(try await store.lastEventID(jobID: job.id) == events[2].id)
        #expect(try await store.events(jobID: job.id, after: events[0].id, limit: 10).map(\.id) == [events[1].id, events[2].id])
        #expect(try await store.events(jobID: job.id, after: nil, limit: 2).map(\.id) == [events[0].id, events[1].id])
        #expect(try await store.events(jobID: job.id, after: events[2].id, limit: 10).isEmpty)
        #expect(try await store.events(jobID: job.id, after: nil, limit: -1).isEmpty)
        #expect(try await store.lastEventID(jobID: 9_999) == nil)
    }
}
