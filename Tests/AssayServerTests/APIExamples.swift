import AssayCore
import AssayEngine
import AssayService
import AssayStore
import AssayTraces
import Foundation
import HTTPTypes

@testable import AssayServer

/// Representative values of every response type, for `OpenAPIResponseTests`: `full` sets every
/// optional field (and picks the richer form where a response has two), `bare` leaves them nil.
enum APIExamples {
    static let date = Date(timeIntervalSince1970: 1_790_000_000)
    static let identity = Identity(userID: 7, email: "ada@example.org", role: "researcher", viaAPIKey: false)
    static let user = UserDTO(identity: identity, canSeePatterns: true)
    static let apiKey = APIKeyDTO(APIKeyRecord(id: 3, userID: 7, name: "ci", prefix: "ak_12345", createdAt: date))
    static let project = ProjectDTO(
        SharedProject(
            project: Project(
                id: 1, name: "Protests", description: "2024 coverage", budget: Budget(maxTokens: 2_000_000, maxCost: 5), createdAt: date),
            role: .coder))
    static let document = Document(
        id: 2, projectID: 1, externalID: "news/a.txt", title: "A march", mediaType: "text/plain",
        text: "Protest in City1.", contentHash: "h", wordCount: 3, tokenCount: 5, status: .failed,
        error: "unreadable", metadata: ["source": "upload"], createdAt: date)
    static let bareDocument = Document(
        id: 2, projectID: 1, externalID: "a.txt", mediaType: "text/plain", text: "", contentHash: "h",
        wordCount: 0, tokenCount: 0, status: .ready, createdAt: date)
    static let duplicate = Duplicate(
        documentID: 2, externalID: "news/a.txt", originalID: 1, originalExternalID: "wire/a.txt", similarity: 0.91,
        exact: false)
    static let skipped = Duplicate(
        documentID: nil, externalID: "a.txt", originalID: 1, originalExternalID: "b.txt", similarity: 1, exact: true)
    /// Krippendorff's four coders: every figure defined, with intervals and a verdict.
    static let agreement = try! AgreementReport(
        Ratings(
            coders: ["a", "b", "c"], units: ["1", "2", "3", "4"],
            values: [["x", "x", "y"], ["y", "y", "y"], ["x", nil, "x"], ["y", "x", "y"]]), resamples: 100)
    /// No variation: the chance-corrected figures and the verdict are absent.
    static let bareAgreement = try! AgreementReport(
        Ratings(coders: ["a", "b"], units: ["1"], values: [["x", "x"]]), resamples: 100)
    static let gold = GoldReport(
        [
            GoldReport.Item(unit: "a", gold: "true", model: "true", confidence: 0.9, modelConfidence: 0.8),
            GoldReport.Item(unit: "b", gold: "false", model: "true", confidence: 0.4),
        ], categorical: true)
    static let upload = UploadDTO(Documents.UploadResult(externalID: "a.txt", document: nil, outcome: nil, duplicate: nil))

    static let codebook = Codebook(
        name: "Protests", description: "Protest events", instructions: "Use the text only.",
        variables: [
            Variable(
                name: "violence", displayName: "Violence", type: .boolean, instructions: "Any violence?", required: true,
                examples: [
                    Example(text: "Police fired tear gas.", value: true, evidence: "fired tear gas"),
                    Example(text: "They shouted insults.", value: false, kind: .negative),
                ], definition: "Physical force.", include: ["Police violence counts."], exclude: ["Threats do not."]),
            Variable(
                name: "organiser", type: .category, categories: [Category(code: "union", label: "Union", description: "A trade union")],
                ifUncertain: .null, ifMultipleValues: .all, maxValues: 2, defaultValue: "union",
                validation: ValidationRules(
                    min: 0, max: 9, pattern: "^[a-z]+$", minLength: 1, maxLength: 20,
                    minDate: "2020-01-01", maxDate: "2030-12-31"),
                dependsOn: Dependency(variable: "violence", equals: true, oneOf: [true], present: true)),
        ])
    /// A stored run summary (its stored form is the only public way to make one).
    static let traceRun = try! TraceRunSummary(
        jsonText: """
            {"documentIDs": [4], "runID": 9, "status": "completed", "startedAt": "2026-09-21T12:00:00Z",
             "finishedAt": "2026-09-21T12:01:00Z", "tracesReceived": 2, "patternsStored": 1, "validationFailures": 1,
             "processingErrors": 0, "timeouts": 0, "failures": [{"traceID": "t-2", "kind": "validation", "reason": "no failure_type"}],
             "model": "m", "temperature": 0, "traceTimeBudgetSeconds": 300, "promptHash": "p"}
            """)
    static let version = CodebookVersion(projectID: 1, version: 2, codebook: codebook, codebookHash: "c", promptHash: "p", createdAt: date)
    static let job = {
        var job = Job(
            id: 9, projectID: 1, kind: .sample, status: .failed, codebookVersion: 2, promptHash: "p", model: "qwen",
            selection: JobSelection(sampleSize: 5, documentIDs: [2, 3], seed: 42, runs: 3, maxTokens: 10_000, maxCost: 2, batch: true),
            total: 5, processed: 5, succeeded: 3, flagged: 1, failed: 1, tokensIn: 900, tokensOut: 120,
            error: "stopped: too many failures", createdAt: date, startedAt: date, finishedAt: date)
        job.tokensCached = 600
        job.cost = 0.0012
        return job
    }()
    static let bareJob = Job(
        id: 9, projectID: 1, kind: .full, codebookVersion: 2, promptHash: "p", model: "qwen",
        selection: JobSelection(), createdAt: date)
    static let event = JobEvent(id: 4, jobID: 9, kind: .docFailed, documentID: 2, message: "reply is not JSON", createdAt: date)
    static let extraction = {
        var value = Extraction(
            id: 5, documentID: 2, variable: "organiser", entityIndex: 1, entityText: "FENPROF",
            value: ["union"], confidence: 0.8,
            evidence: Evidence(quote: "the union", start: 4, end: 13, match: .exact),
            rationale: "named", status: .flagged, error: "below the threshold", codebookVersion: 2,
            promptHash: "p", model: "qwen", jobID: 9, createdAt: date,
            settings: ModelSettings(temperature: 0, runs: 3, variedTemperature: 0.7))
        value.runValues = [["union"], ["union"], nil]
        value.runAgreement = 2.0 / 3
        value.modelConfidence = 0.9
        return value
    }()
    static let bareExtraction = Extraction(
        id: 5, documentID: 2, variable: "organiser", value: .null, confidence: nil, evidence: nil,
        rationale: nil, status: .failed, codebookVersion: 2, promptHash: "p", model: "qwen",
        jobID: nil, createdAt: date)
    static let feedback: Feedback = {
        var feedback = Feedback(
            id: 6, extractionID: 5, verdict: .partiallyCorrect, correctedValue: ["union", "students"],
            note: "two groups", author: "ada@example.org", variable: "organiser", createdAt: date)
        (feedback.documentID, feedback.reviewedValue) = (2, ["union"])
        return feedback
    }()
    static let all: [OpenAPIResponseTests.ResponseExample] = {
        typealias ResponseExample = OpenAPIResponseTests.ResponseExample
        return [
            ResponseExample(schema: "User", full: user, bare: user),
            ResponseExample(schema: "Tokens", full: tokens, bare: tokens),
            ResponseExample(schema: "APIKey", full: apiKey, bare: apiKey),
            ResponseExample(
                schema: "NewAPIKey", full: NewAPIKeyDTO(key: apiKey, secret: "ak_secret"), bare: NewAPIKeyDTO(key: apiKey, secret: "")),
            ResponseExample(
                schema: "Registration", full: AccountController.RegistrationDTO(email: "ada@example.org", detail: "registered"),
                bare: AccountController.RegistrationDTO(email: "", detail: "")),
            ResponseExample(schema: "Project", full: project, bare: ProjectDTO(Project(id: 1, name: "p", createdAt: date))),
            ResponseExample(
                schema: "Document", full: DocumentDTO(document, full: true, outcome: .flagged), bare: DocumentDTO(bareDocument)),
            ResponseExample(
                schema: "Upload",
                full: UploadDTO(
                    Documents.UploadResult(externalID: "news/a.txt", document: document, outcome: .updated, duplicate: duplicate)),
                bare: upload),
            ResponseExample(schema: "Duplicate", full: DuplicateDTO(duplicate), bare: DuplicateDTO(skipped)),
            ResponseExample(schema: "AgreementReport", full: agreement, bare: bareAgreement),
            ResponseExample(schema: "AgreementFigure", full: agreement.alpha, bare: bareAgreement.alpha),
            ResponseExample(
                schema: "VariableAgreement",
                full: Coders.VariableAgreement(
                    variable: codebook.variables[0], level: .nominal, people: ["ann", "bob"], model: "m", amongPeople: agreement,
                    withModel: agreement, modelGaveNoValue: 1),
                bare: Coders.VariableAgreement(
                    variable: codebook.variables[0], level: .interval, people: ["ann"], model: nil, amongPeople: nil,
                    withModel: nil, modelGaveNoValue: 0)),
            ResponseExample(
                schema: "CoderImport",
                full: QualityController.ImportDTO(stored: 2, coders: ["ann"], unknownDocuments: ["z.txt"], unknownVariables: ["x"]),
                bare: QualityController.ImportDTO(stored: 0, coders: [], unknownDocuments: [], unknownVariables: [])),
            ResponseExample(
                schema: "Coder", full: QualityController.CoderDTO(coder: "ann", codes: 3, documents: 2),
                bare: QualityController.CoderDTO(coder: "", codes: 0, documents: 0)),
            ResponseExample(schema: "GoldReport", full: gold, bare: GoldReport([], categorical: false)),
            ResponseExample(
                schema: "Evaluation",
                full: QualityController.EvalDTO(
                    items: [.init(variable: "violence", report: gold)], unknownDocuments: ["z"], unknownVariables: ["q"]),
                bare: QualityController.EvalDTO(items: [], unknownDocuments: [], unknownVariables: [])),
            ResponseExample(
                schema: "Calibration", full: ListDTO(items: [QualityController.EvalDTO.Item(variable: "violence", report: gold)]),
                bare: ListDTO(items: [QualityController.EvalDTO.Item]())),
            ResponseExample(
                schema: "CodebookVersion", full: CodebookVersionDTO(version, full: true), bare: CodebookVersionDTO(version, full: false)),
            ResponseExample(schema: "Codebook", full: codebook, bare: Codebook(variables: []), requiredIsWhatIsAlwaysSent: false),
            ResponseExample(
                schema: "Variable", full: codebook.variables[1], bare: Variable(name: "x", type: .text), requiredIsWhatIsAlwaysSent: false),
            ResponseExample(
                schema: "CodebookChange",
                full: CodebookController.ChangeDTO(version: CodebookVersionDTO(version, full: false), variable: codebook.variables[0]),
                bare: CodebookController.ChangeDTO(version: CodebookVersionDTO(version, full: false), variable: nil)),
            ResponseExample(schema: "Prompt", full: prompt, bare: prompt),
            ResponseExample(schema: "Job", full: JobDTO(job), bare: JobDTO(bareJob)),
            ResponseExample(
                schema: "Spending",
                full: SpendingDTO(Spending(tokensIn: 900, tokensOut: 120, tokensCached: 600, cost: 0.0012, costPerDocument: 0.0003)),
                bare: SpendingDTO(Spending())),
            ResponseExample(
                schema: "JobEvent", full: JobEventDTO(event),
                bare: JobEventDTO(JobEvent(id: 4, jobID: 9, kind: .jobStarted, createdAt: date))),
            ResponseExample(
                schema: "JobUpdate",
                full: {
                    var update = JobUpdate(type: .documentFailed, job: job, documentID: 2, externalID: "a.txt", reason: "timeout")
                    var batch = BatchActivity(model: "gpt-4o-mini")
                    (batch.batches, batch.requests, batch.completed, batch.failed, batch.gathering) = (1, 5, 3, 1, 0)
                    update.batch = batch
                    return update
                }(),
                bare: JobUpdate(type: .progress, job: bareJob)),
            ResponseExample(
                schema: "Extraction", full: ExtractionDTO(extraction, pages: PageStarts([0, 3])), bare: ExtractionDTO(bareExtraction)),
            ResponseExample(
                schema: "ExtractionPage",
                full: PageDTO(items: [ExtractionDTO(extraction, pages: PageStarts([0, 3]))], total: 3, limit: 1, offset: 0),
                bare: PageDTO(items: [ExtractionDTO](), total: 0, limit: 50, offset: 0)),
            ResponseExample(
                schema: "Feedback", full: FeedbackDTO(feedback),
                bare: FeedbackDTO(Feedback(id: 6, extractionID: nil, verdict: .correct, createdAt: date))),
            ResponseExample(
                schema: "RunOnce", full: PatternController.RunOnceDTO(job: JobDTO(job), detail: "trace run started as job #1"),
                bare: PatternController.RunOnceDTO(job: nil, detail: "no unprocessed traces")),
            ResponseExample(schema: "TraceRun", full: TraceRunDTO(traceRun), bare: TraceRunDTO(traceRun)),
            ResponseExample(
                schema: "Readiness", full: HealthController.ReadyDTO(status: "degraded", store: "ok", provider: "unreachable"),
                bare: HealthController.ReadyDTO(status: "ok", store: "ok", provider: "ok")),
            ResponseExample(
                schema: "Member",
                full: SharingController.MemberDTO(Sharing.Member(userID: "2", email: "bob@example.org", role: .coder, isCreator: false)),
                bare: SharingController.MemberDTO(Sharing.Member(userID: "9", email: nil, role: .owner, isCreator: true))),
            ResponseExample(
                schema: "CoderWork",
                full: SharingController.WorkDTO(
                    Assignments.Work(
                        userID: "2", email: "bob@example.org",
                        items: [Assignments.Item(documentID: 3, externalID: "a.txt", blind: true, coded: true)])),
                bare: SharingController.WorkDTO(Assignments.Work(userID: "2", email: nil, items: []))),
            ResponseExample(
                schema: "HumanCodes", full: SharingController.CodesDTO(documentID: 3, values: ["city": "Lisbon"]),
                bare: SharingController.CodesDTO(documentID: 3, values: [:])),
            ResponseExample(
                schema: "Problem", full: APIProblem.invalid("name", "must not be empty"), bare: APIProblem(.notFound, "project not found")),
        ]
    }()

    static var tokens: TokenDTO { TokenDTO(accessToken: "eyJ.a.b", refreshToken: "r", expiresIn: 900, user: user) }
    static var prompt: CodebookController.PromptDTO {
        CodebookController.PromptDTO(
            version: 2, promptHash: "p", messages: [.system("Code it."), .user("<document>\n…\n</document>")],
            schema: ["type": "object"])
    }
}
