import AssayCore
import Foundation

/// What in the input or environment set a failure off: the built-in `trigger_condition` labels
/// of docs/FAILURE_TAXONOMY.md. The list is open — a project adds labels of its own as
/// `Category` values (see `FailurePatternTemplate.codebook(extraTriggers:)`) — so a pattern holds
/// the label as text, checked only against the schema's snake_case pattern.
public enum TriggerCondition {
    /// The schema's pattern for every label, built-in or not.
    public static let labelPattern = "^[a-z][a-z0-9]*(_[a-z0-9]+)*$"
    /// The label for a trace that does not show what set the failure off.
    public static let unknown = "unknown"

    /// The 25 built-in labels with their meanings, in the order of the taxonomy.
    public static let builtIn: [(label: String, meaning: String)] = [
        ("ambiguous_user_query", "The request allows several readings and the system picked one without asking."),
        ("missing_required_info", "The request lacks information the task needs (dates, ids, constraints)."),
        ("knowledge_gap", "The needed fact is not in the context, index or tools at all (out-of-domain or uncovered case)."),
        ("unsupported_request", "No available tool or capability can do what was asked."),
        ("long_context", "A long prompt: many turns, large documents or tool outputs, instructions far from the end."),
        ("multi_step_plan", "A long task with many dependent steps or accumulated state."),
        ("missing_termination_condition", "Nothing tells the agent when it is done or when to give up."),
        ("conflicting_instructions", "Instructions disagree (system prompt vs retrieved text, agent vs agent, prompt vs tooling)."),
        ("strict_output_format", "A precise format or schema is required but only asked for in prose, not enforced."),
        ("model_change", "The model, its version or its provider changed (upgrade, cost swap, retirement)."),
        ("tool_schema_mismatch", "The model's call does not match the tool's real schema, or the schema changed."),
        ("malformed_tool_output", "A tool returned output of an unexpected shape (HTML instead of JSON, truncated, wrong type)."),
        ("upstream_api_error", "A dependency (model provider or tool backend) returned an error."),
        ("slow_dependency", "A dependency answered too slowly."),
        ("high_request_volume", "Bursts, high concurrency or fan-out exceeded rate limits or quotas."),
        ("missing_permissions", "Credentials missing, expired, revoked or lacking a scope."),
        ("excessive_permissions", "The agent, tool or retriever could reach more than the user is entitled to, or act without approval."),
        ("empty_retrieval", "Retrieval returned no documents."),
        ("low_relevance_retrieval", "Retrieval returned documents that do not answer the question."),
        ("stale_knowledge", "The index, cache or training data is out of date."),
        ("adversarial_input", "The user deliberately tried to subvert the system (jailbreak, extraction)."),
        (
            "untrusted_content_in_context",
            "Third-party content (email, web page, file, tool output, memory) carried instructions or poison."
        ),
        ("sensitive_topic", "Medical, legal, financial, self-harm or similar topics that make models cautious."),
        ("overly_strict_guardrail", "A filter or guardrail blocks allowed content."),
        ("unknown", "The trace does not show what set the failure off."),
    ]

    /// Whether `label` is a valid trigger label (snake_case, 2–64 characters).
    public static func isValidLabel(_ label: String) -> Bool {
        (2...64).contains(label.count) && label.range(of: labelPattern, options: .regularExpression) != nil
    }
}
