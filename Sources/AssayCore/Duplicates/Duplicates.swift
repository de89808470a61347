import Foundation

/// How `add` treats exact and near duplicates of documents already in the project.
public struct DuplicatePolicy: Sendable, Hashable {
    /// The estimated share of shared word 3-shingles from which two documents count as near
    /// duplicates. 0.8 catches a reprint with a new headline or a changed paragraph in a long
    /// article, and not two reports of the same event written apart.
    public var threshold: Double
    /// Leave new duplicates out instead of adding them (a document already stored is never removed).
    public var skip: Bool

    public static let defaultThreshold = 0.8
    /// Below 0.6 the band lookup misses a growing share of pairs (see `Fingerprint.bandCount`).
    public static let thresholds: ClosedRange<Double> = 0.6...1.0

    public init(threshold: Double = defaultThreshold, skip: Bool = false) {
        self.threshold = threshold
        self.skip = skip
    }

    /// Why a threshold cannot be used, or nil.
    public static func problem(with threshold: Double) -> String? {
        thresholds.contains(threshold)
            ? nil : "must be between \(thresholds.lowerBound) and \(thresholds.upperBound), not \(threshold)"
    }
}

/// A stored document as duplicate detection sees it.
public struct FingerprintedDocument: Sendable, Hashable {
    public var id: Int64
    public var externalID: String
    public var contentHash: String
    public var fingerprint: Fingerprint

    public init(id: Int64, externalID: String, contentHash: String, fingerprint: Fingerprint) {
        self.id = id
        self.externalID = externalID
        self.contentHash = contentHash
        self.fingerprint = fingerprint
    }
}

/// A document found to duplicate another: the same text (`exact`), or a near duplicate with the
/// estimated similarity.
public struct Duplicate: Sendable, Hashable, Codable {
    /// The duplicate's id, nil when it was skipped and so never stored.
    public var documentID: Int64?
    public var externalID: String
    public var originalID: Int64
    public var originalExternalID: String
    public var similarity: Double
    public var exact: Bool

    public init(
        documentID: Int64?, externalID: String, originalID: Int64, originalExternalID: String, similarity: Double,
        exact: Bool
    ) {
        self.documentID = documentID
        self.externalID = externalID
        self.originalID = originalID
        self.originalExternalID = originalExternalID
        self.similarity = similarity
        self.exact = exact
    }

    /// "an exact duplicate of a.txt" / "a near duplicate (87 %) of a.txt".
    public var summary: String {
        exact
            ? "an exact duplicate of \(originalExternalID)"
            : "a near duplicate (\(Int((similarity * 100).rounded(.down))) %) of \(originalExternalID)"
    }
}

/// Picks the document a text duplicates among candidates.
public enum DuplicateFinder {
    /// The original for a document with this content and fingerprint: a candidate with the same
    /// text first, else the most similar at or above the threshold (the earlier on a tie).
    public static func original(
        contentHash: String, fingerprint: Fingerprint, among candidates: [FingerprintedDocument], threshold: Double
    ) -> (document: FingerprintedDocument, similarity: Double, exact: Bool)? {
        let ordered = candidates.sorted { $0.id < $1.id }
        if let same = ordered.first(where: { $0.contentHash == contentHash }) { return (same, 1, true) }
        var best: (document: FingerprintedDocument, similarity: Double, exact: Bool)?
        for candidate in ordered {
            let similarity = fingerprint.similarity(to: candidate.fingerprint)
            if similarity >= threshold, similarity > (best?.similarity ?? -1) { best = (candidate, similarity, false) }
        }
        return best
    }

    /// Every document that duplicates an earlier one (lower id) in a set of candidate pairs, each
    /// with its best original, in id order.
    public static func duplicates(
        in pairs: [(later: FingerprintedDocument, earlier: FingerprintedDocument)], threshold: Double
    ) -> [Duplicate] {
        var byLater: [Int64: (document: FingerprintedDocument, candidates: [FingerprintedDocument])] = [:]
        for (later, earlier) in pairs where earlier.id < later.id {
            byLater[later.id, default: (later, [])].candidates.append(earlier)
        }
        return byLater.values.sorted { $0.document.id < $1.document.id }.compactMap { later, candidates in
            original(
                contentHash: later.contentHash, fingerprint: later.fingerprint, among: candidates, threshold: threshold
            ).map {
                Duplicate(
                    documentID: later.id, externalID: later.externalID, originalID: $0.document.id,
                    originalExternalID: $0.document.externalID, similarity: $0.similarity, exact: $0.exact)
            }
        }
    }
}
