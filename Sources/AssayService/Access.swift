import AssayCore
import AssayStore
import AssayTraces

/// Loads what a requester names, but only when they may use it for what they need: a project is
/// theirs (they created it) or shared with them with a role (`ProjectRole`) that allows the need.
/// A requester who is no member — another account's project, or one that does not exist — gets
/// the same `notFound`, so nothing about it leaks; a member whose role does not allow the need
/// gets `notAllowed` (they know the project exists). The jobs of the failure-patterns project
/// (which has no owner) are visible to whoever sees patterns.
///
/// Secure by default: without `needs:` every lookup asks for `.change` (owners only). A
/// read-only use case opts in to less, deliberately.
package struct Access: Sendable {
    let store: any Store & ReviewStore

    package init(store: any Store & ReviewStore) {
        self.store = store
    }

    /// What a use case needs to do with a project, from least to most.
    package enum Need: String, Sendable, Hashable, CaseIterable {
        /// The project, its documents and codebook: every member.
        case view
        /// The model's values one by one (lists, by id, evidence): every member, but a coder
        /// never sees those of a document assigned to them blind (`blindFor`).
        case values
        /// What mixes every document's values: exports, agreement, feedback, jobs, scores. Owners
        /// and viewers; not coders, who could read a blind document's values in them.
        case results
        /// Coding the documents assigned to one: coders (and owners).
        case code
        /// Everything that changes the project: runs, uploads, codebook, feedback, sharing,
        /// assignments, deletion. Owners only.
        case change

        package func allows(_ role: ProjectRole) -> Bool {
            switch (self, role) {
            case (_, .owner): true
            case (.view, _), (.values, _): true
            case (.results, .viewer): true
            case (.code, .coder): true
            default: false
            }
        }
    }

    package func project(_ id: Int64, for requester: Requester, needs need: Need = .change) async throws -> Project {
        try await grant(id, for: requester, needs: need).project
    }

    /// A project with the requester's role in it.
    package struct Grant: Sendable {
        package var project: Project
        package var role: ProjectRole
        /// Whose blind assignments hide values: the requester's user id unless they own the project.
        package var blindFor: String?
    }

    package func grant(_ id: Int64, for requester: Requester, needs need: Need) async throws -> Grant {
        guard let project = try await store.project(id: id), let role = try await role(in: project, of: requester) else {
            throw ServiceError.notFound(.project(id))
        }
        guard need.allows(role) else { throw ServiceError.notAllowed(role: role, projectID: id) }
        let blindFor = role == .owner ? nil : requester.owner
        // A coder made a viewer keeps their blind documents blind: what mixes every document's
        // values stays closed to them while any blind assignment stands.
        if need == .results, let coder = blindFor, try await !blindDocuments(projectID: id, coder: coder).isEmpty {
            throw ServiceError.notAllowed(role: role, projectID: id)
        }
        return Grant(project: project, role: role, blindFor: blindFor)
    }

    /// The requester's role in the project, nil when they are no member.
    package func role(in project: Project, of requester: Requester) async throws -> ProjectRole? {
        if project.owner == requester.owner { return .owner }
        guard let user = requester.owner, project.owner != nil else { return nil }
        return try await store.memberRole(projectID: project.id, userID: user)
    }

    package func document(_ id: Int64, for requester: Requester, needs need: Need = .change) async throws -> Document {
        guard let document = try await store.document(id: id), try await isMember(document.projectID, requester) else {
            throw ServiceError.notFound(.document(id))
        }
        _ = try await grant(document.projectID, for: requester, needs: need)
        return document
    }

    package func job(_ id: Int64, for requester: Requester, needs need: Need = .change) async throws -> Job {
        guard let job = try await store.job(id: id) else { throw ServiceError.notFound(.job(id)) }
        if try await isMember(job.projectID, requester) {
            _ = try await grant(job.projectID, for: requester, needs: need)
            return job
        }
        guard requester.seesPatterns, let project = try await store.project(id: job.projectID),
            Self.isTracesProject(project)
        else { throw ServiceError.notFound(.job(id)) }
        return job
    }

    /// A value. A value of a document assigned blind to the requester is not found, as if it
    /// did not exist, whatever the need.
    package func extraction(_ id: Int64, for requester: Requester, needs need: Need = .change) async throws -> Extraction {
        guard let extraction = try await store.extraction(id: id),
            let document = try await store.document(id: extraction.documentID),
            try await isMember(document.projectID, requester)
        else {
            throw ServiceError.notFound(.extraction(id))
        }
        let grant = try await grant(document.projectID, for: requester, needs: need)
        if let coder = grant.blindFor, try await blindDocuments(projectID: document.projectID, coder: coder).contains(document.id) {
            throw ServiceError.notFound(.extraction(id))
        }
        return extraction
    }

    /// The documents of the project assigned blind to this account.
    package func blindDocuments(projectID: Int64, coder: String) async throws -> Set<Int64> {
        Set(try await store.assignments(projectID: projectID, userID: coder).filter(\.blind).map(\.documentID))
    }

    /// The built-in project trace runs work in: no owner, the traces module's name.
    static func isTracesProject(_ project: Project) -> Bool {
        project.owner == nil && project.name == TraceRunner.projectName
    }

    private func isMember(_ projectID: Int64, _ requester: Requester) async throws -> Bool {
        guard let project = try await store.project(id: projectID) else { return false }
        return try await role(in: project, of: requester) != nil
    }
}
