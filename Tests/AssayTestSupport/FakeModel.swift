import AssayCore
import AssayProviders
import Foundation

/// A model stand-in that reads a `Protests.document(_:)` from the request and answers like a good
/// model would, with the confidences it is given.
package struct FakeModel: Sendable {
    /// Confidence of the `participants` value; under the codebook's default threshold (0.7) that
    /// value is flagged for review.
    package var participantsConfidence: Double

    package init(participantsConfidence: Double = 0.9) {
        self.participantsConfidence = participantsConfidence
    }

    /// Every value above the threshold: documents succeed.
    package static let confident = FakeModel()
    /// Sure of everything but the number of participants: every document is flagged.
    package static let unsureOfParticipants = FakeModel(participantsConfidence: 0.6)

    /// The text between the prompt's `<document>` tags.
    package static func documentText(in request: LLMRequest) -> String {
        let user = request.messages.first { $0.role == .user }?.content ?? ""
        guard let start = user.range(of: "<document>\n"), let end = user.range(of: "\n</document>") else { return "" }
        return String(user[start.upperBound..<end.lowerBound])
    }

    /// A valid reply for the request's document.
    package func reply(for request: LLMRequest) -> String {
        let text = Self.documentText(in: request)
        let city = text.split(separator: " ").dropFirst(2).first.map { String($0.dropLast()) } ?? ""
        let number = text.split(separator: " ").first { Int($0) != nil }.map(String.init) ?? "0"
        let reply: JSONValue = [
            "city": ["evidence": .string("Protest in \(city)"), "rationale": "named", "value": .string(city), "confidence": 0.9],
            "participants": [
                "evidence": .string("About \(number) people came"), "rationale": "stated", "value": .string(number),
                "confidence": .number(participantsConfidence),
            ],
            "violence": ["evidence": "It was peaceful.", "rationale": "peaceful", "value": false, "confidence": 0.8],
        ]
        return reply.serialized()
    }

    /// A scripted step that answers with `reply(for:)`.
    package var step: ScriptedProvider.Step { .respond { [self] request in reply(for: request) } }

    /// `confident`'s reply and step, the ones most tests want.
    package static func goodReply(for request: LLMRequest) -> String { confident.reply(for: request) }
    package static var good: ScriptedProvider.Step { confident.step }
}
