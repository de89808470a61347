import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// The store contract, continued: every readable document is fingerprinted as it is stored, and
/// near-duplicate candidates are found by fingerprint band within the project.
extension StoreConformanceTests {
    static let article = """
        Thousands of teachers marched through Lisbon on Saturday to demand higher pay and smaller \
        classes. The unions said more than fifty thousand people took part; the police gave no figure. \
        The education minister said talks would resume on Monday.
        """
    static let unrelated = "Parliament passed the budget after a long night of votes on pensions and health."

    @Test(arguments: StoreKind.allCases)
    func candidatesAreTheProjectsDocumentsSharingABand(kind: StoreKind) async throws {
        let store = try await kind.make()
        let project = try await store.createProject(name: "news", description: nil)
        let other = try await store.createProject(name: "elsewhere", description: nil)
        let (a, _) = try await store.upsertDocument(Fixtures.input("a.txt", text: Self.article), projectID: project.id)
        _ = try await store.upsertDocument(Fixtures.input("b.txt", text: Self.unrelated), projectID: project.id)
        _ = try await store.upsertDocument(Fixtures.input("c.txt", text: Self.article), projectID: other.id)
        _ = try await store.upsertDocument(
            .failed(externalID: "d.pdf", mediaType: "application/pdf", reason: "encrypted"), projectID: project.id)

        let probe = try #require(Fingerprint(text: "Breaking: " + Self.article))
        let found = try await store.duplicateCandidates(of: probe, projectID: project.id)
        #expect(found.map(\.externalID) == ["a.txt"])
        #expect(found.first?.id == a.id)
        #expect(found.first?.contentHash == a.contentHash)
        #expect(found.first?.fingerprint == Fingerprint(text: Self.article))
    }

    @Test(arguments: StoreKind.allCases)
    func anUpdateReplacesTheFingerprintAndADeleteRemovesIt(kind: StoreKind) async throws {
        let store = try await kind.make()
        let project = try await store.createProject(name: "news", description: nil)
        _ = try await store.upsertDocument(Fixtures.input("a.txt", text: Self.article), projectID: project.id)
        let (b, _) = try await store.upsertDocument(Fixtures.input("b.txt", text: Self.article), projectID: project.id)
        let probe = try #require(Fingerprint(text: Self.article))
        #expect(try await store.duplicateCandidates(of: probe, projectID: project.id).map(\.externalID) == ["a.txt", "b.txt"])
        let pairs = try await store.duplicateCandidatePairs(projectID: project.id)
        #expect(pairs.map { [$0.later.externalID, $0.earlier.externalID] } == [["b.txt", "a.txt"]])

        _ = try await store.upsertDocument(Fixtures.input("a.txt", text: Self.unrelated), projectID: project.id)
        #expect(try await store.duplicateCandidates(of: probe, projectID: project.id).map(\.externalID) == ["b.txt"])
        #expect(try await store.duplicateCandidatePairs(projectID: project.id).isEmpty)

        let reviews = try #require(store as? any ReviewStore)
        try await reviews.deleteDocument(id: b.id)
        #expect(try await store.duplicateCandidates(of: probe, projectID: project.id).isEmpty)
        let unrelated = try #require(Fingerprint(text: Self.unrelated))
        #expect(try await store.duplicateCandidates(of: unrelated, projectID: project.id).map(\.externalID) == ["a.txt"])
    }

    /// Thousands of copies of one text must not make each add compare with all of them, nor the
    /// listing build every pair: each band offers its earliest 16 documents.
    @Test(arguments: StoreKind.allCases)
    func manyCopiesOfOneTextGiveABoundedNumberOfCandidates(kind: StoreKind) async throws {
        let store = try await kind.make()
        let project = try await store.createProject(name: "news", description: nil)
        for index in 1...40 {
            _ = try await store.upsertDocument(Fixtures.input("copy-\(index).txt", text: Self.article), projectID: project.id)
        }
        let probe = try #require(Fingerprint(text: Self.article))
        let candidates = try await store.duplicateCandidates(of: probe, projectID: project.id)
        #expect(candidates.map(\.externalID) == (1...16).map { "copy-\($0).txt" })
        let pairs = try await store.duplicateCandidatePairs(projectID: project.id)
        #expect(pairs.count == (2...40).reduce(0) { $0 + min($1 - 1, 16) })
        #expect(Set(pairs.map(\.later.externalID)).count == 39)
        #expect(pairs.allSatisfy { $0.earlier.id < $0.later.id })
    }
}
