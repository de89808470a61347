import AssayCore
import Foundation

/// What one `assay traces run` did, stored with the run and listed by `assay traces runs`.
public struct TraceRunSummary: Sendable, Hashable, Codable {
    /// A trace that ended without a pattern, and why.
    public struct Failure: Sendable, Hashable, Codable {
        public var traceID: String
        public var kind: String
        public var reason: String
    }

    /// The traces' documents, for the next batch of the same pass to leave out.
    public var documentIDs: [Int64]
    /// The run's id: the id of the job that ran the template over the traces.
    public var runID: Int64
    public var status: String
    public var startedAt: Date
    public var finishedAt: Date
    /// Traces the run picked up (unprocessed ones, up to the batch size).
    public var tracesReceived: Int
    public var patternsStored: Int
    /// Model output that did not make a schema-valid pattern.
    public var validationFailures: Int
    /// Provider errors and unusable replies.
    public var processingErrors: Int
    /// Traces that ran out of their time budget.
    public var timeouts: Int
    public var failures: [Failure]
    public var model: String
    public var temperature: Double
    public var traceTimeBudgetSeconds: Int
    public var promptHash: String

    /// The stored form, also what `assay traces runs --json` prints: sorted keys, ISO 8601 dates.
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// One line for lists.
    public var line: String {
        let date = ISO8601DateFormatter().string(from: startedAt)
        return "run #\(runID) \(status) \(date): \(tracesReceived) traces, \(patternsStored) patterns, "
            + "\(validationFailures) invalid, \(processingErrors) errors, \(timeouts) timeouts (model \(model), prompt \(promptHash.prefix(12)))"
    }
}

extension TraceRunSummary {
    /// Reads the stored form back (an extension, so the memberwise initializer stays).
    public init(jsonText: String) throws {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        self = try decoder.decode(TraceRunSummary.self, from: Data(jsonText.utf8))
    }
}
