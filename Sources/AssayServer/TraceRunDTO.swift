import AssayTraces
import Foundation

/// A trace run's summary as the API sends it: the API's snake_case keys. (The stored form and
/// `assay traces runs --json` keep `TraceRunSummary`'s own keys, which existing databases hold.)
struct TraceRunDTO: Codable, Sendable {
    struct Failure: Codable, Sendable {
        var traceID: String
        var kind: String
        var reason: String
        enum CodingKeys: String, CodingKey {
            case kind, reason
            case traceID = "trace_id"
        }
    }

    var runID: Int64
    var status: String
    var startedAt: Date
    var finishedAt: Date
    var tracesReceived: Int
    var patternsStored: Int
    var validationFailures: Int
    var processingErrors: Int
    var timeouts: Int
    var failures: [Failure]
    var model: String
    var temperature: Double
    var traceTimeBudgetSeconds: Int
    var promptHash: String

    enum CodingKeys: String, CodingKey {
        case status, timeouts, failures, model, temperature
        case runID = "run_id"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case tracesReceived = "traces_received"
        case patternsStored = "patterns_stored"
        case validationFailures = "validation_failures"
        case processingErrors = "processing_errors"
        case traceTimeBudgetSeconds = "trace_time_budget_seconds"
        case promptHash = "prompt_hash"
    }

    init(_ s: TraceRunSummary) {
        runID = s.runID
        status = s.status
        startedAt = s.startedAt
        finishedAt = s.finishedAt
        tracesReceived = s.tracesReceived
        patternsStored = s.patternsStored
        validationFailures = s.validationFailures
        processingErrors = s.processingErrors
        timeouts = s.timeouts
        failures = s.failures.map { Failure(traceID: $0.traceID, kind: $0.kind, reason: $0.reason) }
        model = s.model
        temperature = s.temperature
        traceTimeBudgetSeconds = s.traceTimeBudgetSeconds
        promptHash = s.promptHash
    }
}
