import AssayCore
import Foundation

/// What the multi-user service needs beyond `Store`: projects with an owner, deletes, values by
/// id, paged and filtered value lists, and reviewers' feedback.
public protocol ReviewStore: SharingStore {
    /// Creates a project owned by `owner`; names are unique per owner.
    func createProject(name: String, description: String?, owner: String) async throws -> Project
    /// The owner's projects, oldest first.
    func projects(owner: String) async throws -> [Project]
    /// Changes name and/or description; throws `StoreError.duplicateProject` when the owner has the name already.
    func updateProject(id: Int64, name: String?, description: String?) async throws -> Project
    /// Deletes the project with its documents, codebooks, jobs and values.
    func deleteProject(id: Int64) async throws
    /// Deletes the document with its values and outcome; job events keep their audit trail.
    func deleteDocument(id: Int64) async throws

    func extraction(id: Int64) async throws -> Extraction?
    /// One page of the project's values matching the filter, in the filter's order, and how many match in all.
    func extractions(projectID: Int64, filter: ExtractionFilter, limit: Int, offset: Int) async throws -> (items: [Extraction], total: Int)

    func addFeedback(_ feedback: Feedback) async throws -> Feedback
    /// The project's feedback, oldest first; only that of one variable when given.
    func feedback(projectID: Int64, variable: String?) async throws -> [Feedback]

    /// Keeps what a model suggested (the co-pilot's or a refinement's), with the model and prompt version.
    func addSuggestionSet(_ set: SuggestionSet) async throws -> SuggestionSet
    /// The project's suggestion sets of this kind, newest first; only those for one variable when given.
    func suggestionSets(projectID: Int64, kind: SuggestionKind, variable: String?) async throws -> [SuggestionSet]
}

/// The order of a value list.
public enum ExtractionOrder: String, Sendable, Hashable, CaseIterable {
    /// As stored.
    case id
    /// The review queue: what most needs a person first. Failed values, then flagged ones, then
    /// the rest; within each, the values whose runs agreed least, then the least confident
    /// (values without a confidence before those with one), then as stored.
    case review
}

/// Which values a list shows.
public struct ExtractionFilter: Sendable, Hashable {
    public var variable: String?
    public var status: ExtractionStatus?
    public var documentID: Int64?
    public var jobID: Int64?
    /// Values with a confidence below this (values without one are left out).
    public var confidenceBelow: Double?
    /// Only values whose runs did not all agree (`assay run --runs N`).
    public var runsDisagree = false
    public var order = ExtractionOrder.id
    /// Leaves out the values of documents assigned blind to this account (a user id): what a
    /// coder must not see while coding them.
    public var blindFor: String?

    public init(
        variable: String? = nil, status: ExtractionStatus? = nil, documentID: Int64? = nil, jobID: Int64? = nil,
        confidenceBelow: Double? = nil, runsDisagree: Bool = false, order: ExtractionOrder = .id
    ) {
        self.runsDisagree = runsDisagree
        self.order = order
        self.variable = variable
        self.status = status
        self.documentID = documentID
        self.jobID = jobID
        self.confidenceBelow = confidenceBelow
    }
}
