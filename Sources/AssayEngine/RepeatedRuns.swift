import AssayCore
import Foundation

/// Codes each request's documents several times (`--runs N`) and merges the runs per document
/// (`RunMerge`): the first run as configured, the others at the varied temperature with seeds
/// 1, 2, … so they differ from each other yet come out the same when the job is run again.
/// With one run it is the plain batch processor.
struct RepeatedRuns: Sendable {
    let passes: [BatchProcessor]
    let codebook: Codebook
    let settings: ModelSettings

    init(_ single: DocumentProcessor, runs: Int, variedTemperature: Double) {
        let settings = ModelSettings(temperature: single.temperature, runs: max(1, runs), variedTemperature: variedTemperature)
        self.settings = settings
        self.codebook = single.prompt.codebook
        self.passes = (0..<max(1, runs)).map { run in
            BatchProcessor(
                single: DocumentProcessor(
                    provider: single.provider, prompt: single.prompt, codebookVersion: single.codebookVersion,
                    temperature: run == 0 ? single.temperature : variedTemperature, maxTokens: single.maxTokens,
                    recorder: single.recorder, timeBudget: single.timeBudget, chunker: single.chunker,
                    seed: run == 0 ? single.seed : run, settings: settings))
        }
    }

    func process(_ documents: [Document], jobID: Int64) async throws -> [DocumentResult] {
        guard passes.count > 1 else { return try await passes[0].process(documents, jobID: jobID) }
        var runs: [Int64: [DocumentResult]] = [:]
        for pass in passes {
            for result in try await pass.process(documents, jobID: jobID) {
                runs[result.documentID, default: []].append(result)
            }
        }
        return documents.compactMap { document in
            runs[document.id].map { RunMerge.merge($0, codebook: codebook, settings: settings) }
        }
    }
}
