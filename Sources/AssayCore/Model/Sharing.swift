import Foundation

/// What an account may do with a project shared with it. The project's creator (its `owner`)
/// is always an owner; others are members with one of these roles.
public enum ProjectRole: String, Sendable, Hashable, Codable, CaseIterable {
    /// Everything: runs, codebook, feedback, sharing, deletion.
    case owner
    /// Reads the project, its documents and codebook, and codes the documents assigned to it.
    case coder
    /// Reads the project, its documents, values, exports and agreement; changes nothing.
    case viewer
}

/// An account a project is shared with, and its role there.
public struct ProjectMember: Sendable, Hashable {
    public var projectID: Int64
    /// The account's user id, as a project's `owner` stores it.
    public var userID: String
    public var role: ProjectRole
    public var addedAt: Date

    public init(projectID: Int64, userID: String, role: ProjectRole, addedAt: Date = Date()) {
        self.projectID = projectID
        self.userID = userID
        self.role = role
        self.addedAt = addedAt
    }
}

/// A project shared with an account, with the role it has there.
public struct SharedProject: Sendable, Hashable {
    public var project: Project
    public var role: ProjectRole

    public init(project: Project, role: ProjectRole) {
        self.project = project
        self.role = role
    }
}

/// A document given to a coder to code. A blind assignment hides the model's values of that
/// document from the coder for as long as it stands, so the coder's codes are their own.
public struct Assignment: Sendable, Hashable {
    public var projectID: Int64
    public var documentID: Int64
    /// The coder's user id.
    public var userID: String
    public var blind: Bool
    public var assignedAt: Date

    public init(projectID: Int64, documentID: Int64, userID: String, blind: Bool = true, assignedAt: Date = Date()) {
        self.projectID = projectID
        self.documentID = documentID
        self.userID = userID
        self.blind = blind
        self.assignedAt = assignedAt
    }
}
