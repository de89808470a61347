import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// The store contract, continued: a project's members and the documents given to coders.
extension StoreConformanceTests {
    // MARK: Sharing

    @Test(arguments: StoreKind.allCases)
    func membersAreAddedChangedListedAndRemoved(kind: StoreKind) async throws {
        let store = try await kind.make()
        let ada = try await store.createProject(name: "grants", description: nil, owner: "1")
        let other = try await store.createProject(name: "speeches", description: nil, owner: "1")

        try await store.setMember(projectID: ada.id, userID: "2", role: .coder)
        try await store.setMember(projectID: ada.id, userID: "3", role: .viewer)
        try await store.setMember(projectID: other.id, userID: "2", role: .viewer)
        #expect(try await store.members(projectID: ada.id).map(\.userID) == ["2", "3"])
        #expect(try await store.members(projectID: ada.id).map(\.role) == [.coder, .viewer])
        #expect(try await store.memberRole(projectID: ada.id, userID: "2") == .coder)
        #expect(try await store.memberRole(projectID: ada.id, userID: "1") == nil)  // the creator is no member: it owns the project
        #expect(try await store.memberRole(projectID: ada.id, userID: "9") == nil)

        // A new role replaces the old; the account is listed once.
        try await store.setMember(projectID: ada.id, userID: "2", role: .owner)
        #expect(try await store.memberRole(projectID: ada.id, userID: "2") == .owner)
        #expect(try await store.members(projectID: ada.id).count == 2)

        let shared = try await store.sharedProjects(userID: "2")
        #expect(shared.map(\.project.name) == ["grants", "speeches"])
        #expect(shared.map(\.role) == [.owner, .viewer])
        #expect(shared.first?.project == ada)
        #expect(try await store.sharedProjects(userID: "1").isEmpty)

        #expect(try await store.removeMember(projectID: ada.id, userID: "2"))
        #expect(try await store.removeMember(projectID: ada.id, userID: "2") == false)
        #expect(try await store.members(projectID: ada.id).map(\.userID) == ["3"])
        await #expect(throws: StoreError.self) { try await store.setMember(projectID: 9_999, userID: "2", role: .coder) }

        // Deleting the project removes its members.
        try await store.deleteProject(id: ada.id)
        #expect(try await store.sharedProjects(userID: "3").isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func assignmentsGiveAProjectsDocumentsOnce(kind: StoreKind) async throws {
        let store = try await kind.make()
        let (project, docs) = try await Fixtures.project(in: store)
        let otherProject = try await store.createProject(name: "other", description: nil)
        let (stranger, _) = try await store.upsertDocument(
            Fixtures.input("x.txt", text: "Another project's letter."), projectID: otherProject.id)

        #expect(try await store.assign(documentIDs: [docs[0].id, docs[1].id], projectID: project.id, userID: "2", blind: true) == 2)
        // Already given: kept as it was; another project's document or a missing one: left out.
        #expect(
            try await store.assign(documentIDs: [docs[1].id, stranger.id, 9_999], projectID: project.id, userID: "2", blind: false) == 0)
        #expect(try await store.assign(documentIDs: [docs[0].id], projectID: project.id, userID: "3", blind: false) == 1)

        let all = try await store.assignments(projectID: project.id, userID: nil)
        #expect(all.map(\.userID) == ["2", "2", "3"])
        #expect(all.map(\.documentID) == [docs[0].id, docs[1].id, docs[0].id])
        #expect(all.map(\.blind) == [true, true, false])
        #expect(all.allSatisfy { $0.projectID == project.id })
        #expect(try await store.assignments(projectID: project.id, userID: "3").map(\.documentID) == [docs[0].id])
        #expect(try await store.assignments(projectID: otherProject.id, userID: nil).isEmpty)

        // A blind assignment hides that document's values from the coder in value lists.
        let job = try await Fixtures.job(in: store, project: project)
        try await store.record(Fixtures.result(job: job, document: docs[0], outcome: .succeeded))
        try await store.record(Fixtures.result(job: job, document: docs[2], outcome: .succeeded))
        let everything = try await store.extractions(projectID: project.id, filter: ExtractionFilter(), limit: 50, offset: 0)
        var blind = ExtractionFilter()
        blind.blindFor = "2"
        let forCoder = try await store.extractions(projectID: project.id, filter: blind, limit: 50, offset: 0)
        #expect(everything.total == 4)
        #expect(forCoder.total == 2)
        #expect(forCoder.items.allSatisfy { $0.documentID == docs[2].id })
        blind.blindFor = "3"  // not blind: sees all
        #expect(try await store.extractions(projectID: project.id, filter: blind, limit: 50, offset: 0).total == 4)

        // Removing a member removes their assignments; deleting a document removes its assignments.
        #expect(try await store.removeMember(projectID: project.id, userID: "2") == false)  // never a member, yet
        try await store.setMember(projectID: project.id, userID: "2", role: .coder)
        #expect(try await store.removeMember(projectID: project.id, userID: "2"))
        #expect(try await store.assignments(projectID: project.id, userID: "2").isEmpty)
        try await store.deleteDocument(id: docs[0].id)
        #expect(try await store.assignments(projectID: project.id, userID: nil).isEmpty)
    }
}
