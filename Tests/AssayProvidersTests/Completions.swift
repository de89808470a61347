import Foundation

/// Reply bodies in the shapes the providers' servers send.
enum Completions {
    /// A chat-completions body as OpenAI returns it.
    static func body(content: String, promptTokens: Int = 11, completionTokens: Int = 7) -> String {
        let escaped = content.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return """
            {"id":"x","object":"chat.completion","choices":[{"index":0,"finish_reason":"stop",\
            "message":{"role":"assistant","content":"\(escaped)"}}],\
            "usage":{"prompt_tokens":\(promptTokens),"completion_tokens":\(completionTokens),"total_tokens":\(promptTokens + completionTokens)}}
            """
    }
}
