import AssayCore
import AssayStore
import Foundation

/// Sharing a project with other accounts: its owners add an account by email as owner, coder or
/// viewer (`ProjectRole`), change its role, or remove it. The account that created the project is
/// always an owner and cannot be removed, so a project never loses its last owner.
package struct Sharing: Sendable {
    let store: any Store & ReviewStore & AccountStore
    let access: Access

    /// Longer than any address (RFC 5321 allows 254 characters).
    package static let maxEmailCharacters = 320

    package init(store: any Store & ReviewStore & AccountStore) {
        self.store = store
        self.access = Access(store: store)
    }

    /// An account with access to the project.
    package struct Member: Sendable, Hashable {
        package var userID: String
        /// Nil when the account no longer exists.
        package var email: String?
        package var role: ProjectRole
        /// The account that created the project: an owner for good.
        package var isCreator: Bool

        package init(userID: String, email: String?, role: ProjectRole, isCreator: Bool) {
            (self.userID, self.email, self.role, self.isCreator) = (userID, email, role, isCreator)
        }
    }

    /// Who has the project: its creator first, then the members as they were added. For owners:
    /// the list names other people's emails.
    package func members(projectID: Int64, for requester: Requester) async throws -> [Member] {
        let project = try await access.project(projectID, for: requester)
        var members: [Member] = []
        if let creator = project.owner {
            members.append(Member(userID: creator, email: try await email(of: creator), role: .owner, isCreator: true))
        }
        for member in try await store.members(projectID: project.id) {
            members.append(Member(userID: member.userID, email: try await email(of: member.userID), role: member.role, isCreator: false))
        }
        return members
    }

    /// Shares the project with the account that has this email, or changes its role. The account
    /// must exist: the owner is told so, and nothing more about it.
    package func share(projectID: Int64, email: String, role: ProjectRole, for requester: Requester) async throws -> Member {
        let project = try await access.project(projectID, for: requester)
        guard project.owner != nil else {
            // The command line's projects belong to whoever opens the database: no account to share from.
            throw ServiceError.invalid(field: "email", reason: "a project of the command line (assay ui) is not shared with accounts")
        }
        let email = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard !email.isEmpty, email.count <= Self.maxEmailCharacters, email.contains("@"), !email.contains("\u{0}") else {
            throw ServiceError.invalid(field: "email", reason: "must be an email address")
        }
        guard let account = try await store.user(email: email) else { throw ServiceError.notFound(.account(email: email)) }
        let userID = String(account.id)
        guard userID != project.owner else {
            throw ServiceError.invalid(field: "email", reason: "this account created the project and stays its owner")
        }
        try await store.setMember(projectID: project.id, userID: userID, role: role)
        return Member(userID: userID, email: account.email, role: role, isCreator: false)
    }

    /// Removes the account from the project with its assignments (its codes stay: they are the
    /// project's data). An owner removes anyone but the creator; any member may leave.
    package func remove(projectID: Int64, userID: String, for requester: Requester) async throws {
        let leaving = userID == requester.owner
        let project = try await access.project(projectID, for: requester, needs: leaving ? .view : .change)
        guard userID != project.owner else { throw ServiceError.lastOwner(projectID: project.id) }
        guard try await store.removeMember(projectID: project.id, userID: userID) else {
            throw ServiceError.notFound(.member(userID))
        }
    }

    private func email(of userID: String) async throws -> String? {
        guard let id = Int64(userID) else { return nil }
        return try await store.user(id: id)?.email
    }
}
