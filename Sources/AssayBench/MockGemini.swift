import AssayCore
import Foundation

/// The mock's Gemini answers: `generateContent`'s reply to a request body, as the Gemini API
/// shapes it (candidates with text parts, `usageMetadata`), read off the same bench documents
/// as the other vendors' replies.
enum MockGemini {
    static func response(for body: JSONValue) -> JSONValue {
        // The user's turn, as text: what MockReplies reads from a chat request.
        let user =
            body["contents"]?.arrayValue?.last(where: { $0["role"]?.stringValue != "model" })?["parts"]?.arrayValue?
            .compactMap { $0["text"]?.stringValue }.joined() ?? ""
        let system = body["systemInstruction"]?["parts"]?.arrayValue?.compactMap { $0["text"]?.stringValue }.joined() ?? ""
        let chat: JSONValue = ["messages": [["role": "user", "content": .string(user)]]]
        let text = MockReplies.reply(toRequestBody: chat.serialized()).text
        let prompt = TokenEstimator.estimate(system + user)
        let output = TokenEstimator.estimate(text)
        return [
            "candidates": [["content": ["parts": [["text": .string(text)]], "role": "model"], "finishReason": "STOP", "index": 0]],
            "usageMetadata": [
                "promptTokenCount": .number(Double(prompt)), "candidatesTokenCount": .number(Double(output)),
                "totalTokenCount": .number(Double(prompt + output)),
            ],
            "modelVersion": "mock",
        ]
    }
}
