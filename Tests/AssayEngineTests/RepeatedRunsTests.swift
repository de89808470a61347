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

/// Codebooks that name models: a panel across runs (`models`), and a variable's own `model`.
@Suite struct ModelPanelTests {
    /// Answers as `FakeModel` does and keeps which model each request went to.
    actor Switchboard {
        var calls: [(model: String, request: LLMRequest)] = []
        func record(_ model: String, _ request: LLMRequest) { calls.append((model, request)) }
    }

    struct Named: LLMProvider {
        let model: String
        let board: Switchboard
        /// What this model says about violence.
        var violent = false
        func complete(_ request: LLMRequest) async throws -> LLMResponse {
            await board.record(model, request)
            var reply = FakeModel.goodReply(for: request)
            if violent { reply = reply.replacingOccurrences(of: #""value":false"#, with: #""value":true"#) }
            // A request for some variables only gets an answer for those.
            if case .object(var answers) = try JSONValue.parse(reply), let schema = request.responseSchema?["properties"] {
                for key in answers.keys where schema[key] == nil { answers[key] = nil }
                reply = JSONValue.object(answers).serialized()
            }
            return LLMResponse(text: reply)
        }
    }

    func fixture(_ codebook: Codebook) async throws -> (EngineFixture, Project) {
        let f = try await EngineFixture(documents: 2)
        let workspace = Workspace(store: f.store)
        let project = try await workspace.createProject(name: "panel")
        _ = try await workspace.importCodebook(codebook, projectID: project.id)
        for i in 1...2 {
            _ = try await f.store.upsertDocument(
                DocumentInput(externalID: "p\(i).txt", mediaType: "text/plain", text: Protests.document(i)), projectID: project.id)
        }
        return (f, project)
    }

    @Test func threeModelsTakeTurnsAcrossRunsAndEachValueSaysWhichRunsUsedWhich() async throws {
        var codebook = Protests.codebook
        codebook.models = ["alpha", "beta", "gamma"]
        let (f, project) = try await fixture(codebook)
        let board = Switchboard()
        var engine = f.engine(Named(model: "configured", board: board))
        engine.modelProvider = { name in Named(model: name, board: board, violent: name == "gamma") }
        var options = ExtractionEngine.Options()
        options.runs = 3
        let summary = try await engine.run(projectID: project.id, options: options)
        #expect(summary.succeeded == 2)
        let calls = await board.calls
        #expect(calls.map(\.model).sorted() == ["alpha", "alpha", "beta", "beta", "gamma", "gamma"])
        #expect(calls.filter { $0.model == "alpha" }.allSatisfy { $0.request.seed == nil && $0.request.temperature == 0 })
        let values = try await f.store.extractions(projectID: project.id, documentID: nil)
        let violence = values.filter { $0.variable == "violence" }
        #expect(violence.allSatisfy { $0.value == false && $0.runValues == [false, false, true] && $0.model == "alpha" })
        #expect(values.allSatisfy { $0.settings?.models == ["alpha", "beta", "gamma"] })
        let started = try await f.store.events(jobID: summary.job.id).first?.message ?? ""
        #expect(started.contains("(and alpha, beta, gamma as the codebook says)"))
    }

    @Test func aVariableWithItsOwnModelIsAskedInItsOwnRequest() async throws {
        var codebook = Protests.codebook
        codebook.variables[2].model = "judge"  // violence
        let (f, project) = try await fixture(codebook)
        let board = Switchboard()
        var engine = f.engine(Named(model: "configured", board: board))
        engine.modelProvider = { name in Named(model: name, board: board, violent: true) }
        let summary = try await engine.run(projectID: project.id, options: ExtractionEngine.Options())
        #expect(summary.succeeded == 2)
        #expect(summary.estimate?.requests == 4)
        let calls = await board.calls
        #expect(calls.count == 4)
        // The judge sees violence only; the configured model everything else.
        for call in calls {
            let asked = Set(call.request.responseSchema?["properties"]?.objectValue?.keys.map { $0 } ?? [])
            #expect(asked == (call.model == "judge" ? ["violence"] : ["city", "participants"]), "\(call.model)")
        }
        let values = try await f.store.extractions(projectID: project.id, documentID: nil)
        #expect(values.count == 6)
        #expect(values.filter { $0.variable == "violence" }.allSatisfy { $0.model == "judge" && $0.value == true })
        #expect(values.filter { $0.variable != "violence" }.allSatisfy { $0.model == "configured" })
    }

    @Test func namedModelsAreRefusedWhereTheRunCannotSwitchModels() async throws {
        var codebook = Protests.codebook
        codebook.models = ["alpha"]
        let (f, project) = try await fixture(codebook)
        await #expect(throws: EngineError.modelsUnavailable(["alpha"])) {
            _ = try await f.engine(ScriptedProvider(steps: [])).prepare(projectID: project.id, options: .init())
        }
    }

    @Test func theCodebookSaysWhatModelsItMayName() {
        var codebook = Protests.codebook
        codebook.models = ["a", "a", ""]
        codebook.variables[2].model = "judge"
        codebook.variables[2].dependsOn = Dependency(variable: "city", present: true)
        let problems = codebook.problems().map { "\($0.field): \($0.reason)" }
        #expect(problems.contains("models: a model is named twice"))
        #expect(problems.contains("models[2]: a model name is 1 to 200 characters on one line"))
        #expect(problems.contains("variables[2].depends_on.variable: 'city' is coded by another model; a condition needs the same model"))
        var entities = EntityEngineTests.codebook
        entities.variables[0].model = "judge"
        #expect(entities.problems().map(\.field) == ["variables[0].model"])
    }
}

/// Money: the estimate's upper bound and a job's cost from the model's price.
@Suite struct CostTests {
    @Test func theEstimateAndTheCostFollowThePrice() async throws {
        let f = try await EngineFixture(documents: 3)
        var engine = f.engine(ScriptedProvider(model: "gpt-4o-mini", steps: [], then: FakeModel.good))
        engine.prices = { PriceTable.defaults.price(for: $0) }
        var options = ExtractionEngine.Options()
        options.runs = 2
        let summary = try await engine.run(projectID: f.project.id, options: options)
        let estimate = try #require(summary.estimate)
        let price = Price(input: 0.15, output: 0.6, cachedInput: 0.075)
        // Two runs at the same price: twice one pass's bound.
        let onePass = price.dollars(inputTokens: estimate.inputTokens / 2, outputTokens: estimate.maxOutputTokens / 2)
        #expect(abs(try #require(estimate.maxCost) - 2 * onePass) < 1e-12)
        #expect(summary.price == price)
        #expect(summary.cost == price.dollars(inputTokens: summary.job.tokensIn, outputTokens: summary.job.tokensOut))
        #expect(try #require(summary.cost) > 0)
    }

    @Test func aModelWithoutAPriceHasNoCost() async throws {
        let f = try await EngineFixture(documents: 1)
        var engine = f.engine(ScriptedProvider(model: "mystery", steps: [], then: FakeModel.good))
        engine.prices = { PriceTable.defaults.price(for: $0) }
        let plan = try await engine.plan(projectID: f.project.id, options: .init())
        #expect(plan.estimate.maxCost == nil && plan.estimate.requests == 1)
        // Planning stores nothing.
        #expect(try await f.store.jobs(projectID: f.project.id).isEmpty)
        let summary = try await engine.run(projectID: f.project.id, options: .init())
        #expect(summary.cost == nil)
    }
}

/// `--max-tokens` and `--max-cost`: the job pauses at its budget and a run with a higher one continues.
@Suite struct BudgetTests {
    @Test func aTokenBudgetPausesTheJobAndTheNextRunContinuesWithNothingDoneTwice() async throws {
        let f = try await EngineFixture(documents: 5)
        let provider = ScriptedProvider(steps: [], then: FakeModel.good)
        var options = ExtractionEngine.Options(concurrency: 1)
        options.maxTokens = 1
        let paused = try await f.engine(provider).run(projectID: f.project.id, options: options)
        #expect(paused.job.status == .paused)
        #expect(paused.job.processed == 1)
        #expect(paused.job.error?.hasPrefix("the budget of 1 tokens is spent (") == true)
        #expect(try await f.store.events(jobID: paused.job.id).last?.kind == .jobPaused)
        // The project is not complete; the next run, with no budget, does the other four.
        #expect(try await f.store.project(id: f.project.id)?.status != .complete)
        let rest = try await f.engine(provider).run(projectID: f.project.id, options: .init(concurrency: 1))
        #expect(rest.job.status == .completed && rest.job.total == 4 && rest.alreadyDone == 1)
        #expect(await provider.callCount == 5)
        #expect(try await f.store.extractions(projectID: f.project.id, documentID: nil).count == 15)
    }

    /// The project's budget counts every job: it pauses the job that reaches it, a job started
    /// while it is spent codes nothing, and after it is raised the rest is coded, nothing twice.
    @Test func theProjectsBudgetPausesItsJobsUntilItIsRaised() async throws {
        let f = try await EngineFixture(documents: 5)
        let provider = ScriptedProvider(steps: [], then: FakeModel.good)
        try await f.store.setProjectBudget(Budget(maxTokens: 1), projectID: f.project.id)
        let paused = try await f.engine(provider).run(projectID: f.project.id, options: .init(concurrency: 1))
        #expect(paused.job.status == .paused && paused.job.processed == 1)
        #expect(paused.job.error?.hasPrefix("the project's budget of 1 tokens is spent (") == true, "\(paused.job.error ?? "")")
        let still = try await f.engine(provider).run(projectID: f.project.id, options: .init(concurrency: 1))
        #expect(still.job.status == .paused && still.job.processed == 0)
        #expect(await provider.callCount == 1)
        let spent = try await f.store.spending(projectID: f.project.id)
        try await f.store.setProjectBudget(Budget(maxTokens: 1_000_000), projectID: f.project.id)
        let rest = try await f.engine(provider).run(projectID: f.project.id, options: .init(concurrency: 1))
        #expect(rest.job.status == .completed && rest.job.total == 4 && rest.alreadyDone == 1)
        #expect(await provider.callCount == 5)
        #expect(try await f.store.extractions(projectID: f.project.id, documentID: nil).count == 15)
        #expect(try await f.store.spending(projectID: f.project.id).tokensIn > spent.tokensIn)
    }

    /// A dollar budget for the project counts what earlier jobs cost.
    @Test func theProjectsDollarBudgetCountsEarlierJobs() async throws {
        let f = try await EngineFixture(documents: 4)
        var engine = f.engine(ScriptedProvider(model: "gpt-4o-mini", steps: [], then: FakeModel.good))
        engine.prices = { PriceTable.defaults.price(for: $0) }
        let first = try await engine.run(projectID: f.project.id, options: .init(selection: .init(sampleSize: 2, seed: 1)))
        #expect(first.job.status == .completed && first.job.processed == 2)
        let cost = try #require(try await f.store.spending(projectID: f.project.id).cost)
        try await f.store.setProjectBudget(Budget(maxCost: cost), projectID: f.project.id)
        let paused = try await engine.run(projectID: f.project.id, options: .init())
        #expect(paused.job.status == .paused && paused.job.processed == 0)
        #expect(paused.job.error?.hasPrefix("the project's budget of $") == true, "\(paused.job.error ?? "")")
        try await f.store.setProjectBudget(Budget(maxCost: cost * 10), projectID: f.project.id)
        let rest = try await engine.run(projectID: f.project.id, options: .init())
        #expect(rest.job.status == .completed && rest.job.processed == 2)
        engine.prices = nil
        await #expect(throws: EngineError.noPrice("gpt-4o-mini")) { _ = try await engine.plan(projectID: f.project.id, options: .init()) }
    }

    /// A panel's spending is priced at its dearest model, and every model needs a price.
    @Test func aMoneyBudgetWithAPanelNeedsEveryPriceAndUsesTheDearest() async throws {
        var codebook = Protests.codebook
        codebook.models = ["gpt-4o-mini", "mystery"]
        let (f, project) = try await ModelPanelTests().fixture(codebook)
        let board = ModelPanelTests.Switchboard()
        var engine = f.engine(ModelPanelTests.Named(model: "gpt-4o-mini", board: board))
        engine.modelProvider = { ModelPanelTests.Named(model: $0, board: board) }
        engine.prices = { PriceTable.defaults.price(for: $0) }
        var options = ExtractionEngine.Options(concurrency: 1)
        options.runs = 2
        options.maxCost = 1
        await #expect(throws: EngineError.noPrice("mystery")) { _ = try await engine.plan(projectID: project.id, options: options) }
        #expect(
            Price.dearest([Price(input: 0.15, output: 0.6, cachedInput: 0.075), Price(input: 2.5, output: 1)])
                == Price(input: 2.5, output: 1, cachedInput: 2.5))
        #expect(Price.dearest([]) == nil)
    }

    @Test func aMoneyBudgetPausesAtTheModelsPriceAndNeedsOne() async throws {
        let f = try await EngineFixture(documents: 4)
        var engine = f.engine(ScriptedProvider(model: "gpt-4o-mini", steps: [], then: FakeModel.good))
        engine.prices = { PriceTable.defaults.price(for: $0) }
        var options = ExtractionEngine.Options(concurrency: 1)
        options.maxCost = 0.000_000_1
        let paused = try await engine.run(projectID: f.project.id, options: options)
        #expect(paused.job.status == .paused && paused.job.processed == 1)
        #expect(paused.job.error?.hasPrefix("the budget of $0.0000 is spent ($0.0") == true, "\(paused.job.error ?? "")")
        engine.prices = nil
        await #expect(throws: EngineError.noPrice("gpt-4o-mini")) {
            _ = try await engine.plan(projectID: f.project.id, options: options)
        }
    }
}

/// Each document's cost at its model's price, with cached tokens at the cached rate, summed
/// into its job and the project's spending.
@Suite struct SpendingTests {
    @Test func resultsCarryTheirCostAndTheJobAndProjectAddThemUp() async throws {
        let f = try await EngineFixture(documents: 3)
        let provider = CachingModel()
        var engine = f.engine(provider)
        let price = Price(input: 2, output: 10, cachedInput: 0.5)
        engine.prices = { $0 == "priced" ? price : nil }
        let summary = try await engine.run(projectID: f.project.id, options: .init(concurrency: 1))
        // 400 uncached × $2 + 600 cached × $0.5 + 100 out × $10, per million tokens.
        let perDocument: Double = (800 + 300 + 1000) / 1_000_000
        #expect(summary.job.tokensCached == 1800)
        #expect(abs((summary.job.cost ?? 0) - 3 * perDocument) < 1e-12)
        #expect(abs((summary.cost ?? 0) - 3 * perDocument) < 1e-12)
        let spending = try await f.store.spending(projectID: f.project.id)
        #expect(spending.tokensIn == 3000 && spending.tokensCached == 1800 && abs(spending.cachedShare - 0.6) < 1e-12)
        #expect(abs((spending.cost ?? 0) - 3 * perDocument) < 1e-12)
        #expect(abs((spending.costPerDocument ?? 0) - perDocument) < 1e-12)

        // An unpriced model: tokens, no dollars.
        let g = try await EngineFixture(documents: 1)
        _ = try await g.engine(provider).run(projectID: g.project.id, options: .init())
        #expect(try await g.store.spending(projectID: g.project.id).cost == nil)
    }
}

/// Answers like a good model and reports 600 of its 1,000 prompt tokens as cached.
struct CachingModel: LLMProvider {
    let model = "priced"
    func complete(_ request: LLMRequest) async throws -> LLMResponse {
        LLMResponse(
            text: FakeModel.goodReply(for: request),
            usage: TokenUsage(promptTokens: 1000, completionTokens: 100, cachedPromptTokens: 600))
    }
}
