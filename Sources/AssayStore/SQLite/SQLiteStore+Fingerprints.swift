import AssayCore
import Foundation
import GRDB

extension SQLiteStore {
    /// Migration "v6: document fingerprints": each readable document's MinHash fingerprint and its
    /// band keys, indexed so a new document's near-duplicate candidates are a lookup, not a scan.
    /// Documents stored before it are fingerprinted here, once.
    static func registerFingerprints(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v6: document fingerprints") { db in
            try db.execute(
                sql: """
                    CREATE TABLE document_fingerprints (
                        document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
                        minhash BLOB NOT NULL
                    );
                    CREATE TABLE document_bands (
                        project_id INTEGER NOT NULL,
                        band_key INTEGER NOT NULL,
                        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                        PRIMARY KEY (project_id, band_key, document_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX document_bands_document ON document_bands(document_id);
                    """)
            let rows = try Row.fetchCursor(db, sql: "SELECT id, project_id, text FROM documents WHERE status != 'failed'")
            while let row = try rows.next() {
                try writeFingerprint(
                    db, Fingerprint(text: row["text"]), documentID: row["id"], projectID: row["project_id"])
            }
        }
    }

    /// Replaces a document's fingerprint and bands (none for a text without words).
    static func writeFingerprint(_ db: Database, _ fingerprint: Fingerprint?, documentID: Int64, projectID: Int64) throws {
        try db.execute(sql: "DELETE FROM document_fingerprints WHERE document_id = ?", arguments: [documentID])
        try db.execute(sql: "DELETE FROM document_bands WHERE document_id = ?", arguments: [documentID])
        guard let fingerprint else { return }
        try db.execute(
            sql: "INSERT INTO document_fingerprints (document_id, minhash) VALUES (?, ?)",
            arguments: [documentID, fingerprint.data])
        let insert = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO document_bands (project_id, band_key, document_id) VALUES (?, ?, ?)")
        for key in fingerprint.bandKeys {
            try insert.execute(arguments: [projectID, key, documentID])
        }
    }

    /// How many documents of one band a text is compared with: the earliest. A band shared by
    /// thousands of copies of one text would otherwise make every add, and the listing, quadratic.
    static let candidatesPerBand = 16

    /// The project's documents sharing at least one band with `fingerprint`: in each band the
    /// earliest `candidatesPerBand`.
    public func duplicateCandidates(of fingerprint: Fingerprint, projectID: Int64) async throws -> [FingerprintedDocument] {
        let keys = fingerprint.bandKeys
        return try await writer.read { db in
            let band = try db.cachedStatement(
                sql: "SELECT document_id FROM document_bands WHERE project_id = ? AND band_key = ? ORDER BY document_id LIMIT ?")
            var ids = Set<Int64>()
            for key in keys {
                ids.formUnion(try Int64.fetchAll(band, arguments: [projectID, key, Self.candidatesPerBand]))
            }
            return try Self.fingerprinted(db, ids: ids.sorted())
        }
    }

    /// Every pair of the project's documents sharing a band, the later (higher id) first; in each
    /// band the earlier one is among its first `candidatesPerBand` documents.
    public func duplicateCandidatePairs(projectID: Int64) async throws -> [(later: FingerprintedDocument, earlier: FingerprintedDocument)] {
        try await writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    WITH ranked AS (
                        SELECT band_key, document_id,
                            ROW_NUMBER() OVER (PARTITION BY band_key ORDER BY document_id) AS position
                        FROM document_bands WHERE project_id = ?)
                    SELECT DISTINCT a.document_id AS later, b.document_id AS earlier
                    FROM ranked a JOIN ranked b
                    ON b.band_key = a.band_key AND b.position <= ? AND b.document_id < a.document_id
                    ORDER BY later, earlier
                    """,
                arguments: [projectID, Self.candidatesPerBand])
            let ids = Set(rows.flatMap { [$0["later"], $0["earlier"]] as [Int64] })
            let documents = Dictionary(uniqueKeysWithValues: try Self.fingerprinted(db, ids: ids.sorted()).map { ($0.id, $0) })
            return rows.compactMap { row in
                guard let later = documents[row["later"]], let earlier = documents[row["earlier"]] else { return nil }
                return (later, earlier)
            }
        }
    }

    /// These documents with their fingerprints, in id order, 500 ids per statement.
    private static func fingerprinted(_ db: Database, ids: [Int64]) throws -> [FingerprintedDocument] {
        var found: [FingerprintedDocument] = []
        for start in stride(from: 0, to: ids.count, by: 500) {
            let slice = Array(ids[start..<min(start + 500, ids.count)])
            found += try Row.fetchAll(
                db,
                sql: """
                    SELECT d.id, d.external_id, d.content_hash, f.minhash FROM documents d
                    JOIN document_fingerprints f ON f.document_id = d.id
                    WHERE d.id IN (\(databaseQuestionMarks(count: slice.count))) ORDER BY d.id
                    """,
                arguments: StatementArguments(slice)
            ).compactMap(fingerprinted)
        }
        return found
    }

    private static func fingerprinted(_ row: Row) -> FingerprintedDocument? {
        guard let data: Data = row["minhash"], let fingerprint = Fingerprint(data: data) else { return nil }
        return FingerprintedDocument(
            id: row["id"], externalID: row["external_id"], contentHash: row["content_hash"], fingerprint: fingerprint)
    }
}
