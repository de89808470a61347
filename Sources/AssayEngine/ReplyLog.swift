import AssayCore
import AssayProviders

/// Remembers the latest raw reply to each prompt during one run, so that output which parses but
/// makes no valid failure pattern can be recorded with the SHA-256 and a redacted excerpt of what
/// the model actually said. Keyed by the request's first user message (a re-ask keeps it), and
/// kept only in memory for the run.
actor ReplyLog {
    private var replies: [String: String] = [:]

    func record(_ reply: String, for request: LLMRequest) {
        guard let key = Self.key(request.messages) else { return }
        replies[key] = reply
    }

    /// The last reply to a request that began with these messages.
    func reply(to messages: [ChatMessage]) -> String? {
        Self.key(messages).flatMap { replies[$0] }
    }

    static func key(_ messages: [ChatMessage]) -> String? {
        messages.first { $0.role == .user }.map { Hashing.sha256($0.content) }
    }

    /// A provider that writes every reply into the log on its way back.
    struct Recording: LLMProvider {
        let base: any LLMProvider
        let log: ReplyLog
        var model: String { base.model }

        func complete(_ request: LLMRequest) async throws -> LLMResponse {
            let response = try await base.complete(request)
            await log.record(response.text, for: request)
            return response
        }
    }
}
