import AssayCore
import Foundation

/// Projects shared with other accounts, and the documents given to coders. Part of
/// `ReviewStore`: only the multi-user service shares. Which account may do what is decided in
/// `Access` (AssayService), never here.
public protocol SharingStore: Sendable {
    /// Adds the account to the project with this role, or changes its role.
    func setMember(projectID: Int64, userID: String, role: ProjectRole) async throws
    /// Removes the account from the project, with its assignments there; false when it was no member.
    func removeMember(projectID: Int64, userID: String) async throws -> Bool
    /// The project's members (its creator is not one: it owns the project), oldest first.
    func members(projectID: Int64) async throws -> [ProjectMember]
    func memberRole(projectID: Int64, userID: String) async throws -> ProjectRole?
    /// The projects shared with the account, oldest first.
    func sharedProjects(userID: String) async throws -> [SharedProject]

    /// Gives the coder these documents of the project; a document already assigned to the coder
    /// keeps its assignment. Returns how many were new.
    func assign(documentIDs: [Int64], projectID: Int64, userID: String, blind: Bool) async throws -> Int
    /// The project's assignments (only the coder's when `userID` is given), by coder then document.
    func assignments(projectID: Int64, userID: String?) async throws -> [Assignment]
}
