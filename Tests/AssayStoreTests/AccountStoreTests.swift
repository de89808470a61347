import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// The contract of `AccountStore` and `ReviewStore`, run against every store kind.
@Suite("Account and review stores", .postgresDatabases)
struct AccountStoreTests {
    func make(_ kind: StoreKind) async throws -> any AssayDatabase {
        try await kind.make()
    }

    @Test(arguments: StoreKind.allCases)
    func usersAreUniqueByEmailIgnoringCase(kind: StoreKind) async throws {
        let store = try await make(kind)
        let ada = try await store.createUser(email: "ada@example.org", passwordHash: "h1", role: "user")
        #expect(try await store.user(email: "ada@example.org") == ada)
        #expect(try await store.user(id: ada.id)?.email == "ada@example.org")
        await #expect(throws: AccountStoreError.duplicateEmail("ADA@example.org")) {
            _ = try await store.createUser(email: "ADA@example.org", passwordHash: "h2", role: "user")
        }
        try await store.setUserRole("ml_engineer", userID: ada.id)
        #expect(try await store.user(id: ada.id)?.role == "ml_engineer")
        #expect(try await store.users().map(\.email) == ["ada@example.org"])
    }

    @Test(arguments: StoreKind.allCases)
    func refreshTokensExpireAndAreUsedOnce(kind: StoreKind) async throws {
        let store = try await make(kind)
        let user = try await store.createUser(email: "a@b.c", passwordHash: "h", role: "user")
        let now = Date()
        try await store.saveRefreshToken(hash: "live", userID: user.id, expiresAt: now.addingTimeInterval(60))
        try await store.saveRefreshToken(hash: "old", userID: user.id, expiresAt: now.addingTimeInterval(-1))
        #expect(try await store.refreshTokenOwner(hash: "live", now: now) == user.id)
        #expect(try await store.refreshTokenOwner(hash: "old", now: now) == nil)
        #expect(try await store.deleteRefreshToken(hash: "live"))
        #expect(try await store.deleteRefreshToken(hash: "live") == false)
        #expect(try await store.refreshTokenOwner(hash: "live", now: now) == nil)
    }

    @Test func revokedSessionsStayRevokedAfterAReopen() async throws {
        let path = TempFolder.unusedPath("store", file: "assay.sqlite")
        var store: SQLiteStore? = try SQLiteStore(path: path)
        let ada = try await store!.createUser(email: "ada@x.y", passwordHash: "h", role: "user")
        #expect(ada.tokenGeneration == 0)
        try await store!.saveRefreshToken(hash: "r1", userID: ada.id, expiresAt: Date().addingTimeInterval(60))
        try await store!.revokeAccessToken(id: "jti-1", expiresAt: Date().addingTimeInterval(60))
        try await store!.revokeAccessToken(id: "jti-old", expiresAt: Date().addingTimeInterval(-60))
        try await store!.endSessions(userID: ada.id)
        #expect(try await store!.refreshTokenOwner(hash: "r1", now: Date()) == nil)
        try await store!.saveRefreshToken(hash: "r2", userID: ada.id, expiresAt: Date().addingTimeInterval(60))
        try await store!.setPassword(userID: ada.id, passwordHash: "h2")
        try store!.close()
        store = nil

        let reopened = try SQLiteStore(path: path)
        #expect(try await reopened.isAccessTokenRevoked(id: "jti-1"))
        #expect(try await reopened.isAccessTokenRevoked(id: "jti-2") == false)
        let user = try #require(try await reopened.user(id: ada.id))
        #expect(user.tokenGeneration == 2 && user.passwordHash == "h2")
        #expect(try await reopened.refreshTokenOwner(hash: "r2", now: Date()) == nil)
        // An entry past its token's expiry is dropped at the next revocation.
        try await reopened.revokeAccessToken(id: "jti-3", expiresAt: Date().addingTimeInterval(60))
        #expect(try await reopened.isAccessTokenRevoked(id: "jti-old") == false)
    }

    @Test(arguments: StoreKind.allCases)
    func apiKeysBelongToTheirUser(kind: StoreKind) async throws {
        let store = try await make(kind)
        let ada = try await store.createUser(email: "ada@x.y", passwordHash: "h", role: "user")
        let bob = try await store.createUser(email: "bob@x.y", passwordHash: "h", role: "user")
        let key = try await store.createAPIKey(userID: ada.id, name: "scheduler", prefix: "ak_1234", hash: "kh")
        #expect(try await store.apiKey(hash: "kh") == key)
        #expect(try await store.apiKeys(userID: bob.id).isEmpty)
        #expect(try await store.deleteAPIKey(id: key.id, userID: bob.id) == false)
        #expect(try await store.deleteAPIKey(id: key.id, userID: ada.id))
        #expect(try await store.apiKey(hash: "kh") == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func projectNamesAreUniquePerOwner(kind: StoreKind) async throws {
        let store = try await make(kind)
        let a = try await store.createProject(name: "Pilot", description: nil, owner: "1")
        _ = try await store.createProject(name: "Pilot", description: nil, owner: "2")
        await #expect(throws: StoreError.duplicateProject("Pilot")) {
            _ = try await store.createProject(name: "Pilot", description: nil, owner: "1")
        }
        #expect(try await store.projects(owner: "1").map(\.id) == [a.id])
        let renamed = try await store.updateProject(id: a.id, name: "Main", description: "d")
        #expect(renamed.name == "Main" && renamed.description == "d" && renamed.owner == "1")
        try await store.deleteProject(id: a.id)
        #expect(try await store.project(id: a.id) == nil)
        await #expect(throws: StoreError.notFound("project #\(a.id)")) { try await store.deleteProject(id: a.id) }
        // The CLI's projects (no owner) keep one namespace.
        _ = try await store.createProject(name: "cli", description: nil)
        await #expect(throws: StoreError.duplicateProject("cli")) { _ = try await store.createProject(name: "cli", description: nil) }
    }

    @Test(arguments: StoreKind.allCases)
    func extractionsPageAndFilter(kind: StoreKind) async throws {
        let store = try await make(kind)
        let (project, documents) = try await Fixtures.project(in: store)
        let job = try await Fixtures.job(in: store, project: project)
        for document in documents { try await store.record(Fixtures.result(job: job, document: document)) }
        let all = try await store.extractions(projectID: project.id, filter: ExtractionFilter(), limit: 4, offset: 0)
        #expect(all.total == 6 && all.items.count == 4)
        let last = try await store.extractions(projectID: project.id, filter: ExtractionFilter(), limit: 4, offset: 4)
        #expect(last.items.count == 2 && Set(last.items.map(\.id)).isDisjoint(with: all.items.map(\.id)))
        let beyond = try await store.extractions(projectID: project.id, filter: ExtractionFilter(), limit: 4, offset: 10)
        #expect(beyond.items.isEmpty && beyond.total == 6)
        let amounts = try await store.extractions(
            projectID: project.id, filter: ExtractionFilter(variable: "amount", documentID: documents[0].id), limit: 10, offset: 0)
        #expect(amounts.items.map(\.variable) == ["amount"])
        #expect(
            try await store.extractions(
                projectID: project.id, filter: ExtractionFilter(confidenceBelow: 0.5),
                limit: 10, offset: 0
            ).total == 0)
        #expect(
            try await store.extractions(
                projectID: project.id, filter: ExtractionFilter(confidenceBelow: 0.95),
                limit: 10, offset: 0
            ).total == 6)
        let one = try #require(all.items.first)
        #expect(try await store.extraction(id: one.id) == one)
    }

    /// The review queue: failed, then flagged, then the rest; within each, the runs that agreed
    /// least, then the least confident. Run fields and settings survive the store.
    @Test(arguments: StoreKind.allCases)
    func theReviewQueueOrdersByNeedAndKeepsWhatEachRunSaid(kind: StoreKind) async throws {
        let store = try await make(kind)
        let (project, documents) = try await Fixtures.project(in: store, documents: 1)
        let job = try await Fixtures.job(in: store, project: project)
        func value(_ name: String, status: ExtractionStatus, confidence: Double?, agreement: Double?) -> Extraction {
            var value = Fixtures.extraction(name, "x", documentID: documents[0].id, jobID: job.id, status: status)
            value.confidence = confidence
            if let agreement {
                value.runAgreement = agreement
                value.runValues = ["x", agreement < 1 ? "y" : "x", JSONValue?.none]
                value.modelConfidence = 0.9
                value.settings = ModelSettings(temperature: 0.1, runs: 3, variedTemperature: 0.8)
            }
            return value
        }
        var result = Fixtures.result(job: job, document: documents[0])
        result.extractions = [
            value("sure", status: .validated, confidence: 0.9, agreement: 1),
            value("unsure", status: .validated, confidence: 0.4, agreement: nil),
            value("split", status: .validated, confidence: 0.95, agreement: 2.0 / 3),
            value("flagged", status: .flagged, confidence: 0.8, agreement: nil),
            value("failed", status: .failed, confidence: nil, agreement: nil),
            value("unknown", status: .validated, confidence: nil, agreement: nil),
        ]
        try await store.record([result])
        let queue = try await store.extractions(
            projectID: project.id, filter: ExtractionFilter(order: .review), limit: 10, offset: 0)
        #expect(queue.items.map(\.variable) == ["failed", "flagged", "split", "unknown", "unsure", "sure"])
        let disagreeing = try await store.extractions(
            projectID: project.id, filter: ExtractionFilter(runsDisagree: true), limit: 10, offset: 0)
        #expect(disagreeing.items.map(\.variable) == ["split"])
        let split = try #require(disagreeing.items.first)
        #expect(split.runValues == ["x", "y", JSONValue?.none] && split.runAgreement == 2.0 / 3 && split.modelConfidence == 0.9)
        #expect(split.settings == ModelSettings(temperature: 0.1, runs: 3, variedTemperature: 0.8))
        #expect(queue.items.first { $0.variable == "unsure" }?.runValues == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func feedbackIsListedPerVariableAndGoesWithItsDocument(kind: StoreKind) async throws {
        let store = try await make(kind)
        let (project, documents) = try await Fixtures.project(in: store)
        let job = try await Fixtures.job(in: store, project: project)
        try await store.record(Fixtures.result(job: job, document: documents[0]))
        let values = try await store.extractions(projectID: project.id, documentID: documents[0].id)
        let amount = try #require(values.first { $0.variable == "amount" })
        let saved = try await store.addFeedback(
            Feedback(
                extractionID: amount.id, verdict: .partiallyCorrect,
                correctedValue: 450, note: "typo", author: "ada"))
        #expect(saved.id > 0 && saved.variable == "amount")
        #expect(try await store.feedback(projectID: project.id, variable: "amount").map(\.correctedValue) == [450])
        #expect(try await store.feedback(projectID: project.id, variable: "sentiment").isEmpty)
        await #expect(throws: StoreError.notFound("extraction #999")) {
            _ = try await store.addFeedback(Feedback(extractionID: 999, verdict: .correct))
        }
        try await store.deleteDocument(id: documents[0].id)
        #expect(try await store.extraction(id: amount.id) == nil)
        #expect(try await store.feedback(projectID: project.id, variable: nil).isEmpty)
    }

    /// Coding a document again (a refined codebook, a re-run) replaces its values; the reviewer's
    /// verdicts stay, with the value as it was reviewed. They used to go with the old value.
    @Test(arguments: StoreKind.allCases)
    func feedbackOutlivesTheValueItJudged(kind: StoreKind) async throws {
        let store = try await make(kind)
        let (project, documents) = try await Fixtures.project(in: store)
        let job = try await Fixtures.job(in: store, project: project)
        try await store.record(Fixtures.result(job: job, document: documents[0], values: [("sentiment", "pos"), ("amount", 500)]))
        let amount = try #require(
            try await store.extractions(projectID: project.id, documentID: documents[0].id).first { $0.variable == "amount" })
        let saved = try await store.addFeedback(Feedback(extractionID: amount.id, verdict: .incorrect, correctedValue: 450, note: "typo"))
        #expect(saved.documentID == documents[0].id && saved.variable == "amount" && saved.reviewedValue == 500)

        let again = try await Fixtures.job(in: store, project: project)
        try await store.record(Fixtures.result(job: again, document: documents[0], values: [("sentiment", "pos"), ("amount", 450)]))
        let kept = try await store.feedback(projectID: project.id, variable: "amount")
        #expect(kept.count == 1, "the verdict went with the replaced value")
        let verdict = try #require(kept.first)
        #expect(verdict.extractionID == nil && verdict.documentID == documents[0].id && verdict.entityIndex == 0)
        #expect(verdict.reviewedValue == 500 && verdict.correctedValue == 450 && verdict.note == "typo" && verdict.verdict == .incorrect)
    }
}
