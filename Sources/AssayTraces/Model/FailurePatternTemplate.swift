import AssayCore

/// The built-in codebook that turns one rendered failure trace into the model-supplied fields of a
/// failure pattern. The extraction engine runs it like any codebook; `FailurePattern.assemble`
/// then adds the fields Assay fills itself (ids, signals, notes, time) and checks the schema.
///
/// Variables come in the order the model answers them: first what happened, then the labels,
/// then the advice, and the title last — a small model classifies better after describing.
///
/// Text limits are short on purpose: grammar-constrained small models write up to the limit, and
/// a pattern is read by someone on call — a few sentences per field.
public enum FailurePatternTemplate {
    /// Codebook name; also the name under which a project can refer to the template.
    public static let name = "failure-patterns"

    /// Variable names, equal to the schema's property names.
    public enum Field {
        public static let summary = "summary"
        public static let failureType = "failure_type"
        public static let triggerCondition = "trigger_condition"
        public static let rootCauseHypothesis = "root_cause_hypothesis"
        public static let severity = "severity"
        public static let recommendedActions = "recommended_actions"
        public static let reproductionContext = "reproduction_context"
        public static let title = "title"
    }

    /// The template with the built-in trigger labels only.
    public static let builtIn: Codebook = make(extraTriggers: [])

    /// The template with a project's own trigger labels added after the built-in ones. A label
    /// that repeats a built-in one is dropped (the built-in meaning stays).
    /// - Throws: `CodebookError` when a label is not lowercase snake_case of 2–64 characters, or
    ///   the codebook fails `Codebook.validated()`.
    public static func codebook(extraTriggers: [Category]) throws(CodebookError) -> Codebook {
        var problems: [CodebookProblem] = []
        for (i, trigger) in extraTriggers.enumerated() where !TriggerCondition.isValidLabel(trigger.code) {
            problems.append(
                CodebookProblem(
                    field: "extra_triggers[\(i)].code",
                    reason: "'\(trigger.code)' must be lowercase snake_case of 2 to 64 characters (like unsupported_locale)"))
        }
        guard problems.isEmpty else { throw CodebookError(problems: problems) }
        do {
            return try make(extraTriggers: extraTriggers).validated()
        } catch let error as CodebookError {
            throw error
        } catch {
            throw CodebookError(problems: [CodebookProblem(field: "codebook", reason: "\(error)")])
        }
    }

    static func make(extraTriggers: [Category]) -> Codebook {
        let builtInCodes = Set(TriggerCondition.builtIn.map(\.label))
        var seen = builtInCodes
        let extra = extraTriggers.filter { seen.insert($0.code.lowercased()).inserted }
        let triggers = TriggerCondition.builtIn.map { Category(code: $0.label, label: $0.label, description: $0.meaning) } + extra

        return Codebook(
            name: name,
            description: "One failure pattern per failure trace of an LLM application or agent (docs/FAILURE_TAXONOMY.md).",
            instructions: generalInstructions,
            variables: [
                Variable(
                    name: Field.summary, displayName: "Summary", type: .text,
                    instructions: """
                        What happened, in two to five plain sentences a reader can follow without the trace: \
                        what the user or job asked, what the system did step by step, and where it went wrong. \
                        Describe, do not judge yet.
                        """, required: true, validation: ValidationRules(minLength: 1, maxLength: 400)),
                Variable(
                    name: Field.failureType, displayName: "Failure type", type: .category,
                    instructions: """
                        The one primary failure. Rules when several fit: (1) name the first step after which the \
                        run could no longer succeed, not the last symptom; (2) the cause beats its effects; \
                        (3) infrastructure errors go by source: model API 429 = rate_limited, other model API \
                        errors = provider_error, tool errors = tool_error (a tool's 429 = rate_limited), a deadline \
                        with no reply = timeout; (4) repeated failing tool calls are tool_error, repeated successful \
                        steps are loop_or_step_limit; (5) other only as a last resort. Confidence: 0.9 or more when \
                        an error status, exception or evaluator names the failure; 0.6-0.8 when inferred from the \
                        content; below 0.5 when the trace only shows that something went wrong. In the rationale, \
                        say what the confidence rests on.
                        """,
                    categories: FailureType.allCases.map { Category(code: $0.rawValue, label: $0.label, description: $0.definition) },
                    required: true),
                Variable(
                    name: Field.triggerCondition, displayName: "Trigger condition", type: .category,
                    instructions: """
                        The condition in the input or environment that set the failure off (not the failure \
                        itself). Pick the closest label; use unknown when the trace does not show it.
                        """, categories: triggers),
                Variable(
                    name: Field.rootCauseHypothesis, displayName: "Root cause hypothesis", type: .text,
                    instructions: """
                        The most likely cause, as a hypothesis the trace supports, in one to three sentences. \
                        Explain why it happened, do not restate the symptom.
                        """, required: true, validation: ValidationRules(minLength: 1, maxLength: 400)),
                Variable(
                    name: Field.severity, displayName: "Severity", type: .category,
                    instructions: """
                        The impact the trace shows or makes likely, not how interesting the failure is.
                        """,
                    categories: FailureSeverity.allCases.map { Category(code: $0.rawValue, label: $0.label, description: $0.definition) },
                    required: true),
                Variable(
                    name: Field.recommendedActions, displayName: "Recommended actions", type: .text,
                    instructions: """
                        Concrete next steps for the team that owns the application, most useful first, each one \
                        sentence starting with a verb (e.g. "Add a fallback model for 529 responses."). Give one \
                        to five.
                        """, required: true, ifMultipleValues: .all, maxValues: 3,
                    validation: ValidationRules(minLength: 1, maxLength: 200)),
                Variable(
                    name: Field.reproductionContext, displayName: "Reproduction context", type: .text,
                    instructions: """
                        What someone needs to reproduce the failure: service, model and parameters, the kind of \
                        input, tool or index state, in one to three sentences. Empty when the trace does not say.
                        """, validation: ValidationRules(maxLength: 300)),
                Variable(
                    name: Field.title, displayName: "Title", type: .text,
                    instructions: """
                        One line of at most 120 characters naming the failure: who did what wrong, e.g. \
                        "Support bot invents a 60-day refund window for opened items". No ids or personal data.
                        """, required: true, validation: ValidationRules(minLength: 1, maxLength: 120)),
            ])
    }

    static let generalInstructions = """
        The document is one failure trace of an LLM application or agent: a header (trace id, start \
        time, service, span count), then its spans as an indented tree. Each span line gives \
        [number] name · role (llm, tool, agent, retriever, ...) · span kind · status (OK, or ERROR with \
        its message) · duration · span id, followed by its attributes as key: value lines and its \
        events. The run failed; find out how and why. Errors usually sit on ERROR spans, exception \
        events, http.response.status_code and error.type; failures without an error show in outputs \
        that contradict inputs or retrieved documents, evaluator and guardrail attributes, repeated \
        spans, limits reached and user_feedback events. [REDACTED:kind] marks a removed sensitive \
        value: never guess it, and never write personal data, keys or tokens in any answer. A first \
        line starting with [truncated: means only the end of a long trace is shown. Quote evidence \
        word for word from the trace.
        """
}
