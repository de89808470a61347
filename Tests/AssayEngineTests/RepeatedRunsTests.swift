import AssayCore
import AssayEngine
import AssayProviders
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// `--runs N`: each document coded N times, the majority value stored with the runs' agreement.
@Suite struct RepeatedRunsTests {
    /// A good model that, on the run with seed 2, says the protest was violent.
    static let wavering = ScriptedProvider.Step.respond { request in
        let reply = FakeModel.goodReply(for: request)
        guard request.seed == 2 else { return reply }
        return reply.replacingOccurrences(of: #""value":false"#, with: #""value":true"#)
    }

    @Test func threeRunsStoreTheMajorityWithAgreementAndVaryTemperatureAndSeed() async throws {
        let f = try await EngineFixture(documents: 4)
        let provider = ScriptedProvider(steps: [], then: Self.wavering)
        var options = ExtractionEngine.Options(concurrency: 2)
        options.runs = 3
        let summary = try await f.engine(provider).run(projectID: f.project.id, options: options)
        #expect(summary.succeeded == 4)

        // Three requests per document: the first as configured, the others warmer with seeds 1 and 2.
        let requests = await provider.requests
        #expect(requests.count == 12)
        #expect(requests.filter { $0.seed == nil }.allSatisfy { $0.temperature == 0 })
        #expect(requests.compactMap(\.seed).sorted() == [1, 1, 1, 1, 2, 2, 2, 2])
        #expect(requests.filter { $0.seed != nil }.allSatisfy { $0.temperature == 0.7 })

        let values = try await f.store.extractions(projectID: f.project.id, documentID: nil)
        #expect(values.count == 12)
        let violence = values.filter { $0.variable == "violence" }
        #expect(violence.allSatisfy { $0.value == false && $0.runAgreement == 2.0 / 3 && $0.runValues == [false, false, true] })
        // The model said 0.8 on the two runs that agree: blended with 2/3.
        #expect(violence.allSatisfy { abs($0.confidence! - (0.5 * 2.0 / 3 + 0.5 * 0.8)) < 1e-9 && $0.modelConfidence == 0.8 })
        let city = values.filter { $0.variable == "city" }
        #expect(city.allSatisfy { $0.runAgreement == 1 && $0.runs == 3 })
        #expect(values.allSatisfy { $0.settings == ModelSettings(temperature: 0, runs: 3, variedTemperature: 0.7) })

        // The job keeps how many runs it was asked for, and its estimate counted them.
        #expect(summary.job.selection.runs == 3)
        #expect(summary.estimate?.requests == 12)
        #expect(summary.estimate?.runs == 3)
        #expect(summary.job.tokensIn > 0)
        let started = try await f.store.events(jobID: summary.job.id).first?.message ?? ""
        #expect(started.contains("3 runs each") && started.contains("estimate: 12 requests (4 documents × 3 runs)"))
    }

    @Test func oneRunRecordsTheSettingsAndNoRunFields() async throws {
        let f = try await EngineFixture(documents: 1)
        var options = ExtractionEngine.Options(temperature: 0.2)
        options.runs = 1
        let summary = try await f.engine(ScriptedProvider(steps: [], then: FakeModel.good)).run(projectID: f.project.id, options: options)
        let values = try await f.store.extractions(projectID: f.project.id, documentID: nil)
        #expect(values.allSatisfy { $0.settings == ModelSettings(temperature: 0.2) && $0.runValues == nil && $0.runAgreement == nil })
        #expect(values.allSatisfy { $0.modelConfidence == nil && $0.runs == 1 })
        #expect(summary.job.selection.runs == nil)
        #expect(summary.estimate?.requests == 1)
    }

    @Test func theJobsSelectionDecidesTheRunsSoAResumedJobRunsAsAsked() async throws {
        let f = try await EngineFixture(documents: 2)
        let provider = ScriptedProvider(steps: [], then: FakeModel.good)
        let options = ExtractionEngine.Options(selection: JobSelection(runs: 2))
        _ = try await f.engine(provider).run(projectID: f.project.id, options: options)
        #expect(await provider.callCount == 4)
    }

    @Test func runsOutOfRangeAndRunsOnEntitiesAreRefusedBeforeAnythingIsStored() async throws {
        let f = try await EngineFixture(documents: 1)
        var options = ExtractionEngine.Options()
        options.runs = 10
        await #expect(throws: EngineError.invalidRuns(10)) {
            _ = try await f.engine(ScriptedProvider(steps: [])).prepare(projectID: f.project.id, options: options)
        }
        let workspace = Workspace(store: f.store)
        let events = try await workspace.createProject(name: "events")
        _ = try await workspace.importCodebook(EntityEngineTests.codebook, projectID: events.id)
        options.runs = 2
        await #expect(throws: EngineError.runsWithEntities(project: "events")) {
            _ = try await f.engine(ScriptedProvider(steps: [])).prepare(projectID: events.id, options: options)
        }
        #expect(try await f.store.jobs(projectID: events.id).isEmpty)
        #expect(try await f.store.jobs(projectID: f.project.id).isEmpty)
    }

    @Test func aRunThatFailsCountsAgainstTheAgreement() async throws {
        let f = try await EngineFixture(documents: 1)
        // The second run's reply is unusable twice (the re-ask too); the other two agree.
        let provider = ScriptedProvider(steps: [FakeModel.good, .reply("no"), .reply("still no"), FakeModel.good])
        var options = ExtractionEngine.Options()
        options.runs = 3
        let summary = try await f.engine(provider).run(projectID: f.project.id, options: options)
        #expect(summary.succeeded == 1)
        let values = try await f.store.extractions(projectID: f.project.id, documentID: nil)
        #expect(values.allSatisfy { $0.runAgreement == 2.0 / 3 && $0.runValues.map { $0[1] == JSONValue?.none } == true && $0.runs == 3 })
    }
}
