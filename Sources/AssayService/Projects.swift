import AssayCore
import AssayEngine
import AssayStore
import AssayTraces

/// Projects: create, list, find, rename, delete — each requester only their own.
package struct Projects: Sendable {
    let store: any Store & ReviewStore
    let access: Access
    /// Projects kept for a feature of their own (failure patterns): never chosen as "the only
    /// project", only by name.
    let hidden: Set<String> = [TraceRunner.projectName]

    package init(store: any Store & ReviewStore) {
        self.store = store
        self.access = Access(store: store)
    }

    /// A new project; its name follows `ProjectName`'s rule and is unique per owner.
    /// A new project. With `unit: .entity` it codes each entity `entityInstruction` finds (the
    /// codebook imported next takes the unit unless it names its own).
    package func create(
        name: String, description: String? = nil, unit: UnitOfObservation = .document, entityInstruction: String? = nil,
        for requester: Requester
    ) async throws -> Project {
        let name = try Self.checkedName(name)
        let unitProblems = Codebook(variables: [], unit: unit, entityInstruction: entityInstruction).unitProblems()
        if let problem = unitProblems.first { throw ServiceError.invalid(field: problem.field, reason: problem.reason) }
        let project =
            if let owner = requester.owner {
                try await store.createProject(name: name, description: description, owner: owner)
            } else {
                try await store.createProject(name: name, description: description)
            }
        guard unit == .entity else { return project }
        try await store.setProjectUnit(unit, entityInstruction: entityInstruction, projectID: project.id)
        return try await access.project(project.id, for: requester)
    }

    /// The requester's projects: their own, then those shared with them.
    package func list(for requester: Requester) async throws -> [Project] {
        try await listWithRoles(for: requester).map(\.project)
    }

    /// The requester's projects with their role in each: their own (owner), then those shared
    /// with them, oldest first.
    package func listWithRoles(for requester: Requester) async throws -> [SharedProject] {
        guard let owner = requester.owner else {
            return try await store.projects().filter { $0.owner == nil }.map { SharedProject(project: $0, role: .owner) }
        }
        return try await store.projects(owner: owner).map { SharedProject(project: $0, role: .owner) }
            + store.sharedProjects(userID: owner)
    }

    package func get(_ id: Int64, for requester: Requester) async throws -> Project {
        try await access.project(id, for: requester, needs: .view)
    }

    /// Throws unless the requester may use the project for this need: what a route checks before
    /// it reads a body, so another's project (or a role that does not allow it) costs no upload.
    package func check(_ id: Int64, needs need: Access.Need = .change, for requester: Requester) async throws {
        _ = try await access.grant(id, for: requester, needs: need)
    }

    /// The project with the requester's role in it.
    package func getWithRole(_ id: Int64, for requester: Requester) async throws -> SharedProject {
        let grant = try await access.grant(id, for: requester, needs: .view)
        return SharedProject(project: grant.project, role: grant.role)
    }

    /// The named project, or the requester's only one when no name is given.
    package func named(_ name: String?, for requester: Requester) async throws -> Project {
        if let name {
            guard let project = try await list(for: requester).first(where: { $0.name == name }) else {
                throw EngineError.noProject(name)
            }
            return project
        }
        let all = try await list(for: requester).filter { !hidden.contains($0.name) }
        switch all.count {
        case 0: throw EngineError.noProject("")
        case 1: return all[0]
        default: throw EngineError.ambiguousProject(all.map(\.name))
        }
    }

    package func update(_ id: Int64, name: String?, description: String?, for requester: Requester) async throws -> Project {
        let project = try await access.project(id, for: requester)
        return try await store.updateProject(id: project.id, name: try name.map(Self.checkedName), description: description)
    }

    /// Sets what the project's jobs together may spend; `Budget.none` lifts it. A job paused
    /// at the old budget goes on when resumed or run again.
    package func setBudget(_ id: Int64, _ budget: Budget, for requester: Requester) async throws -> Project {
        let project = try await access.project(id, for: requester)
        try Jobs.Request.check(maxTokens: budget.maxTokens, maxCost: budget.maxCost)
        try await store.setProjectBudget(budget, projectID: project.id)
        return try await access.project(id, for: requester)
    }

    package func delete(_ id: Int64, for requester: Requester) async throws {
        try await store.deleteProject(id: try await access.project(id, for: requester).id)
    }

    /// A line per project for lists: its codebook version and how many documents it holds.
    package struct Overview: Sendable {
        package var project: Project
        package var codebookVersion: Int?
        package var documents: Int
    }

    package func overview(for requester: Requester) async throws -> [Overview] {
        var lines: [Overview] = []
        for project in try await list(for: requester) {
            lines.append(
                Overview(
                    project: project, codebookVersion: try await store.latestCodebook(projectID: project.id)?.version,
                    documents: try await store.documentCount(projectID: project.id, status: nil)))
        }
        return lines
    }

    /// `ProjectName`'s rule, its refusal as the layer's error about the field `name`.
    static func checkedName(_ name: String) throws -> String {
        do { return try ProjectName.checked(name) } catch { throw ServiceError.invalid(field: "name", reason: error.description) }
    }
}
