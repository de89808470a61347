import Foundation

/// One variable's value after coercion, rules, dependency, grounding and threshold: what is stored.
public struct ProcessedValue: Sendable, Hashable {
    public var variable: String
    public var value: JSONValue
    public var confidence: Double?
    public var evidence: Evidence?
    public var rationale: String?
    public var status: ExtractionStatus
    /// Why the value is flagged, failed, withheld or defaulted.
    public var note: String?
    /// `if_uncertain: skip` left nothing to store.
    public var skipped: Bool

    public init(
        variable: String, value: JSONValue, confidence: Double?, evidence: Evidence?, rationale: String?,
        status: ExtractionStatus, note: String? = nil, skipped: Bool = false
    ) {
        self.variable = variable
        self.value = value
        self.confidence = confidence
        self.evidence = evidence
        self.rationale = rationale
        self.status = status
        self.note = note
        self.skipped = skipped
    }
}

/// Applies the codebook to a parsed reply, variable by variable in codebook order (so a
/// `depends_on` sees the final value of the variable it depends on).
public enum ValuePostProcessor {
    public static func process(_ reply: ParsedReply, codebook: Codebook, documentText: String) -> [ProcessedValue] {
        var done: [String: ProcessedValue] = [:]
        var result: [ProcessedValue] = []
        for variable in codebook.variables {
            let answer = reply.answers[variable.name] ?? RawAnswer(value: .null, confidence: 0)
            let value = process(answer, variable: variable, documentText: documentText, earlier: done)
            done[variable.name] = value
            result.append(value)
        }
        return result
    }

    static func process(
        _ answer: RawAnswer, variable: Variable, documentText: String,
        earlier: [String: ProcessedValue]
    ) -> ProcessedValue {
        let quote = answer.evidence.trimmingCharacters(in: .whitespacesAndNewlines)
        var out = ProcessedValue(
            variable: variable.name, value: .null, confidence: answer.confidence,
            evidence: quote.isEmpty ? nil : Grounder.locate(quote, in: documentText),
            rationale: answer.rationale.isEmpty ? nil : answer.rationale, status: .validated)
        var notes: [String] = []
        func finish(_ status: ExtractionStatus) -> ProcessedValue {
            out.status = status
            out.note = notes.isEmpty ? nil : notes.joined(separator: "; ")
            return out
        }

        if let dependency = variable.dependsOn, !holds(dependency, earlier[dependency.variable]?.value ?? .null) {
            notes.append("does not apply: needs \(dependency.conditionText)")
            if !answer.value.isNull { notes.append("model answered \(short(answer.value))") }
            return finish(.validated)
        }

        // Several values → the variable's rule; then coerce each.
        let coerced: JSONValue
        do {
            coerced = try pickAndCoerce(answer.value, variable: variable, notes: &notes)
        } catch {
            notes.append(error.description)
            return finish(.failed)
        }
        out.value = coerced

        if coerced.isNull || coerced == .array([]) {
            out.value = .null
            if let fallback = variable.defaultValue {
                out.value = fallback
                notes.append("default used: the document gives no value")
            } else if variable.required {
                notes.append("required, but the document gives no value")
                return finish(.flagged)
            }
            return finish(.validated)
        }

        if let broken = RuleCheck.violation(of: coerced, rules: variable.validation, type: variable.type) {
            out.value = .null
            notes.append("\(short(coerced)) \(broken)")
            return finish(.failed)
        }

        var status = ExtractionStatus.validated
        switch out.evidence?.match {
        case nil:
            notes.append("no evidence quote given")
            status = .flagged
        case .notFound?:
            notes.append("evidence quote not found in the document")
            status = .flagged
        default: break
        }
        if answer.confidence < variable.confidenceThreshold {
            let why = "confidence \(format(answer.confidence)) below threshold \(format(variable.confidenceThreshold))"
            switch variable.ifUncertain {
            case .flag:
                notes.append(why)
                status = .flagged
            case .null:
                notes.append("\(why): value \(short(coerced)) withheld")
                out.value = .null
            case .skip:
                out.skipped = true
                notes.append(why)
            }
        }
        return finish(status)
    }

    /// Applies `if_multiple_values`, then coerces.
    static func pickAndCoerce(_ raw: JSONValue, variable: Variable, notes: inout [String]) throws(Coercion.Failure) -> JSONValue {
        let items = raw.arrayValue ?? (raw.isNull ? [] : [raw])
        if variable.ifMultipleValues == .all {
            var values: [JSONValue] = []
            for item in items {
                let value = try Coercion.coerce(item, to: variable)
                if !value.isNull, !values.contains(value) { values.append(value) }
            }
            if let max = variable.maxValues, values.count > max {
                notes.append("kept the first \(max) of \(values.count) values")
                values = Array(values.prefix(max))
            }
            return .array(values)
        }
        guard items.count > 1 else { return try Coercion.coerce(items.first ?? .null, to: variable) }
        let chosen: JSONValue =
            switch variable.ifMultipleValues {
            case .last: items.last!
            case .summarize where variable.type == .text: .string(items.map(\.displayText).joined(separator: "; "))
            default: items.first!
            }
        notes.append("\(items.count) values given; kept \(variable.ifMultipleValues.rawValue)")
        return try Coercion.coerce(chosen, to: variable)
    }

    /// Whether a dependency's condition holds for the value the other variable ended with.
    static func holds(_ dependency: Dependency, _ value: JSONValue) -> Bool {
        if let equals = dependency.equals { return value == equals || value.displayText.lowercased() == equals.displayText.lowercased() }
        if let options = dependency.oneOf {
            return options.contains { $0 == value || $0.displayText.lowercased() == value.displayText.lowercased() }
        }
        if let present = dependency.present { return present != value.isNull }
        return true
    }

    static func short(_ value: JSONValue) -> String {
        let text = value.serialized()
        return text.count > 60 ? String(text.prefix(57)) + "..." : text
    }

    static func format(_ x: Double) -> String { JSONValue.number(x).serialized() }
}
