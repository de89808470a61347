import AssayCore
import Foundation
import Testing

/// MinHash fingerprints: near-duplicates come out close, different texts far apart, and the
/// values are the same in every process (they are stored).
@Suite struct FingerprintTests {
    static let article = """
        Thousands of teachers marched through Lisbon on Saturday to demand higher pay and smaller \
        classes, in the largest education protest in Portugal for a decade. The unions said more than \
        fifty thousand people took part; the police gave no figure. Marchers carried banners reading \
        "Respect for teachers" and blocked the Avenida da Liberdade for three hours. The education \
        minister said talks would resume on Monday and called the strike "regrettable but understood". \
        Schools in Porto and Coimbra were also closed as staff joined local rallies.
        """

    @Test func theSameWordsInAnotherCaseAndLayoutAreTheSame() throws {
        let a = try fingerprint(Self.article)
        let b = try fingerprint(Self.article.uppercased().replacingOccurrences(of: " ", with: "\n  "))
        #expect(a.similarity(to: b) == 1)
        #expect(a == b)
    }

    /// The article with a headline and one clause changed.
    static let reprint =
        "TEACHERS MARCH IN LISBON\n\n"
        + article.replacingOccurrences(of: "the police gave no figure", with: "police estimated twenty thousand")

    @Test func aReprintWithANewHeadlineAndOneChangedSentenceIsANearDuplicate() throws {
        let similarity = try fingerprint(Self.article).similarity(to: try fingerprint(Self.reprint))
        #expect(similarity >= DuplicatePolicy.defaultThreshold && similarity < 1)
    }

    @Test func anotherReportOfTheSameEventIsNot() throws {
        let other = """
            Portuguese teachers walked out on Saturday. In the capital, a crowd the unions put at fifty \
            thousand filled the city's main avenue, asking for better salaries and fewer pupils per class. \
            Talks with the ministry are due to restart next week, officials said.
            """
        let similarity = try fingerprint(Self.article).similarity(to: try fingerprint(other))
        #expect(similarity < 0.3)
    }

    @Test func aTextWithoutWordsHasNoFingerprint() {
        #expect(Fingerprint(text: "") == nil)
        #expect(Fingerprint(text: " \n\t— ... !!") == nil)
        #expect(Fingerprint(text: "Two words") != nil)
    }

    /// Stored fingerprints are compared with new ones made by another process, maybe another
    /// build: the values may never depend on a per-run seed. These were computed once and fixed.
    @Test func theValuesAreFixedAcrossProcesses() throws {
        let fox = try fingerprint("the quick brown fox jumps over the lazy dog")
        #expect(fox.minimums.count == Fingerprint.hashCount)
        #expect(Array(fox.minimums.prefix(3)) == Self.quickBrownFoxPrefix)
        #expect(fox.bandKeys.count == Fingerprint.bandCount)
        #expect(Set(fox.bandKeys).count == Fingerprint.bandCount)
    }

    static let quickBrownFoxPrefix: [UInt32] = [1_740_808_217, 9_314_727, 337_803_942]

    @Test func storedBytesComeBackAsTheSameFingerprint() throws {
        let stored = try fingerprint(Self.article)
        #expect(stored.data.count == Fingerprint.hashCount * 4)
        #expect(Fingerprint(data: stored.data) == stored)
        #expect(Fingerprint(data: stored.data.dropLast()) == nil)
        #expect(Fingerprint(data: Data()) == nil)
    }

    @Test func nearDuplicatesShareABandAndUnrelatedTextsDoNot() throws {
        let a = try fingerprint(Self.article)
        let b = try fingerprint("Update: " + Self.article)
        let c = try fingerprint("Parliament passed the budget after a long night of votes on pensions.")
        #expect(!Set(a.bandKeys).isDisjoint(with: b.bandKeys))
        #expect(Set(a.bandKeys).isDisjoint(with: c.bandKeys))
    }
}

/// The fingerprint of a text that has words.
func fingerprint(_ text: String) throws -> Fingerprint {
    try #require(Fingerprint(text: text))
}

/// Which document a text duplicates, and which of a project's documents duplicate an earlier one.
@Suite struct DuplicateFinderTests {
    func document(_ id: Int64, _ text: String) throws -> FingerprintedDocument {
        FingerprintedDocument(
            id: id, externalID: "d\(id)", contentHash: Hashing.sha256(text), fingerprint: try fingerprint(text))
    }

    @Test func theSameTextWinsOverASimilarOneAndTheEarlierOverTheLater() throws {
        let text = FingerprintTests.article
        let candidates = [try document(3, text), try document(2, "Update: " + text), try document(5, text)]
        let found = try #require(
            DuplicateFinder.original(
                contentHash: Hashing.sha256(text), fingerprint: try fingerprint(text), among: candidates,
                threshold: 0.8))
        #expect(found.document.id == 3 && found.exact && found.similarity == 1)
    }

    @Test func belowTheThresholdNothingIsADuplicate() throws {
        let text = FingerprintTests.article
        let candidate = try document(1, FingerprintTests.reprint)
        let mine = try fingerprint(text)
        let similarity = mine.similarity(to: candidate.fingerprint)
        #expect(similarity < 1)
        let at = DuplicateFinder.original(
            contentHash: Hashing.sha256(text), fingerprint: mine, among: [candidate], threshold: similarity)
        #expect(at?.document.id == 1 && at?.exact == false)
        #expect(
            DuplicateFinder.original(
                contentHash: Hashing.sha256(text), fingerprint: mine, among: [candidate],
                threshold: min(1, similarity + 0.01)) == nil)
    }

    @Test func eachLaterDocumentIsListedOnceWithItsClosestEarlierOne() throws {
        let text = FingerprintTests.article
        let one = try document(1, text)
        let two = try document(2, "Update: " + text)
        let three = try document(3, text)
        let duplicates = DuplicateFinder.duplicates(in: [(two, one), (three, one), (three, two), (one, three)], threshold: 0.8)
        #expect(duplicates.map(\.documentID) == [2, 3])
        #expect(duplicates.map(\.originalID) == [1, 1])
        #expect(duplicates.map(\.exact) == [false, true])
        #expect(duplicates[1].summary == "an exact duplicate of d1")
        #expect(duplicates[0].summary.hasPrefix("a near duplicate ("))
    }

    @Test(arguments: [0.59, 1.01, -1, .nan])
    func thresholdsOutsideTheRangeAreRefused(threshold: Double) {
        #expect(DuplicatePolicy.problem(with: threshold) != nil)
    }

    @Test(arguments: [0.6, 0.8, 1])
    func thresholdsInsideTheRangeAreTaken(threshold: Double) {
        #expect(DuplicatePolicy.problem(with: threshold) == nil)
    }
}
