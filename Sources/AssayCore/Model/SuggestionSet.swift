import Foundation

/// What a model suggested for a project's codebook, kept with the model and the prompt template
/// that made it: the co-pilot's variables and clearer instructions, or a refinement's proposals.
/// A person decides what to take; the set itself changes nothing.
public struct SuggestionSet: Sendable, Hashable {
    public var id: Int64
    public var projectID: Int64
    public var kind: SuggestionKind
    /// The variable a refinement was for; nil for the co-pilot.
    public var variable: String?
    /// The codebook version the model saw; nil when the project had none.
    public var codebookVersion: Int?
    public var model: String
    /// The prompt template's version, e.g. `assay-suggest-v1`.
    public var promptVersion: String
    /// The suggestions as read from the reply.
    public var reply: JSONValue
    public var createdAt: Date

    public init(
        id: Int64 = 0, projectID: Int64, kind: SuggestionKind, variable: String? = nil, codebookVersion: Int?,
        model: String, promptVersion: String, reply: JSONValue, createdAt: Date = Date()
    ) {
        self.id = id
        self.projectID = projectID
        self.kind = kind
        self.variable = variable
        self.codebookVersion = codebookVersion
        self.model = model
        self.promptVersion = promptVersion
        self.reply = reply
        self.createdAt = createdAt
    }
}

/// Which helper made a suggestion set.
public enum SuggestionKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// The co-pilot: new variables and clearer instructions (`SuggestionPrompt`).
    case codebook
    /// Improved instructions for one variable from its feedback (`RefinementPrompt`).
    case refinement
}
