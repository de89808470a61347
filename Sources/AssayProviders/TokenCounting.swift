import AssayCore
import AsyncHTTPClient
import Foundation

/// Exact token counts from the model's own tokenizer, where the provider offers one. Used to
/// pack requests to the budget instead of to an estimate.
public protocol TokenCounting: Sendable {
    func countTokens(_ text: String) async throws -> Int
}

/// llama-server's `POST /tokenize` (at the server root, beside `/v1`).
public struct LlamaServerTokenizer: TokenCounting {
    let transport: HTTPTransport

    /// `baseURL` may be the chat endpoint's (`http://host:port/v1`) or the server root.
    public init(baseURL: String, client: HTTPClient = .forProviders(connections: 8), timeout: Duration = .seconds(30)) {
        var root = baseURL
        while root.hasSuffix("/") { root.removeLast() }
        if root.hasSuffix("/v1") { root.removeLast(3) }
        transport = HTTPTransport(client: client, baseURL: root, timeout: timeout)
    }

    public func countTokens(_ text: String) async throws -> Int {
        let json = try await transport.postJSON("tokenize", headers: [], body: ["content": .string(text), "add_special": false])
        guard let tokens = json["tokens"]?.arrayValue else {
            throw ProviderError.invalidResponse("no tokens in the /tokenize reply")
        }
        return tokens.count
    }

    /// The tokenizer when the server answers `/tokenize` (llama-server does, other servers not).
    public static func probe(baseURL: String, client: HTTPClient = .forProviders(connections: 8)) async -> LlamaServerTokenizer? {
        let tokenizer = LlamaServerTokenizer(baseURL: baseURL, client: client, timeout: .seconds(5))
        guard let count = try? await tokenizer.countTokens("Hello world"), count > 0 else { return nil }
        return tokenizer
    }
}
