import Foundation

/// Why a job or a workspace operation cannot go ahead: cases with their data, described without
/// naming a front end. What to do next is each front end's own advice (the CLI's `CLIHint`, the
/// service's problem documents).
public enum EngineError: Error, Sendable, Equatable, CustomStringConvertible {
    case noProject(String)
    case ambiguousProject([String])
    case noCodebook(project: String)
    case nothingToRun(String)
    case unknownDocuments([String])
    case unknownVariable(String)
    case invalidRuns(Int)
    case runsWithEntities(project: String)
    case modelsUnavailable([String])
    case noPrice(String)
    case batchUnavailable(String)
    /// A queued job for another model than the worker's: left to a worker of that model.
    case otherModel(job: Int64, model: String, worker: String)

    public var description: String {
        switch self {
        case .noProject(let name):
            name.isEmpty ? "no project in this database" : "no project named '\(name)'"
        case .ambiguousProject(let names):
            "several projects in this database (\(names.joined(separator: ", ")))"
        case .noCodebook(let project):
            "project '\(project)' has no codebook yet"
        case .nothingToRun(let why): why
        case .unknownDocuments(let ids): "no such documents: \(ids.joined(separator: ", "))"
        case .unknownVariable(let name): "the codebook has no variable named '\(name)'"
        case .invalidRuns(let runs):
            "runs must be 1 to \(ExtractionEngine.Options.maxRuns) (each run codes every document once more), not \(runs)"
        case .runsWithEntities(let project):
            "project '\(project)' codes entities, and several runs can find different entities: code it with one run"
        case .noPrice(let model):
            "a budget in dollars needs the price of \(model), which Assay does not know"
        case .batchUnavailable(let why): "batch mode is not available: \(why)"
        case .otherModel(let job, let model, let worker):
            "job #\(job) is for model \(model), and this worker codes with \(worker): it is left to a worker of that model"
        case .modelsUnavailable(let names):
            "the codebook names models (\(names.joined(separator: ", "))) that this run cannot switch to"
        }
    }
}
