import AssayCore

/// What went wrong in a failure trace: the closed list of `failure_type` values
/// (docs/FAILURE_TAXONOMY.md, the enum in schemas/failure-pattern.schema.json).
public enum FailureType: String, Sendable, Hashable, CaseIterable {
    case hallucination
    case toolError = "tool_error"
    case retrievalMiss = "retrieval_miss"
    case promptInjection = "prompt_injection"
    case refusal
    case formatViolation = "format_violation"
    case contextOverflow = "context_overflow"
    case timeout
    case loopOrStepLimit = "loop_or_step_limit"
    case planningError = "planning_error"
    case instructionViolation = "instruction_violation"
    case unsafeOutput = "unsafe_output"
    case rateLimited = "rate_limited"
    case providerError = "provider_error"
    case other

    /// A short label for people and prompts.
    public var label: String {
        switch self {
        case .hallucination: "Hallucination"
        case .toolError: "Tool error"
        case .retrievalMiss: "Retrieval miss"
        case .promptInjection: "Prompt injection"
        case .refusal: "Refusal"
        case .formatViolation: "Format violation"
        case .contextOverflow: "Context overflow"
        case .timeout: "Timeout"
        case .loopOrStepLimit: "Loop or step limit"
        case .planningError: "Planning error"
        case .instructionViolation: "Instruction violation"
        case .unsafeOutput: "Unsafe output"
        case .rateLimited: "Rate limited"
        case .providerError: "Provider error"
        case .other: "Other"
        }
    }

    /// The definition with its nearest confusion, worded for a small model to tell values apart.
    public var definition: String {
        switch self {
        case .hallucination:
            "The output states facts, policies, citations, numbers, tool results or actions that its context does not support (e.g. 'booking confirmed' with no booking call). Not when the right documents were never retrieved (retrieval_miss)."
        case .toolError:
            "A tool call failed: invalid arguments for the tool's schema, the tool raised an exception, its backend returned an error, or its output could not be parsed. Not a tool's 429 (rate_limited) or deadline (timeout)."
        case .retrievalMiss:
            "Retrieval returned nothing, off-topic or outdated documents, or a filter excluded the right ones, although the answer exists."
        case .promptInjection:
            "Instructions from the user (jailbreak) or from untrusted content (emails, web pages, tool outputs) took over the application's intent. Wins over the damage it caused."
        case .refusal:
            "The system declined, or a guardrail blocked, a legitimate request that the application is meant to serve."
        case .formatViolation:
            "The output does not have the required form (invalid JSON, prose or code fences around JSON, missing fields, values outside an enum, cut off by max tokens), so it cannot be used."
        case .contextOverflow:
            "The prompt exceeded the context window and was rejected, or history/documents were cut to fit and the task lost what it needed. Wins over the instruction it made the model forget."
        case .timeout:
            "A model call, tool call or the whole run exceeded its deadline before any answer arrived (ReadTimeout, DeadlineExceeded, HTTP 504/408)."
        case .loopOrStepLimit:
            "The run repeated the same successful steps without progress, or stopped on an iteration, round, recursion, token or cost limit. Not when every repetition is a failing tool call (tool_error)."
        case .planningError:
            "The agent chose a wrong course: wrong assumption, tool, order of steps or decomposition, no clarifying question, improvising around a missing capability, skipped verification."
        case .instructionViolation:
            "The output or actions contradict an explicit instruction that was in context (system prompt, policy, task specification, language, length, format rules given in prose)."
        case .unsafeOutput:
            "Harmful or sensitive content was emitted (personal data, secrets, the system prompt to someone not entitled), or a destructive or unapproved action was taken. Not when an injection caused it (prompt_injection)."
        case .rateLimited:
            "A request-rate, token-rate or quota limit was exceeded at the model provider or a tool's API (HTTP 429, RateLimitError, RESOURCE_EXHAUSTED, OVER_QUERY_LIMIT)."
        case .providerError:
            "The model API itself failed: 5xx, 529 overloaded, connection error, authentication (401/403, revoked key), model not found or retired."
        case .other:
            "None of the above (e.g. a bug in application code after successful model and tool calls), or the trace does not show what failed."
        }
    }
}
