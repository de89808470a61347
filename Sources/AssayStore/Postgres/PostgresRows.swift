import AssayCore
import Foundation
import PostgresNIO

// Row → model decoding for PostgreSQL, as Rows.swift is for SQLite: the column names live next
// to the schema, and a corrupt row throws instead of trapping.

extension PostgresRandomAccessRow {
    /// A column's value; throws when it is missing or of another type.
    package func field<Value: PostgresDecodable>(_ column: String, as type: Value.Type = Value.self) throws -> Value {
        guard contains(column) else { throw StoreError.unavailable("corrupt row: no column \(column)") }
        return try self[column].decode(Value.self)
    }

    /// A column holding an enum's raw value.
    func enumField<Value: RawRepresentable>(_ column: String, as type: Value.Type = Value.self) throws -> Value
    where Value.RawValue == String {
        let raw = try field(column, as: String.self)
        guard let value = Value(rawValue: raw) else {
            throw StoreError.unavailable("corrupt row: '\(raw)' is not a \(Value.self) (column \(column))")
        }
        return value
    }

    /// A nullable column holding an enum's raw value.
    func optionalEnumField<Value: RawRepresentable>(_ column: String, as type: Value.Type = Value.self) throws -> Value?
    where Value.RawValue == String {
        guard try field(column, as: String?.self) != nil else { return nil }
        return try enumField(column, as: type)
    }

    /// A TEXT column of JSON written by `JSONValue.serialized()`.
    func jsonField(_ column: String) throws -> JSONValue {
        try JSONValue.parse(try field(column, as: String.self))
    }
}

extension Project {
    init(row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row.field("id"),
            name: try row.field("name"),
            description: try row.field("description"),
            owner: try row.field("owner"),
            unit: try row.enumField("unit"),
            entityInstruction: try row.field("entity_instruction"),
            status: try row.enumField("status"),
            budget: Budget(maxTokens: try row.field("max_tokens"), maxCost: try row.field("max_cost")),
            createdAt: try row.field("created_at"))
    }
}

extension CodebookVersion {
    init(row: PostgresRandomAccessRow) throws {
        self.init(
            projectID: try row.field("project_id"),
            version: try row.field("version"),
            codebook: try StoredJSON.decode(Codebook.self, from: try row.field("codebook_json")),
            codebookHash: try row.field("codebook_hash"),
            promptHash: try row.field("prompt_hash"),
            createdAt: try row.field("created_at"))
    }
}

extension Document {
    init(row: PostgresRandomAccessRow) throws {
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
            createdAt: try row.field("created_at"))
    }
}

extension Job {
    init(row: PostgresRandomAccessRow) throws {
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
            createdAt: try row.field("created_at"),
            startedAt: try row.field("started_at"),
            finishedAt: try row.field("finished_at"))
        tokensCached = try row.field("tokens_cached")
        cost = try row.field("cost", as: Double?.self)
        queued = try row.field("queued", as: Bool.self)
    }
}

extension JobEvent {
    init(row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row.field("id"),
            jobID: try row.field("job_id"),
            kind: try row.enumField("kind"),
            documentID: try row.field("document_id"),
            message: try row.field("message"),
            createdAt: try row.field("created_at"))
    }
}

extension Extraction {
    init(row: PostgresRandomAccessRow) throws {
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
            createdAt: try row.field("created_at"),
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
    init(row: PostgresRandomAccessRow) throws {
        self.init(
            documentID: try row.field("document_id"),
            jobID: try row.field("job_id"),
            codebookVersion: try row.field("codebook_version"),
            contentHash: try row.field("content_hash"),
            outcome: try row.enumField("outcome"),
            errorKind: try row.optionalEnumField("error_kind"),
            reason: try row.field("reason"),
            updatedAt: try row.field("updated_at"))
    }
}

extension ErrorRecord {
    init(row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row.field("id"),
            jobID: try row.field("job_id"),
            documentID: try row.field("document_id"),
            kind: try row.enumField("kind"),
            reason: try row.field("reason"),
            responseHash: try row.field("response_hash"),
            excerpt: try row.field("excerpt"),
            createdAt: try row.field("created_at"))
    }
}

extension Feedback {
    init(row: PostgresRandomAccessRow) throws {
        let corrected: String? = try row.field("corrected_value_json")
        let reviewed: String? = try row.field("reviewed_value_json")
        self.init(
            id: try row.field("id"), extractionID: try row.field("extraction_id"),
            verdict: try row.enumField("verdict"), correctedValue: try corrected.map { try JSONValue.parse($0) },
            note: try row.field("note"), author: try row.field("author"), variable: try row.field("variable"),
            createdAt: try row.field("created_at"))
        documentID = try row.field("document_id")
        entityIndex = try row.field("entity_index")
        reviewedValue = try reviewed.map { try JSONValue.parse($0) }
    }
}

extension UserAccount {
    init(row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row.field("id"), email: try row.field("email"), passwordHash: try row.field("password_hash"),
            role: try row.field("role"), createdAt: try row.field("created_at"),
            tokenGeneration: try row.field("token_generation"))
    }
}

extension APIKeyRecord {
    init(row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row.field("id"), userID: try row.field("user_id"), name: try row.field("name"),
            prefix: try row.field("prefix"), createdAt: try row.field("created_at"))
    }
}

extension SuggestionSet {
    init(row: PostgresRandomAccessRow) throws {
        let version: Int64? = try row.field("codebook_version")
        self.init(
            id: try row.field("id"), projectID: try row.field("project_id"), kind: try row.enumField("kind"),
            variable: try row.field("variable"), codebookVersion: version.map { Int($0) }, model: try row.field("model"),
            promptVersion: try row.field("prompt_version"), reply: try row.jsonField("reply_json"), createdAt: try row.field("created_at"))
    }
}
