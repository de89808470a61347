import AssayCore
import AssayProviders
import Foundation

/// Codes each request's documents as the `CodingPlan` says: once per run (`--runs N`), each run
/// in its parts (one request per model), the parts of a run combined per document and the runs
/// merged (`RunMerge`). The first run goes as configured, the others at the varied temperature
/// with seeds 1, 2, … so they differ from each other yet come out the same when the job is run
/// again. With one run of one part it is the plain batch processor.
struct RepeatedRuns: Sendable {
    /// Per run, per part.
    let passes: [[BatchProcessor]]
    let codebook: Codebook
    let settings: ModelSettings

    /// - Parameter single: the configured processor (temperature, seed, recorder, budgets, chunking).
    /// - Parameter price: a model's price for this job (nil where unknown).
    init(_ single: DocumentProcessor, plan: CodingPlan, variedTemperature: Double, price: (String) -> Price? = { _ in nil }) {
        let runs = plan.runs.count
        let settings = ModelSettings(
            temperature: single.temperature, runs: runs, variedTemperature: variedTemperature, models: plan.runModels)
        self.settings = settings
        self.codebook = single.prompt.codebook
        self.passes = plan.runs.enumerated().map { run, parts in
            parts.map { part in
                BatchProcessor(
                    single: DocumentProcessor(
                        provider: part.provider, prompt: part.prompt, codebookVersion: single.codebookVersion,
                        temperature: run == 0 ? single.temperature : variedTemperature,
                        recorder: single.recorder, timeBudget: single.timeBudget, chunker: single.chunker,
                        seed: run == 0 ? single.seed : run, settings: settings, price: price(part.provider.model),
                        tracer: single.tracer))
            }
        }
    }

    func process(_ documents: [Document], jobID: Int64) async throws -> [DocumentResult] {
        if passes.count == 1, passes[0].count == 1 { return try await passes[0][0].process(documents, jobID: jobID) }
        var runs: [Int64: [DocumentResult]] = [:]
        for parts in passes {
            var pieces: [Int64: [DocumentResult]] = [:]
            for part in parts {
                for result in try await part.process(documents, jobID: jobID) {
                    pieces[result.documentID, default: []].append(result)
                }
            }
            for (document, results) in pieces { runs[document, default: []].append(RunMerge.combine(results)) }
        }
        return documents.compactMap { document in
            guard let results = runs[document.id] else { return nil }
            return passes.count == 1 ? results[0] : RunMerge.merge(results, codebook: codebook, settings: settings)
        }
    }
}
