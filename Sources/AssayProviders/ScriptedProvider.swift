import AssayCore
import Foundation

/// A provider that answers from a script: for unit tests of the logic above providers, and for
/// dry runs. Each call takes the next step; a step may reply, fail, or compute a reply from the request.
public actor ScriptedProvider: LLMProvider {
    public enum Step: Sendable {
        case reply(String)
        case fail(ProviderError)
        case respond(@Sendable (LLMRequest) -> String)
    }

    public nonisolated let model: String
    private var steps: [Step]
    private let fallback: Step?
    public private(set) var requests: [LLMRequest] = []

    /// `then` answers every call after the script runs out (nil: such a call fails).
    public init(model: String = "scripted", steps: [Step], then fallback: Step? = nil) {
        self.model = model
        self.steps = steps
        self.fallback = fallback
    }

    public nonisolated var kind: String { "scripted" }

    public var callCount: Int { requests.count }

    public func complete(_ request: LLMRequest) async throws -> LLMResponse {
        requests.append(request)
        let step = steps.isEmpty ? fallback : steps.removeFirst()
        switch step {
        case .reply(let text): return Self.response(text, for: request)
        case .respond(let make): return Self.response(make(request), for: request)
        case .fail(let error): throw error
        case nil: throw ProviderError.misconfigured("scripted provider has no step left")
        }
    }

    static func response(_ text: String, for request: LLMRequest) -> LLMResponse {
        let prompt = request.messages.map(\.content).joined(separator: "\n")
        return LLMResponse(
            text: text,
            usage: TokenUsage(promptTokens: TokenEstimator.estimate(prompt), completionTokens: TokenEstimator.estimate(text)),
            finishReason: "stop")
    }
}
