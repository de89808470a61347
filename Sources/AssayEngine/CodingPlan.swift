import AssayCore
import AssayProviders
import Foundation

/// Who codes what, run by run: each run's model (the codebook's `models` in turn, else the
/// configured one) and the variables that name their own model, grouped so that each model gets
/// one request per document with its variables only. A codebook without models is one part per
/// run: the whole codebook with the configured model, as before models existed.
struct CodingPlan: Sendable {
    /// One request's worth of a run: a model and the variables it codes.
    struct Part: Sendable {
        var provider: any LLMProvider
        var prompt: ExtractionPrompt
    }

    /// Per run, its parts.
    var runs: [[Part]]

    /// The models the codebook names that are not the configured one, in the order they appear.
    static func namedModels(_ codebook: Codebook, runs: Int, configured: String) -> [String] {
        var names: [String] = []
        for run in 0..<runs {
            for name in [codebook.model(forRun: run)].compactMap({ $0 }) + codebook.variables.compactMap(\.model)
            where name != configured && !names.contains(name) {
                names.append(name)
            }
        }
        return names
    }

    /// The plan for `runs` runs; `provider(name)` gives the provider of a named model.
    init(
        codebook: Codebook, prompt: ExtractionPrompt, runs: Int, configured: any LLMProvider,
        provider: (String) throws -> any LLMProvider
    ) rethrows {
        func resolve(_ name: String?) throws -> any LLMProvider {
            guard let name, name != configured.model else { return configured }
            return try provider(name)
        }
        var plan: [[Part]] = []
        for run in 0..<max(1, runs) {
            let runModel = codebook.model(forRun: run)
            // Variables by model, in the order each model first appears in the codebook.
            var order: [String?] = []
            var groups: [String?: [Variable]] = [:]
            for variable in codebook.variables {
                let model = variable.model ?? runModel
                if groups[model] == nil { order.append(model) }
                groups[model, default: []].append(variable)
            }
            if order.count == 1 {
                // One model for everything: the codebook's own prompt (and prompt hash).
                plan.append([Part(provider: try resolve(order[0]), prompt: prompt)])
                continue
            }
            plan.append(
                try order.map { model in
                    var part = codebook
                    part.variables = groups[model]!
                    return Part(provider: try resolve(model), prompt: ExtractionPrompt(codebook: part))
                })
        }
        self.runs = plan
    }

    /// Every model the plan uses, each once, in the order they first code.
    var models: [String] {
        var names: [String] = []
        for part in runs.joined() where !names.contains(part.provider.model) { names.append(part.provider.model) }
        return names
    }

    /// Requests per document over all runs, before re-asks and chunks.
    var partsPerDocument: Int { runs.reduce(0) { $0 + $1.count } }

    /// The model of each run, when they are not all the same; nil otherwise.
    var runModels: [String]? {
        let names = runs.map { parts in parts.map(\.provider.model).joined(separator: "+") }
        return Set(names).count > 1 ? names : nil
    }
}
