import AssayCore
import AssayEngine
import AssayProviders
import AssayService
import AssayStore
import AssayTestSupport
import Synchronization
import Testing

/// `assay run`'s use case: the job runs in the caller's task under the same rules as a
/// background job.
@Suite struct RunsTests {
    /// A local project with the protests codebook and `count` documents.
    func localProject(_ store: SQLiteStore, documents count: Int) async throws -> Project {
        let project = try await Projects(store: store).create(name: "Protests", for: .local)
        _ = try await Codebooks(store: store).importCodebook(Protests.codebook, projectID: project.id, for: .local)
        for i in 1...count {
            _ = try await store.upsertDocument(
                DocumentInput(externalID: "d\(i).txt", mediaType: "text/plain", text: Protests.document(i)), projectID: project.id)
        }
        return project
    }

    @Test func aSampleRunCodesTheSampleAndReportsEachDocument() async throws {
        let store = try SQLiteStore.inMemory()
        let project = try await localProject(store, documents: 5)
        let engine = ExtractionEngine(store: store, provider: ScriptedProvider(steps: [], then: FakeModel.good))
        let runs = Runs(store: store, engine: engine, baseOptions: ExtractionEngine.Options(concurrency: 2))
        let reported = Mutex<[Int64]>([])

        let summary = try await runs.run(Jobs.Request(kind: .sample, sampleSize: 3), projectID: project.id, for: .local) { event in
            if case .documentFinished(let report) = event { reported.withLock { $0.append(report.documentID) } }
        }

        #expect(summary.job.kind == .sample)
        #expect(summary.job.status == .completed)
        #expect(summary.succeeded == 3)
        #expect(Set(reported.withLock { $0 }).count == 3)
        #expect(try await store.jobs(projectID: project.id).count == 1)
    }

    @Test func anotherAccountsProjectIsNotFoundAndNothingRuns() async throws {
        let store = try SQLiteStore.inMemory()
        let ada = Requester.account(userID: 1, email: "ada@example.org", seesPatterns: false)
        let project = try await Projects(store: store).create(name: "Ada's", for: ada)
        _ = try await Codebooks(store: store).importCodebook(Protests.codebook, projectID: project.id, for: ada)
        let provider = ScriptedProvider(steps: [], then: FakeModel.good)
        let runs = Runs(store: store, engine: ExtractionEngine(store: store, provider: provider), baseOptions: .init())

        await #expect(throws: ServiceError.notFound(.project(project.id))) {
            try await runs.run(Jobs.Request(kind: .full), projectID: project.id, for: .local)
        }
        #expect(try await store.jobs(projectID: project.id).isEmpty)
        #expect(await provider.callCount == 0)
    }

    @Test func aSampleWithoutASizeIsRefusedBeforeAJobIsStored() async throws {
        let store = try SQLiteStore.inMemory()
        let project = try await localProject(store, documents: 1)
        let runs = Runs(
            store: store, engine: ExtractionEngine(store: store, provider: ScriptedProvider(steps: [], then: FakeModel.good)),
            baseOptions: .init())

        await #expect(throws: ServiceError.invalid(field: "sample_size", reason: "a sample needs sample_size (or document_ids)")) {
            try await runs.run(Jobs.Request(kind: .sample), projectID: project.id, for: .local)
        }
        #expect(try await store.jobs(projectID: project.id).isEmpty)
    }
}

/// A project's unit of observation, as both front ends set it.
@Suite struct ProjectUnitTests {
    @Test func anEntityProjectNeedsToSayWhichEntities() async throws {
        let store = try SQLiteStore.inMemory()
        let projects = Projects(store: store)
        await #expect(
            throws: ServiceError.invalid(
                field: "entity_instruction", reason: "unit: entity needs an instruction saying which entities to find")
        ) {
            try await projects.create(name: "Events", unit: .entity, for: .local)
        }
        #expect(try await store.projects().isEmpty)
        let project = try await projects.create(name: "Events", unit: .entity, entityInstruction: "each protest event", for: .local)
        #expect(project.unit == .entity)
        #expect(project.entityInstruction == "each protest event")
    }
}
