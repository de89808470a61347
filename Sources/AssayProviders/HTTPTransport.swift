import AssayCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Tracing

/// The HTTP plumbing every provider shares: URLs under a base, one request with a deadline and a
/// body size limit, and transport failures sorted into `ProviderError`s.
struct HTTPTransport: Sendable {
    /// A reply larger than this is not a model answer worth reading whole.
    static let maxBodyBytes = 16 * 1024 * 1024

    /// What came back: the status, the headers and the body as text.
    struct Reply: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: String

        var retryAfter: Duration? { headers.first(name: "retry-after").flatMap(HTTPTransport.parseRetryAfter) }

        /// Any status but 2xx as a `ProviderError.http` carrying the API's own message, so every
        /// provider sorts failures into retryable (408, 429, 5xx, 529) and not the same way.
        func requireSuccess(retryAfter fallback: (String) -> Duration? = { _ in nil }) throws {
            guard (200..<300).contains(status) else {
                throw ProviderError.http(
                    status: status, message: HTTPTransport.errorMessage(from: body),
                    retryAfter: retryAfter ?? fallback(body))
            }
        }

        /// The body as JSON; a proxy's HTML page or a cut-off body is an invalid response.
        func json() throws -> JSONValue {
            guard let json = try? JSONValue.parse(body) else { throw ProviderError.invalidResponse("the body is not JSON") }
            return json
        }
    }

    let client: HTTPClient
    let baseURL: String
    let timeout: Duration
    /// Where the HTTP call's span goes; nil for the process's tracer.
    var tracer: (any Tracer)? = nil

    /// `{base}/{path}`, after checking the base is an http(s) URL at all.
    func url(_ path: String) throws -> String {
        guard let url = URL(string: baseURL), url.scheme == "http" || url.scheme == "https" else {
            throw ProviderError.misconfigured("base URL '\(baseURL)' is not an http(s) URL")
        }
        return baseURL.hasSuffix("/") ? baseURL + path : baseURL + "/" + path
    }

    /// A request to `{base}/{path}`; with a body it is a JSON POST.
    func request(_ path: String, headers: [(String, String)] = [], json body: JSONValue? = nil) throws -> HTTPClientRequest {
        try request(path, headers: headers, jsonText: body?.serialized())
    }

    /// A request to `{base}/{path}` with an already serialized JSON body.
    func request(_ path: String, headers: [(String, String)] = [], jsonText body: String?) throws -> HTTPClientRequest {
        var http = HTTPClientRequest(url: try url(path))
        for (name, value) in headers { http.headers.add(name: name, value: value) }
        if let body {
            http.method = .POST
            http.headers.add(name: "Content-Type", value: "application/json")
            http.body = .bytes(ByteBuffer(string: body))
        }
        return http
    }

    /// POSTs `body` as JSON and returns the JSON of a 2xx reply. `retryAfter` reads a wait from
    /// an error body, for APIs that put it there rather than in the header.
    func postJSON(
        _ path: String, headers: [(String, String)], body: JSONValue,
        retryAfter: (String) -> Duration? = { _ in nil }
    ) async throws -> JSONValue {
        let reply = try await send(try request(path, headers: headers, json: body))
        try reply.requireSuccess(retryAfter: retryAfter)
        return try reply.json()
    }

    /// Sends and reads the whole reply in a client span, with the trace context in the request's
    /// headers; every failure comes out as a `ProviderError` (or cancellation).
    func send(_ request: HTTPClientRequest, timeout: Duration? = nil, maxBytes: Int = maxBodyBytes) async throws -> Reply {
        let tracer = Telemetry.tracer(self.tracer)
        return try await Telemetry.span(tracer, request.method.rawValue, ofKind: .client) { span in
            var request = request
            tracer.inject(span.context, into: &request.headers, using: HTTPHeadersInjector())
            // Where it went, not the whole URL: a query string may hold a key.
            let url = URLComponents(string: request.url)
            span.attributes["http.request.method"] = request.method.rawValue
            span.attributes["server.address"] = url?.host
            span.attributes["server.port"] = url?.port ?? (url?.scheme == "https" ? 443 : 80)
            span.attributes["url.path"] = url?.path
            let reply = try await sendUntraced(request, timeout: timeout, maxBytes: maxBytes)
            span.attributes["http.response.status_code"] = reply.status
            if reply.status >= 400 {
                span.attributes["error.type"] = String(reply.status)
                span.setStatus(SpanStatus(code: .error))
            }
            return reply
        }
    }

    private func sendUntraced(_ request: HTTPClientRequest, timeout: Duration?, maxBytes: Int) async throws -> Reply {
        let limit = timeout ?? self.timeout
        do {
            // The client's deadline ends at the reply's head; the budget also covers a body that
            // stops arriving half way.
            let reply = try await TimeBudget.run(limit) { [client] in
                let response = try await client.execute(request, timeout: .nanoseconds(Self.nanoseconds(limit)))
                let buffer = try await response.body.collect(upTo: maxBytes)
                return Reply(status: Int(response.status.code), headers: response.headers, body: String(buffer: buffer))
            }
            guard let reply else { throw ProviderError.timeout(seconds: Double(limit.components.seconds)) }
            return reply
        } catch let error as ProviderError {
            throw error
        } catch let error as HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout:
                throw ProviderError.timeout(seconds: Double(limit.components.seconds))
            case .invalidURL, .emptyHost, .emptyScheme:
                throw ProviderError.misconfigured("invalid base URL '\(baseURL)'")
            default:
                throw ProviderError.unreachable("\(baseURL): \(error)")
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw ProviderError.unreachable("\(baseURL): \(String(describing: error).prefix(200))")
        }
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        Int64(duration.components.seconds) * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }

    /// The API's own error message (`error.message`, or `error` as a string), or a short redacted
    /// excerpt of the body: error bodies can echo what was sent.
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
