import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// Starting a job is one transaction: the job `running`, its start event and the project's
/// status together, or none of them.
@Suite(.postgresDatabases) struct StartJobTests {
    @Test(arguments: StoreKind.allCases)
    func aStartedJobIsRunningWithItsEventAndTheProjectProcessing(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let project = try await store.createProject(name: "p", description: nil)
        let job = try await store.startJob(
            projectID: project.id, kind: .full, codebookVersion: 1, promptHash: "h", model: "m",
            selection: .all, total: 3, message: "3 documents", projectStatus: .processing)
        #expect(job.status == .running)
        #expect(job.startedAt != nil)
        #expect(job.total == 3)
        let events = try await store.events(jobID: job.id)
        #expect(events.map(\.kind) == [.jobStarted])
        #expect(events.first?.message == "3 documents")
        #expect(try await store.project(id: project.id)?.status == .processing)
    }

    @Test(arguments: StoreKind.allCases)
    func aSampleLeavesTheProjectStatusAlone(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let project = try await store.createProject(name: "p", description: nil)
        _ = try await store.startJob(
            projectID: project.id, kind: .sample, codebookVersion: 1, promptHash: "h", model: "m",
            selection: JobSelection(sampleSize: 2, seed: 1), total: 2, message: nil, projectStatus: nil)
        #expect(try await store.project(id: project.id)?.status == .created)
    }

    /// The event's text is refused (a NUL byte) after the job row was written: the whole start
    /// rolls back. With four separate writes this left a `running` job that nothing runs.
    @Test(arguments: StoreKind.allCases)
    func aStartThatFailsLeavesNoJob(_ kind: StoreKind) async throws {
        let store = try await kind.make()
        let project = try await store.createProject(name: "p", description: nil)
        await #expect(throws: StoreError.self) {
            _ = try await store.startJob(
                projectID: project.id, kind: .full, codebookVersion: 1, promptHash: "h", model: "m",
                selection: .all, total: 1, message: "bad\u{0}text", projectStatus: .processing)
        }
        #expect(try await store.jobs(projectID: project.id).isEmpty)
        #expect(try await store.project(id: project.id)?.status == .created)
    }
}
