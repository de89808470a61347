import AssayCore
import AsyncHTTPClient
import Foundation
import NIOHTTP1

/// Anthropic's Message Batches API: `POST {base}/messages/batches` with every request's
/// `params` exactly as the live provider posts them, polled at `GET {base}/messages/batches/{id}`,
/// and the results read from the batch's `results_url` (JSON Lines, one result per custom id).
public struct AnthropicBatchAPI: BatchAPI {
    let live: AnthropicProvider

    public init(settings: ProviderSettings, client: HTTPClient = .forProviders(connections: 8)) {
        live = AnthropicProvider(settings: settings, client: client)
    }

    public var model: String { live.model }
    public var providerName: String { "anthropic" }
    public var limits: BatchLimits { .anthropic }

    func entry(for item: BatchItem) -> JSONValue {
        ["custom_id": .string(item.customID), "params": live.body(for: item.request)]
    }

    public func size(of item: BatchItem) -> Int { entry(for: item).serialized().utf8.count + 1 }

    /// Anthropic's batches keep no metadata, so the marker is not sent and `find` cannot answer.
    public func submit(_ items: [BatchItem], marker: String) async throws -> String {
        let batch = try await live.transport.postJSON(
            "messages/batches", headers: live.headers, body: ["requests": .array(items.map(entry(for:)))])
        guard let id = batch["id"]?.stringValue else { throw ProviderError.invalidResponse("no id in the created batch") }
        return id
    }

    public func status(of batchID: String) async throws -> BatchStatus {
        Self.status(try await get(batchID))
    }

    static func status(_ json: JSONValue) -> BatchStatus {
        let counts = json["request_counts"]
        func count(_ key: String) -> Int { Int(counts?[key]?.doubleValue ?? 0) }
        let failed = count("errored") + count("canceled") + count("expired")
        let total = failed + count("succeeded") + count("processing")
        guard json["processing_status"]?.stringValue == "ended" else {
            return BatchStatus(state: .inProgress, total: total, completed: count("succeeded"), failed: failed)
        }
        // An ended batch has its results; the counts say whether time ran out or it was cancelled.
        let state: BatchState = count("expired") > 0 ? .expired : count("canceled") > 0 ? .cancelled : .completed
        return BatchStatus(state: state, total: total, completed: count("succeeded"), failed: failed)
    }

    public func results(of batchID: String) async throws -> [String: BatchItemResult] {
        let batch = try await get(batchID)
        guard let url = batch["results_url"]?.stringValue, let base = URL(string: live.settings.baseURL),
            let target = URL(string: url), target.host == base.host, target.scheme == base.scheme, target.port == base.port
        else { throw ProviderError.invalidResponse("the ended batch has no results URL at the provider's own address") }
        var request = HTTPClientRequest(url: url)
        for (name, value) in live.headers { request.headers.add(name: name, value: value) }
        let reply = try await live.transport.send(request, timeout: .seconds(600), maxBytes: BatchWire.maxResultBytes)
        try reply.requireSuccess()
        var results: [String: BatchItemResult] = [:]
        for line in BatchWire.lines(reply.body) {
            guard let id = line["custom_id"]?.stringValue else { continue }
            results[id] = Self.result(line["result"] ?? .null, tool: AnthropicProvider.toolName("extraction"))
        }
        return results
    }

    static func result(_ result: JSONValue, tool: String) -> BatchItemResult {
        switch result["type"]?.stringValue {
        case "succeeded":
            guard let message = result["message"] else { return .failed("the batch result has no message") }
            do {
                return .reply(try AnthropicProvider.parseReply(message, tool: tool, anyTool: true))
            } catch {
                return .failed("\(error)")
            }
        case "expired": return .failed("the batch expired before this request was done")
        case "canceled": return .failed("the batch was cancelled before this request was done")
        default:
            let message = result["error"]?["error"]?["message"]?.stringValue ?? result["error"]?["message"]?.stringValue ?? "no message"
            return .failed("the batch request failed: \(message.prefix(300))")
        }
    }

    func get(_ batchID: String) async throws -> JSONValue {
        let path = "messages/batches/\(try OpenAIBatchAPI.checked(batchID))"
        let reply = try await live.transport.send(try live.transport.request(path, headers: live.headers), timeout: .seconds(60))
        try reply.requireSuccess()
        return try reply.json()
    }
}
