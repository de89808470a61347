import AssayCore
import AssayExport
import AssayService
import AssayStore
import Foundation
import Testing

/// A shared project: each role gets what its work needs and nothing more (`Access.Need`), a
/// member whose role does not allow a use case is told so (`notAllowed`), anyone else gets the
/// same "not found" as for a missing project, and a coder never sees the model's values of a
/// document assigned to them blind.
@Suite struct SharingTests {
    /// Ada owns the project (one document with a value); Bob views it, Carol codes it, Dan is no member.
    struct Shared {
        let f: ServiceFixture
        let project: Project
        let document: Document
        let value: Extraction
        let job: Job
        let carol = Requester.account(userID: 3, email: "carol@example.org", seesPatterns: false)
        let dan = Requester.account(userID: 4, email: "dan@example.org", seesPatterns: false)

        init() async throws {
            f = try ServiceFixture()
            for email in ["ada@example.org", "bob@example.org", "carol@example.org", "dan@example.org"] {
                _ = try await f.store.createUser(email: email, passwordHash: "x", role: "user")
            }
            (project, document) = try await f.project(of: f.ada)
            value = try await f.value(for: document, in: project)
            job = try await f.job(of: project)
            let sharing = Sharing(store: f.store)
            _ = try await sharing.share(projectID: project.id, email: "bob@example.org", role: .viewer, for: f.ada)
            _ = try await sharing.share(projectID: project.id, email: " Carol@Example.org ", role: .coder, for: f.ada)
        }

        var store: SQLiteStore { f.store }
    }

    @Test func viewersReadEverythingAndChangeNothing() async throws {
        let s = try await Shared()
        let (store, bob, id) = (s.store, s.f.bob, s.project.id)
        // view, values, results
        #expect(try await Projects(store: store).get(id, for: bob).id == id)
        #expect(try await Documents(store: store).list(projectID: id, for: bob).count == 1)
        #expect(try await Documents(store: store).get(s.document.id, for: bob).document.id == s.document.id)
        #expect(try await Codebooks(store: store).variables(projectID: id, for: bob).map(\.name) == ["city"])
        #expect(try await Values(store: store).get(s.value.id, for: bob).value == "Lisbon")
        #expect(try await Values(store: store).list(projectID: id, for: bob).total == 1)
        #expect(try await Values(store: store).dataset(projectID: id, for: bob).extractions.count == 1)
        #expect(try await Coders(store: store).agreement(projectID: id, resamples: 100, for: bob).allSatisfy { $0.people.isEmpty })
        #expect(try await Reviews(store: store).list(projectID: id, for: bob).isEmpty)
        #expect(try await Access(store: store).job(s.job.id, for: bob, needs: .results).id == s.job.id)
        // change, code: refused, saying why
        let refused = ServiceError.notAllowed(role: .viewer, projectID: id)
        await #expect(throws: refused) { try await Projects(store: store).update(id, name: "Mine", description: nil, for: bob) }
        await #expect(throws: refused) { try await Projects(store: store).delete(id, for: bob) }
        await #expect(throws: refused) {
            try await Codebooks(store: store).addVariable(Variable(name: "x", type: .text), projectID: id, for: bob)
        }
        await #expect(throws: refused) { try await Reviews(store: store).give(.correct, extractionID: s.value.id, for: bob) }
        await #expect(throws: refused) { try await Documents(store: store).delete(s.document.id, for: bob) }
        await #expect(throws: refused) { try await Access(store: store).job(s.job.id, for: bob) }  // pause, resume, cancel
        await #expect(throws: refused) {
            try await Sharing(store: store).share(projectID: id, email: "dan@example.org", role: .owner, for: bob)
        }
        await #expect(throws: refused) { try await Sharing(store: store).members(projectID: id, for: bob) }
        await #expect(throws: refused) {
            try await Assignments(store: store).assign(.documents([s.document.id]), to: "carol@example.org", projectID: id, for: bob)
        }
        await #expect(throws: refused) {
            try await Assignments(store: store).code(["city": "Porto"], documentID: s.document.id, projectID: id, for: bob)
        }
        #expect(try await Projects(store: store).get(id, for: s.f.ada).name == "Protests")
    }

    @Test func codersReadTheProjectAndCodeOnlyTheirDocuments() async throws {
        let s = try await Shared()
        let (store, carol, id) = (s.store, s.carol, s.project.id)
        #expect(try await Projects(store: store).get(id, for: carol).id == id)
        #expect(try await Documents(store: store).get(s.document.id, for: carol).document.text == s.document.text)
        #expect(try await Codebooks(store: store).version(projectID: id, for: carol).version == 1)
        // Not assigned: no codes; the same "not found" as a document that does not exist.
        await #expect(throws: ServiceError.notFound(.document(s.document.id))) {
            try await Assignments(store: store).code(["city": "Porto"], documentID: s.document.id, projectID: id, for: carol)
        }
        // What mixes every document's values, and every change: refused.
        let refused = ServiceError.notAllowed(role: .coder, projectID: id)
        await #expect(throws: refused) { try await Values(store: store).dataset(projectID: id, for: carol) }
        await #expect(throws: refused) { try await Coders(store: store).agreement(projectID: id, resamples: 100, for: carol) }
        await #expect(throws: refused) { try await Reviews(store: store).list(projectID: id, for: carol) }
        await #expect(throws: refused) { try await Access(store: store).job(s.job.id, for: carol, needs: .results) }
        await #expect(throws: refused) { try await Projects(store: store).status(projectID: id, for: carol) }
        await #expect(throws: refused) { try await Reviews(store: store).give(.correct, extractionID: s.value.id, for: carol) }
        await #expect(throws: refused) { try await Codebooks(store: store).removeVariable(named: "city", projectID: id, for: carol) }

        _ = try await Assignments(store: store).assign(.documents([s.document.id]), to: "carol@example.org", projectID: id, for: s.f.ada)
        let saved = try await Assignments(store: store).code(["city": " Porto "], documentID: s.document.id, projectID: id, for: carol)
        #expect(saved == ["city": "Porto"])
        #expect(try await store.humanCodes(projectID: id).map(\.coder) == ["carol@example.org"])
        let mine = try await Assignments(store: store).list(projectID: id, for: carol)
        #expect(mine.map(\.coded) == [1])
        #expect(mine.map(\.assigned) == [1])
    }

    @Test func aNonMemberGetsTheSameNotFoundAsForAMissingProject() async throws {
        let s = try await Shared()
        let (store, dan, id) = (s.store, s.dan, s.project.id)
        await #expect(throws: ServiceError.notFound(.project(id))) { try await Projects(store: store).get(id, for: dan) }
        await #expect(throws: ServiceError.notFound(.project(id))) { try await Sharing(store: store).members(projectID: id, for: dan) }
        await #expect(throws: ServiceError.notFound(.project(id))) { try await Assignments(store: store).list(projectID: id, for: dan) }
        await #expect(throws: ServiceError.notFound(.project(id))) {
            try await Assignments(store: store).code(["city": "x"], documentID: s.document.id, projectID: id, for: dan)
        }
        await #expect(throws: ServiceError.notFound(.extraction(s.value.id))) { try await Values(store: store).get(s.value.id, for: dan) }
        await #expect(throws: ServiceError.notFound(.document(s.document.id))) {
            try await Documents(store: store).get(s.document.id, for: dan)
        }
        await #expect(throws: ServiceError.notFound(.job(s.job.id))) {
            try await Access(store: store).job(s.job.id, for: dan, needs: .view)
        }
        await #expect(throws: ServiceError.notFound(.project(99))) { try await Projects(store: store).get(99, for: s.carol) }
    }

    @Test func aBlindCoderNeverSeesTheModelsValuesOfTheirDocuments() async throws {
        let s = try await Shared()
        let (store, carol, id) = (s.store, s.carol, s.project.id)
        // A second document, not assigned: its value stays visible to the coder.
        let (other, _) = try await store.upsertDocument(
            DocumentInput(externalID: "notes/b.txt", mediaType: "text/plain", text: "Nurses marched in Porto."), projectID: id)
        let otherValue = try await s.f.value(for: other, in: s.project)
        #expect(try await Values(store: store).get(s.value.id, for: carol).id == s.value.id)  // before: not blind

        _ = try await Assignments(store: store).assign(.documents([s.document.id]), to: "carol@example.org", projectID: id, for: s.f.ada)
        await #expect(throws: ServiceError.notFound(.extraction(s.value.id))) { try await Values(store: store).get(s.value.id, for: carol) }
        let listed = try await Values(store: store).list(projectID: id, for: carol)
        #expect(listed.items.map(\.id) == [otherValue.id])
        #expect(listed.total == 1)
        var queue = ExtractionFilter(order: .review)
        queue.documentID = s.document.id
        #expect(try await Values(store: store).list(projectID: id, filter: queue, for: carol).total == 0)
        #expect(try await Documents(store: store).detail(of: "notes/a.txt", projectID: id, for: carol).extractions.isEmpty)
        #expect(try await Documents(store: store).detail(of: "notes/b.txt", projectID: id, for: carol).extractions.count == 1)
        // Made a viewer, the coder's documents stay blind: no export, agreement or feedback list.
        _ = try await Sharing(store: store).share(projectID: id, email: "carol@example.org", role: .viewer, for: s.f.ada)
        await #expect(throws: ServiceError.notAllowed(role: .viewer, projectID: id)) {
            try await Values(store: store).dataset(projectID: id, for: carol)
        }
        await #expect(throws: ServiceError.notFound(.extraction(s.value.id))) { try await Values(store: store).get(s.value.id, for: carol) }
        // The owner and a viewer still see it.
        #expect(try await Values(store: store).get(s.value.id, for: s.f.ada).id == s.value.id)
        #expect(try await Values(store: store).get(s.value.id, for: s.f.bob).id == s.value.id)
        #expect(try await Values(store: store).list(projectID: id, for: s.f.bob).total == 2)
    }

    @Test func sharingKeepsTheCreatorAsOwnerAndNeedsAnAccount() async throws {
        let s = try await Shared()
        let (store, ada, id) = (s.store, s.f.ada, s.project.id)
        let sharing = Sharing(store: store)
        let members = try await sharing.members(projectID: id, for: ada)
        #expect(members.map(\.email) == ["ada@example.org", "bob@example.org", "carol@example.org"])
        #expect(members.map(\.role) == [.owner, .viewer, .coder])
        #expect(members.map(\.isCreator) == [true, false, false])

        await #expect(throws: ServiceError.notFound(.account(email: "nobody@example.org"))) {
            try await sharing.share(projectID: id, email: "nobody@example.org", role: .coder, for: ada)
        }
        await #expect(throws: ServiceError.self) {
            try await sharing.share(projectID: id, email: "ada@example.org", role: .viewer, for: ada)
        }
        await #expect(throws: ServiceError.self) { try await sharing.share(projectID: id, email: "", role: .viewer, for: ada) }
        await #expect(throws: ServiceError.lastOwner(projectID: id)) { try await sharing.remove(projectID: id, userID: "1", for: ada) }
        await #expect(throws: ServiceError.notFound(.member("4"))) { try await sharing.remove(projectID: id, userID: "4", for: ada) }

        // The command line's projects have no account to share from.
        let local = try await Projects(store: store).create(name: "Local", for: .local)
        await #expect(throws: ServiceError.self) {
            try await sharing.share(projectID: local.id, email: "bob@example.org", role: .viewer, for: .local)
        }
        #expect(try await store.members(projectID: local.id).isEmpty)

        // An owner-level member may change the project and share it, but not remove its creator.
        _ = try await sharing.share(projectID: id, email: "dan@example.org", role: .owner, for: ada)
        #expect(try await Projects(store: store).update(id, name: nil, description: "shared", for: s.dan).description == "shared")
        await #expect(throws: ServiceError.lastOwner(projectID: id)) { try await sharing.remove(projectID: id, userID: "1", for: s.dan) }

        // Lists show shared projects with the role; a member may leave.
        let listed = try await Projects(store: store).listWithRoles(for: s.carol)
        #expect(listed.map(\.project.id) == [id])
        #expect(listed.map(\.role) == [.coder])
        try await sharing.remove(projectID: id, userID: "3", for: s.carol)
        #expect(try await Projects(store: store).list(for: s.carol).isEmpty)
        await #expect(throws: ServiceError.notFound(.project(id))) { try await Projects(store: store).get(id, for: s.carol) }
        // A viewer cannot remove someone else.
        await #expect(throws: ServiceError.notAllowed(role: .viewer, projectID: id)) {
            try await sharing.remove(projectID: id, userID: "4", for: s.f.bob)
        }
    }

    @Test func assignmentsDrawAtRandomAndCodesAreTypedAndCounted() async throws {
        let s = try await Shared()
        let (store, ada, carol, id) = (s.store, s.f.ada, s.carol, s.project.id)
        let codebook = Codebook(variables: [
            Variable(name: "city", type: .text),
            Variable(name: "size", type: .number),
            Variable(name: "violent", type: .boolean),
            Variable(name: "sector", type: .category, categories: [Category(code: "education"), Category(code: "health")]),
        ])
        _ = try await Codebooks(store: store).importCodebook(codebook, projectID: id, for: ada)
        for name in ["b", "c", "d"] {
            _ = try await store.upsertDocument(
                DocumentInput(externalID: "notes/\(name).txt", mediaType: "text/plain", text: "Text \(name)."), projectID: id)
        }
        let assignments = Assignments(store: store)
        // Only a coder can be given documents; counts and ids are checked.
        await #expect(throws: ServiceError.self) {
            try await assignments.assign(.random(2, seed: 1), to: "bob@example.org", projectID: id, for: ada)
        }
        await #expect(throws: ServiceError.self) {
            try await assignments.assign(.random(0, seed: 1), to: "carol@example.org", projectID: id, for: ada)
        }
        await #expect(throws: ServiceError.self) {
            try await assignments.assign(.documents([999]), to: "carol@example.org", projectID: id, for: ada)
        }

        let work = try await assignments.assign(.random(2, seed: 7), to: "carol@example.org", projectID: id, for: ada)
        #expect(work.assigned == 2)
        #expect(work.coded == 0)
        #expect(work.items.allSatisfy { $0.blind })
        // Drawing again takes only documents not yet given.
        let more = try await assignments.assign(.random(5, seed: 7), to: "carol@example.org", projectID: id, for: ada)
        #expect(more.assigned == 4)
        await #expect(throws: ServiceError.self) {
            try await assignments.assign(.random(1, seed: 7), to: "carol@example.org", projectID: id, for: ada)
        }

        let first = work.items[0].documentID
        await #expect(throws: ServiceError.self) {
            try await assignments.code(["size": "many"], documentID: first, projectID: id, for: carol)
        }
        await #expect(throws: ServiceError.self) { try await assignments.code(["nope": "x"], documentID: first, projectID: id, for: carol) }
        let saved = try await assignments.code(
            ["city": "Lisbon", "size": 250, "violent": "no", "sector": "health"], documentID: first, projectID: id, for: carol)
        #expect(saved == ["city": "Lisbon", "size": "250", "violent": "false", "sector": "health"])
        // Empty and null leave a variable uncoded.
        let second = work.items[1].documentID
        #expect(try await assignments.code(["city": "", "size": .null], documentID: second, projectID: id, for: carol).isEmpty)

        let everyone = try await assignments.list(projectID: id, for: ada)
        #expect(everyone.map(\.email) == ["carol@example.org"])
        #expect(everyone.map(\.coded) == [1])
        // The coder's codes are one more coder in the agreement.
        let agreement = try await Coders(store: store).agreement(projectID: id, resamples: 100, for: ada)
        #expect(agreement.first { $0.variable.name == "city" }?.people == ["carol@example.org"])
    }
}
