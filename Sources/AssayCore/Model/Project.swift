import Foundation

/// A body of documents coded with one codebook.
public struct Project: Sendable, Hashable, Codable {
    public var id: Int64
    public var name: String
    public var description: String?
    public var owner: String?
    public var unit: UnitOfObservation
    public var entityInstruction: String?
    public var status: ProjectStatus
    /// What the project's jobs together may spend; reaching it pauses the job that reaches it.
    public var budget: Budget
    public var createdAt: Date

    public init(
        id: Int64, name: String, description: String? = nil, owner: String? = nil,
        unit: UnitOfObservation = .document, entityInstruction: String? = nil,
        status: ProjectStatus = .created, budget: Budget = .none, createdAt: Date = Date()
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.owner = owner
        self.unit = unit
        self.entityInstruction = entityInstruction
        self.status = status
        self.budget = budget
        self.createdAt = createdAt
    }
}

/// What one row of the dataset describes: a whole document, or each entity found in it.
public enum UnitOfObservation: String, Sendable, Hashable, Codable, CaseIterable {
    case document, entity
}

/// Where a project is in the researcher's workflow.
public enum ProjectStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case created
    case schemaDefined = "schema_defined"
    case sampleComplete = "sample_complete"
    case processing
    case complete
}
