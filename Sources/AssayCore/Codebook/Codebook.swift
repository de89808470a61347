import Foundation

/// The set of variables to code, with general instructions. Every change makes a new version.
public struct Codebook: Sendable, Hashable, Codable {
    public var name: String?
    public var description: String?
    /// General instructions that apply to every variable.
    public var instructions: String?
    public var variables: [Variable]
    /// What one row describes: the whole document (nil or `.document`), or each entity the
    /// `entityInstruction` finds in it, every variable coded per entity.
    public var unit: UnitOfObservation?
    /// Which entities to find, e.g. "each protest event the article reports".
    public var entityInstruction: String?
    /// The models that code the project, by name at the configured provider: run 1 uses the
    /// first, run 2 the second, and so on round (`assay run --runs N`); nil for the configured model.
    public var models: [String]?

    public init(
        name: String? = nil, description: String? = nil, instructions: String? = nil, variables: [Variable],
        unit: UnitOfObservation? = nil, entityInstruction: String? = nil, models: [String]? = nil
    ) {
        self.models = models
        self.name = name
        self.description = description
        self.instructions = instructions
        self.variables = variables
        self.unit = unit
        self.entityInstruction = entityInstruction
    }

    enum CodingKeys: String, CodingKey {
        case name, description, instructions, variables, unit, models
        case entityInstruction = "entity_instruction"
    }

    /// The model run `run` (from 0) codes with, when the codebook names models; nil for the configured one.
    public func model(forRun run: Int) -> String? {
        guard let models, !models.isEmpty else { return nil }
        return models[run % models.count]
    }

    /// The entity instruction when the codebook codes entities, else nil.
    public var entities: String? { unit == .entity ? entityInstruction : nil }

    public func variable(named name: String) -> Variable? { variables.first { $0.name == name } }

    /// A digest of the codebook's content; equal codebooks hash equal, whatever their key order.
    public var contentHash: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(self)) ?? Data()
        return Hashing.sha256(data)
    }
}

/// A stored codebook as of one version, with the hash of the prompt it generates.
public struct CodebookVersion: Sendable, Hashable, Codable {
    public var projectID: Int64
    public var version: Int
    public var codebook: Codebook
    public var codebookHash: String
    public var promptHash: String
    public var createdAt: Date

    public init(projectID: Int64, version: Int, codebook: Codebook, codebookHash: String, promptHash: String, createdAt: Date) {
        self.projectID = projectID
        self.version = version
        self.codebook = codebook
        self.codebookHash = codebookHash
        self.promptHash = promptHash
        self.createdAt = createdAt
    }
}
