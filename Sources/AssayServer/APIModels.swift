import AssayCore
import AssayEngine
import AssayService
import AssayStore
import Foundation

// The JSON shapes of the API, snake_case, one per noun. Built from the core types so the
// handlers never format by hand.

struct UserDTO: Codable, Sendable {
    var id: Int64
    var email: String
    var role: String
    var canSeePatterns: Bool
    enum CodingKeys: String, CodingKey {
        case id, email, role
        case canSeePatterns = "can_see_patterns"
    }

    init(identity: Identity, canSeePatterns: Bool) {
        id = identity.userID
        email = identity.email
        role = identity.role
        self.canSeePatterns = canSeePatterns
    }
}

struct TokenDTO: Codable, Sendable {
    var accessToken: String
    var refreshToken: String
    var expiresIn: Int
    var tokenType = "Bearer"
    var user: UserDTO
    enum CodingKeys: String, CodingKey {
        case user
        case accessToken = "access_token"
        case refreshToken = "refresh_token"
        case expiresIn = "expires_in"
        case tokenType = "token_type"
    }
}

struct APIKeyDTO: Codable, Sendable {
    var id: Int64
    var name: String
    var prefix: String
    var createdAt: Date
    enum CodingKeys: String, CodingKey {
        case id, name, prefix
        case createdAt = "created_at"
    }

    init(_ record: APIKeyRecord) {
        id = record.id
        name = record.name
        prefix = record.prefix
        createdAt = record.createdAt
    }
}

struct NewAPIKeyDTO: Codable, Sendable {
    var key: APIKeyDTO
    /// Shown once; only its hash is kept.
    var secret: String
}

struct ListDTO<Item: Codable & Sendable>: Codable, Sendable {
    var items: [Item]
}

struct PageDTO<Item: Codable & Sendable>: Codable, Sendable {
    var items: [Item]
    var total: Int
    var limit: Int
    var offset: Int
    var nextOffset: Int?
    enum CodingKeys: String, CodingKey {
        case items, total, limit, offset
        case nextOffset = "next_offset"
    }

    init(items: [Item], total: Int, limit: Int, offset: Int) {
        self.items = items
        self.total = total
        self.limit = limit
        self.offset = offset
        nextOffset = offset + items.count < total ? offset + items.count : nil
    }
}

struct ProjectDTO: Codable, Sendable {
    var id: Int64
    var name: String
    var description: String?
    var status: ProjectStatus
    var unit: UnitOfObservation
    /// Which entities each document's rows are, when `unit` is `entity`.
    var entityInstruction: String?
    /// What the project's jobs together may spend; absent when there is no limit.
    var budget: BudgetDTO?
    /// The caller's role in the project (owner for their own; coder or viewer when shared with them).
    var role: ProjectRole?
    var createdAt: Date
    enum CodingKeys: String, CodingKey {
        case id, name, description, status, unit, budget, role
        case entityInstruction = "entity_instruction"
        case createdAt = "created_at"
    }

    init(_ shared: SharedProject) {
        self.init(shared.project)
        role = shared.role
    }

    init(_ p: Project) {
        id = p.id
        name = p.name
        description = p.description
        status = p.status
        unit = p.unit
        entityInstruction = p.entityInstruction
        budget = p.budget.isEmpty ? nil : BudgetDTO(p.budget)
        createdAt = p.createdAt
    }
}

/// A budget in tokens (input and output) and US dollars; either may be absent.
struct BudgetDTO: Codable, Sendable {
    var maxTokens: Int?
    var maxCost: Double?
    enum CodingKeys: String, CodingKey {
        case maxTokens = "max_tokens"
        case maxCost = "max_cost"
    }

    init(_ b: Budget) {
        maxTokens = b.maxTokens
        maxCost = b.maxCost
    }

    var budget: Budget { Budget(maxTokens: maxTokens, maxCost: maxCost) }
}

struct DocumentDTO: Codable, Sendable {
    var id: Int64
    var projectID: Int64
    var externalID: String
    var title: String?
    var mediaType: String
    var status: DocumentStatus
    var error: String?
    var wordCount: Int
    var tokenCount: Int
    var contentHash: String
    var createdAt: Date
    /// Only in `GET /documents/{id}`.
    var text: String?
    var metadata: JSONValue?
    /// The latest outcome under any codebook version, when it has one.
    var outcome: DocumentOutcomeKind?
    enum CodingKeys: String, CodingKey {
        case id, title, status, error, text, metadata, outcome
        case projectID = "project_id"
        case externalID = "external_id"
        case mediaType = "media_type"
        case wordCount = "word_count"
        case tokenCount = "token_count"
        case contentHash = "content_hash"
        case createdAt = "created_at"
    }

    init(_ d: Document, full: Bool = false, outcome: DocumentOutcomeKind? = nil) {
        id = d.id
        projectID = d.projectID
        externalID = d.externalID
        title = d.title
        mediaType = d.mediaType
        status = d.status
        error = d.error
        wordCount = d.wordCount
        tokenCount = d.tokenCount
        contentHash = d.contentHash
        createdAt = d.createdAt
        text = full ? d.text : nil
        // Optional(...): a bare `nil` here would be JSONValue's nil literal, sent as "metadata": null.
        metadata = full ? Optional(d.metadata) : nil
        self.outcome = outcome
    }
}

/// One uploaded document: stored (`document`, with `inserted`, `updated` or `unchanged`), or left
/// out as a duplicate (`skipped`, no `document`); `duplicate_of` when it duplicates another.
struct UploadDTO: Codable, Sendable {
    var externalID: String
    var document: DocumentDTO?
    var outcome: String
    var duplicateOf: DuplicateDTO?
    enum CodingKeys: String, CodingKey {
        case document, outcome
        case externalID = "external_id"
        case duplicateOf = "duplicate_of"
    }

    init(_ result: Documents.UploadResult) {
        externalID = result.externalID
        document = result.document.map { DocumentDTO($0) }
        outcome = result.outcome?.rawValue ?? "skipped"
        duplicateOf = result.duplicate.map(DuplicateDTO.init)
    }
}

/// A document that duplicates an earlier one: the same text (`exact`), or a near duplicate with
/// the estimated share of shared word 3-shingles.
struct DuplicateDTO: Codable, Sendable {
    /// Absent when the duplicate was skipped, so never stored.
    var documentID: Int64?
    var externalID: String
    var originalID: Int64
    var originalExternalID: String
    var similarity: Double
    var exact: Bool
    enum CodingKeys: String, CodingKey {
        case similarity, exact
        case documentID = "document_id"
        case externalID = "external_id"
        case originalID = "original_id"
        case originalExternalID = "original_external_id"
    }

    init(_ d: Duplicate) {
        documentID = d.documentID
        externalID = d.externalID
        originalID = d.originalID
        originalExternalID = d.originalExternalID
        similarity = d.similarity
        exact = d.exact
    }
}

struct CodebookVersionDTO: Codable, Sendable {
    var version: Int
    var promptHash: String
    var codebookHash: String
    var createdAt: Date
    var variables: Int
    var codebook: Codebook?
    enum CodingKeys: String, CodingKey {
        case version, variables, codebook
        case promptHash = "prompt_hash"
        case codebookHash = "codebook_hash"
        case createdAt = "created_at"
    }

    init(_ v: CodebookVersion, full: Bool) {
        version = v.version
        promptHash = v.promptHash
        codebookHash = v.codebookHash
        createdAt = v.createdAt
        variables = v.codebook.variables.count
        codebook = full ? v.codebook : nil
    }
}

struct JobDTO: Codable, Sendable {
    var id: Int64
    var projectID: Int64
    var kind: JobKind
    var status: JobStatus
    var codebookVersion: Int
    var model: String
    var total: Int
    var processed: Int
    var succeeded: Int
    var flagged: Int
    var failed: Int
    /// Processed share of the total, 0...1.
    var progress: Double
    var tokensIn: Int
    var tokensOut: Int
    var tokensCached: Int
    var cost: Double?
    var error: String?
    var createdAt: Date
    var startedAt: Date?
    var finishedAt: Date?
    var selection: SelectionDTO
    enum CodingKeys: String, CodingKey {
        case id, kind, status, model, total, processed, succeeded, flagged, failed, progress, error, selection, cost
        case tokensCached = "tokens_cached"
        case projectID = "project_id"
        case codebookVersion = "codebook_version"
        case tokensIn = "tokens_in"
        case tokensOut = "tokens_out"
        case createdAt = "created_at"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }

    init(_ j: Job) {
        id = j.id
        projectID = j.projectID
        kind = j.kind
        status = j.status
        codebookVersion = j.codebookVersion
        model = j.model
        total = j.total
        processed = j.processed
        succeeded = j.succeeded
        flagged = j.flagged
        failed = j.failed
        progress = j.total == 0 ? (j.status == .completed ? 1 : 0) : Double(j.processed) / Double(j.total)
        tokensIn = j.tokensIn
        tokensOut = j.tokensOut
        tokensCached = j.tokensCached
        cost = j.cost
        error = j.error
        createdAt = j.createdAt
        startedAt = j.startedAt
        finishedAt = j.finishedAt
        selection = SelectionDTO(j.selection)
    }
}

/// Which documents a job covers, as the start request names them.
struct SelectionDTO: Codable, Sendable {
    var sampleSize: Int?
    var documentIDs: [Int64]?
    var seed: UInt64?
    var runs: Int?
    var maxTokens: Int?
    var maxCost: Double?
    var batch: Bool?
    enum CodingKeys: String, CodingKey {
        case seed, runs, batch
        case sampleSize = "sample_size"
        case documentIDs = "document_ids"
        case maxTokens = "max_tokens"
        case maxCost = "max_cost"
    }

    init(_ s: JobSelection) {
        sampleSize = s.sampleSize
        documentIDs = s.documentIDs
        seed = s.seed
        runs = s.runs
        maxTokens = s.maxTokens
        maxCost = s.maxCost
        batch = s.batch
    }
}

struct JobEventDTO: Codable, Sendable {
    var id: Int64
    var kind: JobEventKind
    var documentID: Int64?
    var message: String?
    var createdAt: Date
    enum CodingKeys: String, CodingKey {
        case id, kind, message
        case documentID = "document_id"
        case createdAt = "created_at"
    }

    init(_ e: JobEvent) {
        id = e.id
        kind = e.kind
        documentID = e.documentID
        message = e.message
        createdAt = e.createdAt
    }
}

struct ExtractionDTO: Codable, Sendable {
    var id: Int64
    var documentID: Int64
    var variable: String
    var entityIndex: Int
    var entityText: String?
    var value: JSONValue
    var confidence: Double?
    var evidence: EvidenceDTO?
    var rationale: String?
    var status: ExtractionStatus
    var error: String?
    var codebookVersion: Int
    var model: String
    var jobID: Int64?
    var createdAt: Date
    var settings: ModelSettings?
    var runs: Int
    var runAgreement: Double?
    var runValues: [JSONValue?]?
    var modelConfidence: Double?
    enum CodingKeys: String, CodingKey {
        case id, variable, value, confidence, evidence, rationale, status, error, model, settings, runs
        case documentID = "document_id"
        case entityIndex = "entity_index"
        case entityText = "entity_text"
        case codebookVersion = "codebook_version"
        case jobID = "job_id"
        case createdAt = "created_at"
        case runAgreement = "run_agreement"
        case runValues = "run_values"
        case modelConfidence = "model_confidence"
    }

    /// - Parameter pages: the document's page starts when it has pages (a PDF), for the evidence's page.
    init(_ e: Extraction, pages: PageStarts? = nil) {
        id = e.id
        documentID = e.documentID
        variable = e.variable
        entityIndex = e.entityIndex
        entityText = e.entityText
        value = e.value
        confidence = e.confidence
        evidence = e.evidence.map { EvidenceDTO($0, pages: pages) }
        rationale = e.rationale
        status = e.status
        error = e.error
        codebookVersion = e.codebookVersion
        model = e.model
        jobID = e.jobID
        createdAt = e.createdAt
        settings = e.settings
        runs = e.runs
        runAgreement = e.runAgreement
        runValues = e.runValues
        modelConfidence = e.modelConfidence
    }
}

/// A value's evidence: the quote, its offsets in the document's text (Unicode scalars,
/// end-exclusive), how it was found, and its 1-based page in a paged document (a PDF).
struct EvidenceDTO: Codable, Sendable {
    var quote: String
    var start: Int?
    var end: Int?
    var match: GroundingMatch
    var page: Int?

    init(_ evidence: Evidence, pages: PageStarts?) {
        quote = evidence.quote
        start = evidence.start
        end = evidence.end
        match = evidence.match
        page = evidence.start.flatMap { pages?.page(atOffset: $0) }
    }
}

struct FeedbackDTO: Codable, Sendable {
    var id: Int64
    var extractionID: Int64?
    var documentID: Int64
    var entityIndex: Int
    var reviewedValue: JSONValue?
    var variable: String?
    var verdict: FeedbackVerdict
    var correctedValue: JSONValue?
    var note: String?
    var author: String?
    var createdAt: Date
    enum CodingKeys: String, CodingKey {
        case id, variable, verdict, note, author
        case extractionID = "extraction_id"
        case documentID = "document_id"
        case entityIndex = "entity_index"
        case reviewedValue = "reviewed_value"
        case correctedValue = "corrected_value"
        case createdAt = "created_at"
    }

    init(_ f: Feedback) {
        id = f.id
        extractionID = f.extractionID
        documentID = f.documentID
        entityIndex = f.entityIndex
        reviewedValue = f.reviewedValue
        variable = f.variable
        verdict = f.verdict
        correctedValue = f.correctedValue
        note = f.note
        author = f.author
        createdAt = f.createdAt
    }
}

/// What a project's jobs spent (`GET /projects/{id}/spending`).
struct SpendingDTO: Codable, Sendable {
    var tokensIn: Int
    var tokensOut: Int
    var tokensCached: Int
    var cachedShare: Double
    var cost: Double?
    var costPerDocument: Double?
    enum CodingKeys: String, CodingKey {
        case cost
        case tokensIn = "tokens_in"
        case tokensOut = "tokens_out"
        case tokensCached = "tokens_cached"
        case cachedShare = "cached_share"
        case costPerDocument = "cost_per_document"
    }

    init(_ s: Spending) {
        tokensIn = s.tokensIn
        tokensOut = s.tokensOut
        tokensCached = s.tokensCached
        cachedShare = s.cachedShare
        cost = s.cost
        costPerDocument = s.costPerDocument
    }
}
