import AssayCore

/// The expected pattern of one labelled trace (examples/traces/labels.jsonl): the reference an
/// evaluation compares extracted patterns with, and the sensitive values planted in the trace
/// that must never reach a stored pattern.
public struct TraceLabel: Sendable, Hashable {
    /// A sensitive value planted in a trace, with the redactor's kind name (`email`, `api_key`).
    public struct PlantedValue: Sendable, Hashable {
        public var kind: String
        public var value: String

        public init(kind: String, value: String) {
            self.kind = kind
            self.value = value
        }
    }

    public var traceID: String
    /// Kept as text: a label may name a value outside the vocabulary, which then never matches.
    public var failureType: String
    public var triggerCondition: String
    public var severity: String?
    public var plantedPII: [PlantedValue]
    public var scenario: String?

    public init(
        traceID: String, failureType: String, triggerCondition: String, severity: String? = nil,
        plantedPII: [PlantedValue] = [], scenario: String? = nil
    ) {
        self.traceID = traceID
        self.failureType = failureType
        self.triggerCondition = triggerCondition
        self.severity = severity
        self.plantedPII = plantedPII
        self.scenario = scenario
    }

    /// Reads one label object; the failure names the first field that is missing or wrong.
    public static func decode(_ json: JSONValue) -> Result<TraceLabel, LabelProblem> {
        guard case .object = json else { return .failure(LabelProblem(reason: "not a JSON object")) }
        func required(_ key: String) -> Result<String, LabelProblem> {
            guard let text = json[key]?.stringValue, !text.isEmpty else {
                return .failure(LabelProblem(reason: "no '\(key)' (a non-empty string)"))
            }
            return .success(text)
        }
        var planted: [PlantedValue] = []
        for (i, item) in (json["planted_pii"]?.arrayValue ?? []).enumerated() {
            guard let kind = item["kind"]?.stringValue, let value = item["value"]?.stringValue, !value.isEmpty else {
                return .failure(LabelProblem(reason: "planted_pii[\(i)] needs a 'kind' and a non-empty 'value'"))
            }
            planted.append(PlantedValue(kind: kind, value: value))
        }
        return required("trace_id").flatMap { traceID in
            required("failure_type").flatMap { failureType in
                required("trigger_condition").map { trigger in
                    TraceLabel(
                        traceID: traceID, failureType: failureType, triggerCondition: trigger,
                        severity: json["severity"]?.stringValue, plantedPII: planted,
                        scenario: json["scenario"]?.stringValue)
                }
            }
        }
    }
}

/// Why a label line could not be read.
public struct LabelProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { reason }
}
