import AssayCore
import AssayStore
import Foundation

/// Blind coding: an owner gives a coder documents (chosen, or drawn at random) to code without
/// seeing the model's values; the coder codes each in the codebook's variables. Their codes are
/// human codes (`HumanCode`, the coder named by their email), so the agreement among people and
/// with the model (`Coders.agreement`) counts them.
package struct Assignments: Sendable {
    let store: any Store & ReviewStore & AccountStore
    let access: Access

    /// The most documents one request assigns.
    package static let maxDocuments = 1_000
    /// The longest value a coder may type.
    package static let maxValueCharacters = 10_000

    package init(store: any Store & ReviewStore & AccountStore) {
        self.store = store
        self.access = Access(store: store)
    }

    /// Which documents to give.
    package enum Choice: Sendable, Hashable {
        /// These documents of the project.
        case documents([Int64])
        /// This many of the project's ready documents not yet given to the coder, drawn at random
        /// (reproducibly with a seed).
        case random(Int, seed: UInt64?)
    }

    /// A coder's documents and how far they got.
    package struct Work: Sendable, Hashable {
        package var userID: String
        package var email: String?
        package var items: [Item]
        package var assigned: Int { items.count }
        package var coded: Int { items.count(where: \.coded) }

        package init(userID: String, email: String?, items: [Item]) {
            (self.userID, self.email, self.items) = (userID, email, items)
        }
    }

    package struct Item: Sendable, Hashable {
        package var documentID: Int64
        package var externalID: String
        package var blind: Bool
        /// The coder has saved codes for it.
        package var coded: Bool

        package init(documentID: Int64, externalID: String, blind: Bool, coded: Bool) {
            (self.documentID, self.externalID, self.blind, self.coded) = (documentID, externalID, blind, coded)
        }
    }

    /// Gives the coder documents to code; returns the coder's work in the project. The coder
    /// must be a member with the role coder.
    package func assign(
        _ choice: Choice, to email: String, blind: Bool = true, projectID: Int64, for requester: Requester
    ) async throws -> Work {
        let project = try await access.project(projectID, for: requester)
        let email = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard !email.isEmpty, email.count <= Sharing.maxEmailCharacters,
            let account = try await store.user(email: email),
            try await store.memberRole(projectID: project.id, userID: String(account.id)) == .coder
        else {
            throw ServiceError.invalid(field: "email", reason: "share the project with this account as a coder first")
        }
        let coder = String(account.id)
        let ready = try await store.documents(projectID: project.id, status: .ready)
        let ids: [Int64]
        switch choice {
        case .documents(let chosen):
            guard (1...Self.maxDocuments).contains(chosen.count) else {
                throw ServiceError.invalid(field: "document_ids", reason: "must list between 1 and \(Self.maxDocuments) documents")
            }
            let readyIDs = Set(ready.map(\.id))
            if let stranger = chosen.first(where: { !readyIDs.contains($0) }) {
                throw ServiceError.invalid(field: "document_ids", reason: "document \(stranger) is not a ready document of this project")
            }
            ids = chosen
        case .random(let count, let seed):
            guard (1...Self.maxDocuments).contains(count) else {
                throw ServiceError.invalid(field: "count", reason: "must be between 1 and \(Self.maxDocuments)")
            }
            let given = Set(try await store.assignments(projectID: project.id, userID: coder).map(\.documentID))
            var open = ready.map(\.id).filter { !given.contains($0) }
            guard !open.isEmpty else {
                throw ServiceError.invalid(field: "count", reason: "every ready document is already assigned to this coder")
            }
            var generator = SeededGenerator(seed: seed ?? UInt64.random(in: 0...UInt64.max))
            open.shuffle(using: &generator)
            ids = Array(open.prefix(count)).sorted()
        }
        _ = try await store.assign(documentIDs: ids, projectID: project.id, userID: coder, blind: blind)
        return try await work(in: project.id, coders: [coder]).first ?? Work(userID: coder, email: account.email, items: [])
    }

    /// Every coder's work for owners; the requester's own for anyone else.
    package func list(projectID: Int64, for requester: Requester) async throws -> [Work] {
        let grant = try await access.grant(projectID, for: requester, needs: .view)
        if grant.role == .owner { return try await work(in: projectID, coders: nil) }
        guard let me = requester.owner else { return [] }
        return try await work(in: projectID, coders: [me])
    }

    /// What the requester coded in this document assigned to them: value by variable.
    package func codes(documentID: Int64, projectID: Int64, for requester: Requester) async throws -> [String: String] {
        let (_, coder) = try await assigned(documentID, projectID: projectID, requester)
        var codes: [String: String] = [:]
        for code in try await store.humanCodes(projectID: projectID) where code.documentID == documentID && code.coder == coder {
            codes[code.variable] = code.value
        }
        return codes
    }

    /// Saves the requester's codes for a document assigned to them: a value per variable of the
    /// codebook in force, read in the variable's type as a corrected value is. An empty value or
    /// null leaves the variable uncoded. Returns the document's codes after saving.
    package func code(
        _ values: [String: JSONValue], documentID: Int64, projectID: Int64, for requester: Requester
    ) async throws -> [String: String] {
        let (project, coder) = try await assigned(documentID, projectID: projectID, requester)
        guard let codebook = try await store.latestCodebook(projectID: project.id)?.codebook else {
            throw ServiceError.notFound(.codebook(projectID: project.id, version: nil))
        }
        var codes: [HumanCode] = []
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            guard let variable = codebook.variable(named: name) else {
                throw ServiceError.invalid(field: "values.\(name)", reason: "is not a variable of the codebook")
            }
            guard let text = try Self.code(value, for: variable) else { continue }
            codes.append(HumanCode(documentID: documentID, variable: name, coder: coder, value: text))
        }
        try await store.saveHumanCodes(codes)
        return try await self.codes(documentID: documentID, projectID: projectID, for: requester)
    }

    /// A typed value as the text a human code keeps (the form `Codes` compares): categories and
    /// text as typed, numbers and booleans in one spelling, several values joined with `|`.
    static func code(_ value: JSONValue, for variable: Variable) throws -> String? {
        if let text = value.stringValue {
            guard text.count <= maxValueCharacters else {
                throw ServiceError.invalid(field: "values.\(variable.name)", reason: "must be at most \(maxValueCharacters) characters")
            }
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return nil }
        }
        guard !value.isNull else { return nil }
        let typed: JSONValue
        do {
            if variable.ifMultipleValues == .all {
                let items = value.arrayValue ?? (value.stringValue?.split(separator: ";").map { JSONValue.string(String($0)) } ?? [value])
                typed = .array(try items.map { try Coercion.coerce($0, to: variable) }.filter { !$0.isNull })
            } else {
                typed = try Coercion.coerce(value, to: variable)
            }
        } catch let failure as Coercion.Failure {
            throw ServiceError.invalid(field: "values.\(variable.name)", reason: failure.description)
        }
        // Text keeps its case and spacing here; `Codes` compares it loosely when agreement is computed.
        return Codes.code(typed, type: variable.type == .text ? .category : variable.type)
    }

    /// The project and the coder's name, when the document is assigned to the requester.
    private func assigned(_ documentID: Int64, projectID: Int64, _ requester: Requester) async throws -> (Project, String) {
        let project = try await access.project(projectID, for: requester, needs: .code)
        guard let me = requester.owner, let email = requester.email,
            try await store.assignments(projectID: project.id, userID: me).contains(where: { $0.documentID == documentID })
        else { throw ServiceError.notFound(.document(documentID)) }
        return (project, email)
    }

    private func work(in projectID: Int64, coders: Set<String>?) async throws -> [Work] {
        let assignments = try await store.assignments(projectID: projectID, userID: coders?.count == 1 ? coders?.first : nil)
            .filter { coders?.contains($0.userID) ?? true }
        guard !assignments.isEmpty else { return [] }
        let names = Dictionary(try await store.documents(projectID: projectID, status: nil).map { ($0.id, $0.externalID) }) { a, _ in a }
        let codes = try await store.humanCodes(projectID: projectID)
        var work: [Work] = []
        for (userID, items) in Dictionary(grouping: assignments, by: \.userID).sorted(by: { $0.key < $1.key }) {
            var email: String?
            if let id = Int64(userID) { email = try await store.user(id: id)?.email }
            let coded = Set(codes.filter { $0.coder == email }.map(\.documentID))
            work.append(
                Work(
                    userID: userID, email: email,
                    items: items.map {
                        Item(
                            documentID: $0.documentID, externalID: names[$0.documentID] ?? "", blind: $0.blind,
                            coded: coded.contains($0.documentID))
                    }))
        }
        return work
    }
}
