import AssayCore
import AssayEngine
import AssayService
import AssayStore
import AssayTraces
import Foundation
import Testing

/// Another account's project, document, job or value is the same "not found" as a missing one,
/// through every use case, whichever front end asks.
@Suite struct AccessTests {
    @Test func anotherAccountsThingsAreNotFound() async throws {
        let f = try ServiceFixture()
        let (project, document) = try await f.project(of: f.ada)
        let value = try await f.value(for: document, in: project)
        let job = try await f.job(of: project)
        let store = f.store
        let bob = f.bob

        await #expect(throws: ServiceError.notFound(.project(project.id))) { try await Projects(store: store).get(project.id, for: bob) }
        await #expect(throws: ServiceError.notFound(.project(project.id))) {
            try await Projects(store: store).update(project.id, name: "Mine now", description: nil, for: bob)
        }
        await #expect(throws: ServiceError.notFound(.project(project.id))) { try await Projects(store: store).delete(project.id, for: bob) }
        await #expect(throws: ServiceError.notFound(.document(document.id))) {
            try await Documents(store: store).get(document.id, for: bob)
        }
        await #expect(throws: ServiceError.notFound(.document(document.id))) {
            try await Documents(store: store).delete(document.id, for: bob)
        }
        await #expect(throws: ServiceError.notFound(.project(project.id))) {
            try await Documents(store: store).list(projectID: project.id, for: bob)
        }
        await #expect(throws: ServiceError.notFound(.project(project.id))) {
            try await Codebooks(store: store).addVariable(Variable(name: "x", type: .text), projectID: project.id, for: bob)
        }
        await #expect(throws: ServiceError.notFound(.extraction(value.id))) { try await Values(store: store).get(value.id, for: bob) }
        await #expect(throws: ServiceError.notFound(.extraction(value.id))) {
            try await Reviews(store: store).give(.correct, extractionID: value.id, for: bob)
        }
        await #expect(throws: ServiceError.notFound(.project(project.id))) {
            try await Values(store: store).dataset(projectID: project.id, for: bob)
        }
        await #expect(throws: ServiceError.notFound(.job(job.id))) { try await Access(store: store).job(job.id, for: bob) }
        // The local user does not see an account's project either: it has an owner.
        await #expect(throws: ServiceError.notFound(.project(project.id))) { try await Projects(store: store).get(project.id, for: .local) }

        // The owner sees them all, and nothing was changed by the refusals.
        #expect(try await Projects(store: store).get(project.id, for: f.ada).name == "Protests")
        #expect(try await Documents(store: store).get(document.id, for: f.ada).document == document)
        #expect(try await Values(store: store).get(value.id, for: f.ada).id == value.id)
        #expect(try await Access(store: store).job(job.id, for: f.ada).id == job.id)
        #expect(try await Documents(store: store).list(projectID: project.id, for: f.ada).count == 1)
    }

    @Test func aMissingThingIsTheSameNotFound() async throws {
        let f = try ServiceFixture()
        await #expect(throws: ServiceError.notFound(.project(99))) { try await Projects(store: f.store).get(99, for: f.ada) }
        await #expect(throws: ServiceError.notFound(.document(99))) { try await Documents(store: f.store).get(99, for: f.ada) }
        await #expect(throws: ServiceError.notFound(.job(99))) { try await Access(store: f.store).job(99, for: f.ada) }
        await #expect(throws: ServiceError.notFound(.extraction(99))) { try await Values(store: f.store).get(99, for: f.ada) }
    }

    /// Each account lists its own projects; the local user the database's unowned ones.
    @Test func listsAreEachRequestersOwn() async throws {
        let f = try ServiceFixture()
        _ = try await f.project(of: f.ada, name: "Ada's")
        _ = try await f.project(of: f.bob, name: "Bob's")
        _ = try await f.project(of: .local, name: "Local")
        #expect(try await Projects(store: f.store).list(for: f.ada).map(\.name) == ["Ada's"])
        #expect(try await Projects(store: f.store).list(for: f.bob).map(\.name) == ["Bob's"])
        #expect(try await Projects(store: f.store).list(for: .local).map(\.name) == ["Local"])
        // The CLI's "only project" is its own, and an account's project cannot be opened by name.
        #expect(try await Projects(store: f.store).named(nil, for: .local).name == "Local")
        await #expect(throws: EngineError.noProject("Ada's")) { try await Projects(store: f.store).named("Ada's", for: .local) }
    }

    /// The traces project has no owner: its jobs are visible to whoever sees patterns, and to no one else.
    @Test func traceJobsFollowThePatternRole() async throws {
        let f = try ServiceFixture()
        let traces = try await TraceRunner(store: f.store).project()
        let job = try await f.job(of: traces)
        let oncall = Requester.account(userID: 3, email: "oncall@example.org", seesPatterns: true)
        #expect(try await Access(store: f.store).job(job.id, for: oncall).id == job.id)
        await #expect(throws: ServiceError.notFound(.job(job.id))) { try await Access(store: f.store).job(job.id, for: f.ada) }
        // Seeing patterns opens the traces project's jobs, not anyone's projects.
        let (adas, _) = try await f.project(of: f.ada)
        let adasJob = try await f.job(of: adas)
        await #expect(throws: ServiceError.notFound(.job(adasJob.id))) { try await Access(store: f.store).job(adasJob.id, for: oncall) }
        await #expect(throws: ServiceError.patternsNotAllowed(role: "ml_engineer")) {
            try await Patterns(store: f.store).summaries(for: f.ada)
        }
        #expect(try await Patterns(store: f.store).summaries(for: oncall).isEmpty)
    }
}
