import AssayCore
import AssayStore
import Foundation

/// Everything an export writes, read from the store once: the codebook in force, the ready
/// documents, their values and how their latest run ended. A plain value, so exporters are pure.
public struct ExportDataset: Sendable, Hashable {
    public var codebook: Codebook
    public var codebookVersion: Int
    public var documents: [Document]
    public var extractions: [Extraction]
    /// The latest outcome of each document, by document id.
    public var outcomes: [Int64: DocumentOutcome]
    /// People's codes of these documents, for agreement with the model.
    public var humanCodes: [HumanCode]
    /// What the project's jobs spent (tokens, dollars), for the quality sheet; nil leaves it out.
    public var spending: Spending?

    public init(
        codebook: Codebook, codebookVersion: Int, documents: [Document], extractions: [Extraction],
        outcomes: [Int64: DocumentOutcome] = [:], humanCodes: [HumanCode] = []
    ) {
        self.codebook = codebook
        self.codebookVersion = codebookVersion
        self.documents = documents
        self.extractions = extractions
        self.outcomes = outcomes
        self.humanCodes = humanCodes
    }

    /// Some values come from several runs (`assay run --runs N`): the wide layouts then show each
    /// variable's run agreement beside its value.
    public var hasRuns: Bool { extractions.contains { $0.runValues != nil } }

    /// Reads the project's latest codebook, its ready documents, their values, outcomes and people's codes.
    /// - Throws: `ExportError.noCodebook` when the project has no codebook yet.
    public static func load(from store: any Store, projectID: Int64) async throws -> ExportDataset {
        guard let latest = try await store.latestCodebook(projectID: projectID) else {
            let name = try await store.project(id: projectID)?.name
            throw ExportError.noCodebook(project: name ?? "#\(projectID)")
        }
        let documents = try await store.documents(projectID: projectID, status: .ready)
        let ids = Set(documents.map(\.id))
        let extractions = try await store.extractions(projectID: projectID, documentID: nil).filter { ids.contains($0.documentID) }
        var dataset = ExportDataset(
            codebook: latest.codebook, codebookVersion: latest.version, documents: documents,
            extractions: extractions, outcomes: latestOutcomes(try await store.outcomes(projectID: projectID)),
            humanCodes: try await store.humanCodes(projectID: projectID).filter { ids.contains($0.documentID) })
        dataset.spending = try await store.spending(projectID: projectID)
        return dataset
    }

    /// One outcome per document: the most recent, as its values come from the latest run that stored any.
    static func latestOutcomes(_ outcomes: [DocumentOutcome]) -> [Int64: DocumentOutcome] {
        var latest: [Int64: DocumentOutcome] = [:]
        for outcome in outcomes {
            guard let current = latest[outcome.documentID] else {
                latest[outcome.documentID] = outcome
                continue
            }
            let newer =
                (outcome.updatedAt, outcome.codebookVersion, outcome.jobID)
                > (current.updatedAt, current.codebookVersion, current.jobID)
            if newer { latest[outcome.documentID] = outcome }
        }
        return latest
    }
}

/// Export failures a user can act on, in no front end's words: what to do next is the CLI's hint
/// or the service's problem document.
public enum ExportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The project has no codebook, so there are no variables to export.
    case noCodebook(project: String)
    /// The output file could not be written.
    case cannotWrite(path: String, reason: String)
    /// More rows than the format holds (Excel: 1,048,575 under the header).
    case tooManyRows(format: String, rows: Int, limit: Int)
    /// A binary format was asked for as text.
    case binaryFormat(String)

    public var description: String {
        switch self {
        case .noCodebook(let project):
            "project \(project) has no codebook yet, so there is nothing to export"
        case .cannotWrite(let path, let reason):
            "cannot write \(path): \(reason)"
        case .tooManyRows(let format, let rows, let limit):
            "the dataset has \(rows) rows, more than \(format) holds (\(limit)); export CSV or JSONL instead"
        case .binaryFormat(let format):
            "\(format) is a binary format: write it to a file"
        }
    }
}
