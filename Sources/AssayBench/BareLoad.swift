import AssayCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The ceiling every benchmark compares Assay with: request bodies posted with the same client
/// and concurrency, nothing else — no prompt building, parsing, validation or storage.
struct BareLoad {
    let client: HTTPClient
    let url: String
    let concurrency: Int
    let timeout: TimeAmount

    /// One answer: whether it was a 200, and its completion tokens when the body says.
    struct Answer: Sendable {
        var ok: Bool
        var completionTokens: Int
    }

    func post(_ bodies: [String]) async throws -> [Answer] {
        try await withThrowingTaskGroup(of: Answer.self) { group in
            var next = bodies.makeIterator()
            var answers: [Answer] = []
            func launch() -> Bool {
                guard let body = next.next() else { return false }
                group.addTask { await self.post(body) }
                return true
            }
            for _ in 0..<concurrency where launch() {}
            while let answer = try await group.next() {
                answers.append(answer)
                _ = launch()
            }
            return answers
        }
    }

    private func post(_ body: String) async -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        guard let response = try? await client.execute(request, timeout: timeout),
            let reply = try? await response.body.collect(upTo: 1 << 24)
        else { return Answer(ok: false, completionTokens: 0) }
        let tokens = (try? JSONValue.parse(String(buffer: reply)))?["usage"]?["completion_tokens"]?.doubleValue ?? 0
        return Answer(ok: response.status == .ok, completionTokens: Int(tokens))
    }
}
