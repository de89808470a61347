import AssayCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The chat-completions API as OpenAI defines it and OpenAI, vLLM, llama.cpp's llama-server and
/// Ollama serve it: `POST {base}/chat/completions` with `response_format` carrying the JSON schema.
public struct OpenAICompatibleProvider: LLMProvider {
    public let settings: ProviderSettings
    let client: HTTPClient
    static let maxBodyBytes = 16 * 1024 * 1024

    public init(settings: ProviderSettings, client: HTTPClient = .shared) {
        self.settings = settings
        self.client = client
    }

    public var model: String { settings.model }

    public func complete(_ request: LLMRequest) async throws -> LLMResponse {
        var http = HTTPClientRequest(url: try endpoint("chat/completions"))
        http.method = .POST
        http.headers.add(name: "Content-Type", value: "application/json")
        if let key = settings.apiKey { http.headers.add(name: "Authorization", value: "Bearer \(key)") }
        http.body = .bytes(ByteBuffer(string: body(for: request).serialized()))

        let (status, headers, text) = try await send(http)
        guard status == 200 else {
            throw ProviderError.http(status: status, message: Self.errorMessage(from: text),
                                     retryAfter: headers.first(name: "retry-after").flatMap(Self.parseRetryAfter))
        }
        return try Self.parseCompletion(text)
    }

    /// Checks that the server answers at all (`GET {base}/models`), for a clear error before a run.
    public func checkReachable() async throws {
        var http = HTTPClientRequest(url: try endpoint("models"))
        if let key = settings.apiKey { http.headers.add(name: "Authorization", value: "Bearer \(key)") }
        let (status, _, text) = try await send(http, timeout: .seconds(10))
        if status == 401 || status == 403 {
            throw ProviderError.http(status: status, message: Self.errorMessage(from: text), retryAfter: nil)
        }
    }

    func endpoint(_ path: String) throws -> String {
        guard let url = URL(string: settings.baseURL), url.scheme == "http" || url.scheme == "https" else {
            throw ProviderError.misconfigured("base URL '\(settings.baseURL)' is not an http(s) URL")
        }
        return settings.baseURL.hasSuffix("/") ? settings.baseURL + path : settings.baseURL + "/" + path
    }

    func body(for request: LLMRequest) -> JSONValue {
        var body: JSONValue = [
            "model": .string(settings.model),
            "messages": .array(request.messages.map { ["role": .string($0.role.rawValue), "content": .string($0.content)] }),
            "temperature": .number(request.temperature),
            "max_tokens": .number(Double(request.maxTokens)),
        ]
        if case .object(var object) = body {
            switch (settings.schemaMode, request.responseSchema) {
            case (.jsonSchema, let schema?):
                object["response_format"] = [
                    "type": "json_schema",
                    "json_schema": ["name": .string(request.schemaName), "strict": true, "schema": schema],
                ]
            case (.jsonObject, _?):
                object["response_format"] = ["type": "json_object"]
            default: break
            }
            body = .object(object)
        }
        return body
    }

    private func send(_ request: HTTPClientRequest, timeout: Duration? = nil) async throws -> (Int, HTTPHeaders, String) {
        let limit = timeout ?? settings.timeout
        do {
            let response = try await client.execute(request, timeout: .nanoseconds(Int64(limit.components.seconds) * 1_000_000_000 + limit.components.attoseconds / 1_000_000_000))
            let buffer = try await response.body.collect(upTo: Self.maxBodyBytes)
            return (Int(response.status.code), response.headers, String(buffer: buffer))
        } catch let error as ProviderError {
            throw error
        } catch let error as HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout:
                throw ProviderError.timeout(seconds: Double(limit.components.seconds))
            case .invalidURL, .emptyHost, .emptyScheme:
                throw ProviderError.misconfigured("invalid base URL '\(settings.baseURL)'")
            default:
                throw ProviderError.unreachable("\(settings.baseURL): \(error)")
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw ProviderError.unreachable("\(settings.baseURL): \(String(describing: error).prefix(200))")
        }
    }

    static func parseCompletion(_ text: String) throws -> LLMResponse {
        guard let json = try? JSONValue.parse(text) else {
            throw ProviderError.invalidResponse("the body is not JSON")
        }
        guard let choice = json["choices"]?.arrayValue?.first,
              let message = choice["message"],
              let content = message["content"]?.stringValue ?? message["tool_calls"].map({ _ in "" })
        else {
            throw ProviderError.invalidResponse("no choices[0].message.content in the reply")
        }
        let usage = TokenUsage(
            promptTokens: Int(json["usage"]?["prompt_tokens"]?.doubleValue ?? 0),
            completionTokens: Int(json["usage"]?["completion_tokens"]?.doubleValue ?? 0))
        return LLMResponse(text: content, usage: usage, finishReason: choice["finish_reason"]?.stringValue)
    }

    /// The API's own error message, or a short excerpt of the body.
    static func errorMessage(from body: String) -> String {
        if let json = try? JSONValue.parse(body) {
            if let message = json["error"]?["message"]?.stringValue { return String(message.prefix(300)) }
            if let message = json["error"]?.stringValue { return String(message.prefix(300)) }
        }
        return Excerpt.redacted(body, limit: 200)
    }

    /// `Retry-After` is either delta-seconds or an HTTP date.
    static func parseRetryAfter(_ value: String) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed) { return .milliseconds(Int(max(0, seconds) * 1000)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return .milliseconds(Int(max(0, date.timeIntervalSinceNow) * 1000))
    }
}
