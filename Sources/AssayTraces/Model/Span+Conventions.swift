import AssayCore
import Foundation

/// What a span does for an LLM application, read from either convention: OpenInference's
/// `openinference.span.kind` or OpenTelemetry GenAI's `gen_ai.operation.name` and span names
/// (`chat <model>`, `execute_tool <tool>`, `invoke_agent <agent>`).
public enum SpanRole: String, Sendable, Hashable, CaseIterable {
    case llm, tool, agent, chain, retriever, reranker, embedding, guardrail, evaluator
}

/// An exception recorded on a span, as an `exception` event or as `exception.*` attributes.
public struct SpanException: Sendable, Hashable {
    public var type: String?
    public var message: String?

    public init(type: String?, message: String?) {
        self.type = type
        self.message = message
    }
}

extension Span {
    /// The span's role, or nil for plain infrastructure spans (HTTP, database, app code).
    public var role: SpanRole? {
        if let kind = text("openinference.span.kind"), let role = SpanRole(rawValue: kind.lowercased()) {
            return role
        }
        if let operation = text("gen_ai.operation.name") ?? name.flatMap(Self.operation(inName:)) {
            switch operation {
            case "chat", "text_completion", "generate_content": return .llm
            case "embeddings": return .embedding
            case "execute_tool": return .tool
            case "invoke_agent", "create_agent": return .agent
            case "invoke_workflow": return .chain
            default: break
            }
        }
        return nil
    }

    /// The model that answered, else the one requested.
    public var model: String? {
        text("llm.model_name") ?? text("gen_ai.response.model") ?? text("gen_ai.request.model")
    }

    public var toolName: String? {
        text("tool.name") ?? text("gen_ai.tool.name") ?? nameSuffix(after: "execute_tool")
    }

    public var agentName: String? {
        text("gen_ai.agent.name") ?? text("agent.name") ?? nameSuffix(after: "invoke_agent")
    }

    /// Prompt tokens: OpenInference `llm.token_count.prompt` or GenAI `gen_ai.usage.input_tokens`.
    public var inputTokens: Int? { integer("llm.token_count.prompt") ?? integer("gen_ai.usage.input_tokens") }

    /// Completion tokens: OpenInference `llm.token_count.completion` or GenAI `gen_ai.usage.output_tokens`.
    public var outputTokens: Int? { integer("llm.token_count.completion") ?? integer("gen_ai.usage.output_tokens") }

    /// The HTTP response status (current and older OTel names).
    public var httpStatusCode: Int? { integer("http.response.status_code") ?? integer("http.status_code") }

    /// OTel's `error.type`: an exception class, an error code or an HTTP status as text.
    public var errorType: String? { text("error.type") }

    /// Exceptions from `exception` events and from `exception.*` attributes on the span itself.
    public var exceptions: [SpanException] {
        var found: [SpanException] = []
        let own = SpanException(type: text("exception.type"), message: text("exception.message"))
        if own.type != nil || own.message != nil { found.append(own) }
        for event in events where event.name == "exception" {
            found.append(
                SpanException(
                    type: event.attributes["exception.type"]?.stringValue,
                    message: event.attributes["exception.message"]?.stringValue))
        }
        return found
    }

    /// A string attribute, trimmed; nil when absent, empty or not a string.
    public func text(_ key: String) -> String? {
        guard let value = attributes[key]?.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines),
            !value.isEmpty
        else { return nil }
        return value
    }

    /// A whole-number attribute, also when written as text ("401").
    public func integer(_ key: String) -> Int? {
        switch attributes[key] {
        case .number(let n)? where n.rounded() == n && abs(n) < 1e15: Int(n)
        case .string(let s)?: Int(s.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }

    /// `execute_tool` in `execute_tool lookup_order`, when the name has that shape.
    static func operation(inName name: String) -> String? {
        let first = name.split(separator: " ", maxSplits: 1).first.map(String.init) ?? name
        return [
            "chat", "text_completion", "generate_content", "embeddings", "execute_tool", "invoke_agent",
            "create_agent", "invoke_workflow",
        ].contains(first) ? first : nil
    }

    private func nameSuffix(after operation: String) -> String? {
        guard let name, name.hasPrefix(operation + " ") else { return nil }
        let rest = name.dropFirst(operation.count + 1).trimmingCharacters(in: .whitespaces)
        return rest.isEmpty ? nil : rest
    }
}
