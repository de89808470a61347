import AssayCore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Replaces a document's fingerprint and bands (none for a text without words).
    static func writeFingerprint(_ db: PostgresSession, _ fingerprint: Fingerprint?, documentID: Int64, projectID: Int64) async throws {
        try await db.execute("DELETE FROM document_fingerprints WHERE document_id = \(documentID)")
        try await db.execute("DELETE FROM document_bands WHERE document_id = \(documentID)")
        guard let fingerprint else { return }
        try await db.execute("INSERT INTO document_fingerprints (document_id, minhash) VALUES (\(documentID), \(fingerprint.data))")
        try await db.execute(
            """
            INSERT INTO document_bands (project_id, band_key, document_id)
            SELECT \(projectID), key, \(documentID) FROM unnest(\(fingerprint.bandKeys)) AS key
            ON CONFLICT DO NOTHING
            """)
    }

    /// How many documents of one band a text is compared with: the earliest. A band shared by
    /// thousands of copies of one text would otherwise make every add, and the listing, quadratic.
    static let candidatesPerBand = 16

    /// The project's documents sharing at least one band with `fingerprint`: in each band the
    /// earliest `candidatesPerBand`.
    public func duplicateCandidates(of fingerprint: Fingerprint, projectID: Int64) async throws -> [FingerprintedDocument] {
        try await read { db in
            let ids = try await db.rows(
                """
                SELECT DISTINCT document_id FROM (
                    SELECT document_id, ROW_NUMBER() OVER (PARTITION BY band_key ORDER BY document_id) AS position
                    FROM document_bands WHERE project_id = \(projectID) AND band_key = ANY(\(fingerprint.bandKeys))) AS ranked
                WHERE position <= \(Self.candidatesPerBand)
                """
            ).map { try $0.field("document_id", as: Int64.self) }
            return try await Self.fingerprinted(db, ids: ids)
        }
    }

    /// Every pair of the project's documents sharing a band, the later (higher id) first; in each
    /// band the earlier one is among its first `candidatesPerBand` documents.
    public func duplicateCandidatePairs(projectID: Int64) async throws -> [(later: FingerprintedDocument, earlier: FingerprintedDocument)] {
        try await read { db in
            let pairs = try await db.rows(
                """
                WITH ranked AS (
                    SELECT band_key, document_id,
                        ROW_NUMBER() OVER (PARTITION BY band_key ORDER BY document_id) AS position
                    FROM document_bands WHERE project_id = \(projectID))
                SELECT DISTINCT a.document_id AS later, b.document_id AS earlier
                FROM ranked a JOIN ranked b
                ON b.band_key = a.band_key AND b.position <= \(Self.candidatesPerBand) AND b.document_id < a.document_id
                ORDER BY later, earlier
                """
            ).map { (try $0.field("later", as: Int64.self), try $0.field("earlier", as: Int64.self)) }
            let ids = Set(pairs.flatMap { [$0.0, $0.1] })
            let documents = Dictionary(uniqueKeysWithValues: try await Self.fingerprinted(db, ids: Array(ids)).map { ($0.id, $0) })
            return pairs.compactMap { later, earlier in
                guard let later = documents[later], let earlier = documents[earlier] else { return nil }
                return (later, earlier)
            }
        }
    }

    /// These documents with their fingerprints, in id order.
    private static func fingerprinted(_ db: PostgresSession, ids: [Int64]) async throws -> [FingerprintedDocument] {
        try await db.rows(
            """
            SELECT d.id, d.external_id, d.content_hash, f.minhash FROM documents d
            JOIN document_fingerprints f ON f.document_id = d.id
            WHERE d.id = ANY(\(ids)) ORDER BY d.id
            """
        ).compactMap { row in
            guard let fingerprint = Fingerprint(data: try row.field("minhash", as: Data.self)) else { return nil }
            return FingerprintedDocument(
                id: try row.field("id"), externalID: try row.field("external_id"), contentHash: try row.field("content_hash"),
                fingerprint: fingerprint)
        }
    }
}
