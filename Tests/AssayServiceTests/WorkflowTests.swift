import AssayCore
import AssayEngine
import AssayProviders
import AssayService
import AssayStore
import AssayTestSupport
import Testing

/// Seed 004's order of work, held by the use cases every front end calls: no full run before a
/// sample has completed under the current codebook (unless the request skips it), and no run of
/// a project with nothing to code.
@Suite struct WorkflowTests {
    let store: SQLiteStore
    let provider = ScriptedProvider(steps: [], then: FakeModel.good)
    let runs: Runs

    init() throws {
        store = try SQLiteStore.inMemory()
        runs = Runs(store: store, engine: ExtractionEngine(store: store, provider: provider), baseOptions: .init(concurrency: 2))
    }

    func project(documents count: Int) async throws -> Project {
        try await RunsTests().localProject(store, documents: count)
    }

    @Test func aFullRunBeforeASampleIsRefusedAndNothingIsSent() async throws {
        let project = try await project(documents: 4)

        await #expect(throws: ServiceError.notReady(.sampleFirst(project: "Protests", codebookVersion: 1))) {
            try await runs.run(Jobs.Request(kind: .full), projectID: project.id, for: .local)
        }
        await #expect(throws: ServiceError.notReady(.sampleFirst(project: "Protests", codebookVersion: 1))) {
            try await runs.enqueue(Jobs.Request(kind: .full), projectID: project.id, for: .local)
        }
        #expect(try await store.jobs(projectID: project.id).isEmpty)
        #expect(await provider.callCount == 0)
        #expect(try await store.project(id: project.id)?.status == .schemaDefined)
    }

    @Test func aCompletedSampleOpensTheFullRun() async throws {
        let project = try await project(documents: 4)
        let sample = try await runs.run(Jobs.Request(kind: .sample, sampleSize: 2), projectID: project.id, for: .local)
        #expect(sample.job.status == .completed)
        #expect(try await store.project(id: project.id)?.status == .sampleComplete)

        let full = try await runs.run(Jobs.Request(kind: .full), projectID: project.id, for: .local)
        #expect(full.job.status == .completed)
        #expect(full.alreadyDone == 2)
        #expect(try await store.project(id: project.id)?.status == .complete)
    }

    @Test func aNewCodebookVersionNeedsANewSample() async throws {
        let project = try await project(documents: 3)
        _ = try await runs.run(Jobs.Request(kind: .sample, sampleSize: 1), projectID: project.id, for: .local)
        var changed = Protests.codebook
        changed.variables[0].instructions += " Count only people on the street."
        _ = try await Codebooks(store: store).importCodebook(changed, projectID: project.id, for: .local)

        await #expect(throws: ServiceError.notReady(.sampleFirst(project: "Protests", codebookVersion: 2))) {
            try await runs.run(Jobs.Request(kind: .full), projectID: project.id, for: .local)
        }
    }

    @Test func skippingTheSampleIsAnExplicitChoice() async throws {
        let project = try await project(documents: 3)
        let full = try await runs.run(Jobs.Request(kind: .full, skipSample: true), projectID: project.id, for: .local)
        #expect(full.job.status == .completed)
        #expect(full.job.processed == 3)
    }

    @Test func chosenDocumentsNeedNoSampleFirst() async throws {
        let project = try await project(documents: 3)
        let first = try #require(try await store.documents(projectID: project.id, status: .ready).first)
        let chosen = try await runs.run(Jobs.Request(kind: .full, documentIDs: [first.id]), projectID: project.id, for: .local)
        #expect(chosen.job.processed == 1)
    }

    @Test func aProjectWithoutReadableDocumentsIsNotRunNorMarkedComplete() async throws {
        let project = try await Projects(store: store).create(name: "Empty", for: .local)
        _ = try await Codebooks(store: store).importCodebook(Protests.codebook, projectID: project.id, for: .local)
        // Unreadable input is a failed document: still nothing to code.
        _ = try await store.upsertDocument(
            DocumentInput(externalID: "empty.txt", mediaType: "text/plain", text: "", status: .failed, error: "the file is empty"),
            projectID: project.id)

        for request in [Jobs.Request(kind: .full, skipSample: true), Jobs.Request(kind: .sample, sampleSize: 5)] {
            await #expect(throws: ServiceError.notReady(.noDocuments(project: "Empty"))) {
                try await runs.run(request, projectID: project.id, for: .local)
            }
        }
        #expect(try await store.jobs(projectID: project.id).isEmpty)
        #expect(try await store.project(id: project.id)?.status == .schemaDefined)
    }

    @Test func theRefusalSaysWhatToDo() {
        let refusal = ServiceError.notReady(.sampleFirst(project: "Protests", codebookVersion: 2))
        #expect(refusal.description.contains("no sample of project 'Protests' has completed under codebook version 2"))
    }
}
