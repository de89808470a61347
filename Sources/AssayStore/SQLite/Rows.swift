import AssayCore
import Foundation
import GRDB

// Row → model decoding. Every read goes through these, so the column names live in one place
// next to the schema, and a corrupt row throws instead of trapping.

extension Row {
    /// A column's value; throws when it is missing or of the wrong type.
    func field<Value: DatabaseValueConvertible>(_ column: String, as type: Value.Type = Value.self) throws -> Value {
        try decode(type, forColumn: column)
    }

    /// A column holding an enum's raw value.
    func enumField<Value: RawRepresentable>(_ column: String, as type: Value.Type = Value.self) throws -> Value
    where Value.RawValue == String {
        let raw: String = try decode(forColumn: column)
        guard let value = Value(rawValue: raw) else {
            throw StoreError.unavailable("corrupt row: '\(raw)' is not a \(Value.self) (column \(column))")
        }
        return value
    }

    /// A nullable column holding an enum's raw value.
    func optionalEnumField<Value: RawRepresentable>(_ column: String, as type: Value.Type = Value.self) throws -> Value?
    where Value.RawValue == String {
        guard (try decode(String?.self, forColumn: column)) != nil else { return nil }
        return try enumField(column, as: type)
    }

    /// A REAL column of seconds since 1970.
    func dateField(_ column: String) throws -> Date {
        Date(timeIntervalSince1970: try decode(Double.self, forColumn: column))
    }

    func optionalDateField(_ column: String) throws -> Date? {
        try decode(Double?.self, forColumn: column).map(Date.init(timeIntervalSince1970:))
    }

    /// A TEXT column of JSON written by `JSONValue.serialized()`.
    func jsonField(_ column: String) throws -> JSONValue {
        try JSONValue.parse(try decode(String.self, forColumn: column))
    }
}

extension Date {
    /// The stored form of a date: REAL seconds since 1970.
    package var storedSeconds: Double { timeIntervalSince1970 }
}

/// JSON coding of Codable columns (codebooks, job selections). Sorted keys keep the text stable.
enum StoredJSON {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}

extension Project {
    init(row: Row) throws {
        self.init(
            id: try row.field("id"),
            name: try row.field("name"),
            description: try row.field("description"),
            owner: try row.field("owner"),
            unit: try row.enumField("unit"),
            entityInstruction: try row.field("entity_instruction"),
            status: try row.enumField("status"),
            budget: Budget(maxTokens: try row.field("max_tokens"), maxCost: try row.field("max_cost")),
            createdAt: try row.dateField("created_at"))
    }
}

extension CodebookVersion {
    init(row: Row) throws {
        self.init(
            projectID: try row.field("project_id"),
            version: try row.field("version"),
            codebook: try StoredJSON.decode(Codebook.self, from: try row.field("codebook_json")),
            codebookHash: try row.field("codebook_hash"),
            promptHash: try row.field("prompt_hash"),
            createdAt: try row.dateField("created_at"))
    }
}

extension Document {
    init(row: Row) throws {
        self.init(
            id: try row.field("id"),
            projectID: try row.field("project_id"),
            externalID: try row.field("external_id"),
            title: try row.field("title"),
            mediaType: try row.field("media_type"),
            text: try row.field("text"),
            contentHash: try row.field("content_hash"),
            wordCount: try row.field("word_count"),
            tokenCount: try row.field("token_count"),
            chunkCount: try row.field("chunk_count"),
            status: try row.enumField("status"),
            error: try row.field("error"),
            metadata: try row.jsonField("metadata_json"),
            createdAt: try row.dateField("created_at"))
    }
}

extension Job {
    init(row: Row) throws {
        self.init(
            id: try row.field("id"),
            projectID: try row.field("project_id"),
            kind: try row.enumField("kind"),
            status: try row.enumField("status"),
            codebookVersion: try row.field("codebook_version"),
            promptHash: try row.field("prompt_hash"),
            model: try row.field("model"),
            selection: try StoredJSON.decode(JobSelection.self, from: try row.field("selection_json")),
            total: try row.field("total"),
            processed: try row.field("processed"),
            succeeded: try row.field("succeeded"),
            flagged: try row.field("flagged"),
            failed: try row.field("failed"),
            consecutiveFailures: try row.field("consecutive_failures"),
            tokensIn: try row.field("tokens_in"),
            tokensOut: try row.field("tokens_out"),
            error: try row.field("error"),
            createdAt: try row.dateField("created_at"),
            startedAt: try row.optionalDateField("started_at"),
            finishedAt: try row.optionalDateField("finished_at"))
        tokensCached = try row.field("tokens_cached")
        cost = try row.field("cost", as: Double?.self)
        queued = try row.field("queued")
    }
}

extension JobEvent {
    init(row: Row) throws {
        self.init(
            id: try row.field("id"),
            jobID: try row.field("job_id"),
            kind: try row.enumField("kind"),
            documentID: try row.field("document_id"),
            message: try row.field("message"),
            createdAt: try row.dateField("created_at"))
    }
}

extension Extraction {
    init(row: Row) throws {
        // Evidence is stored flat; a NULL quote means the model gave none.
        var evidence: Evidence?
        if let quote = try row.field("evidence_quote", as: String?.self) {
            evidence = Evidence(
                quote: quote,
                start: try row.field("evidence_start"),
                end: try row.field("evidence_end"),
                match: try row.optionalEnumField("evidence_match") ?? .notFound)
        }
        self.init(
            id: try row.field("id"),
            documentID: try row.field("document_id"),
            variable: try row.field("variable"),
            entityIndex: try row.field("entity_index"),
            entityText: try row.field("entity_text"),
            value: try row.jsonField("value_json"),
            confidence: try row.field("confidence"),
            evidence: evidence,
            rationale: try row.field("rationale"),
            status: try row.enumField("status"),
            error: try row.field("error"),
            codebookVersion: try row.field("codebook_version"),
            promptHash: try row.field("prompt_hash"),
            model: try row.field("model"),
            jobID: try row.field("job_id"),
            createdAt: try row.dateField("created_at"),
            settings: try row.field("settings_json", as: String?.self).map { try StoredJSON.decode(ModelSettings.self, from: $0) })
        if let runs = try row.field("run_values_json", as: String?.self), case .array(let values) = try JSONValue.parse(runs) {
            // `nil` would read as JSONValue.null here (it is nil-literal expressible): say `.none`.
            runValues = values.map { value -> JSONValue? in value == .null ? .none : .some(value) }
        }
        runAgreement = try row.field("run_agreement")
        modelConfidence = try row.field("model_confidence")
    }
}

extension DocumentOutcome {
    init(row: Row) throws {
        self.init(
            documentID: try row.field("document_id"),
            jobID: try row.field("job_id"),
            codebookVersion: try row.field("codebook_version"),
            contentHash: try row.field("content_hash"),
            outcome: try row.enumField("outcome"),
            errorKind: try row.optionalEnumField("error_kind"),
            reason: try row.field("reason"),
            updatedAt: try row.dateField("updated_at"))
    }
}

extension ErrorRecord {
    init(row: Row) throws {
        self.init(
            id: try row.field("id"),
            jobID: try row.field("job_id"),
            documentID: try row.field("document_id"),
            kind: try row.enumField("kind"),
            reason: try row.field("reason"),
            responseHash: try row.field("response_hash"),
            excerpt: try row.field("excerpt"),
            createdAt: try row.dateField("created_at"))
    }
}
