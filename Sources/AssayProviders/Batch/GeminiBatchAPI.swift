import AssayCore
import AsyncHTTPClient
import Foundation

/// Gemini's Batch API with inlined requests: `POST {base}/models/{model}:batchGenerateContent`
/// with each request exactly as the live provider posts it and its key in `metadata.key`; the
/// long-running operation `batches/{id}` is polled at `GET {base}/batches/{id}`, and once done
/// its `response.inlinedResponses` carry each reply (or error) with the same metadata.
/// Inlined batches must stay under 20 MB, so a large job goes as several batches.
public struct GeminiBatchAPI: BatchAPI {
    let live: GeminiProvider

    public init(settings: ProviderSettings, client: HTTPClient = .forProviders(connections: 8)) {
        live = GeminiProvider(settings: settings, client: client)
    }

    public var model: String { live.model }
    public var providerName: String { "gemini" }
    public var limits: BatchLimits { .gemini }

    func entry(for item: BatchItem) -> JSONValue {
        ["request": live.body(for: item.request), "metadata": ["key": .string(item.customID)]]
    }

    public func size(of item: BatchItem) -> Int { entry(for: item).serialized().utf8.count + 1 }

    public func submit(_ items: [BatchItem], marker: String) async throws -> String {
        let body: JSONValue = [
            "batch": [
                "display_name": .string(Self.displayName(marker)),
                "input_config": ["requests": ["requests": .array(items.map(entry(for:)))]],
            ]
        ]
        let operation = try await live.transport.postJSON(
            live.modelPath + ":batchGenerateContent", headers: live.authHeaders, body: body)
        guard let name = operation["name"]?.stringValue else { throw ProviderError.invalidResponse("no name in the created batch") }
        _ = try Self.path(of: name)
        return name
    }

    public func status(of batchID: String) async throws -> BatchStatus {
        Self.status(try await get(batchID, maxBytes: BatchWire.maxResultBytes))
    }

    /// The operation's state: `metadata.state` (`BATCH_STATE_…`; some versions say `JOB_STATE_…`)
    /// and `metadata.batchStats`, whose counts are int64 strings.
    static func status(_ operation: JSONValue) -> BatchStatus {
        let batch = operation["metadata"]
        let stats = batch?["batchStats"]
        func count(_ key: String) -> Int {
            let value = stats?[key]
            return value?.stringValue.flatMap { Int($0) } ?? Int(value?.doubleValue ?? 0)
        }
        let (total, completed, failed) = (count("requestCount"), count("successfulRequestCount"), count("failedRequestCount"))
        let name = batch?["state"]?.stringValue ?? ""
        let reason = operation["error"]?["message"]?.stringValue.map { String($0.prefix(300)) }
        let state: BatchState =
            if name.hasSuffix("_SUCCEEDED") {
                .completed
            } else if name.hasSuffix("_EXPIRED") {
                .expired
            } else if name.hasSuffix("_CANCELLED") {
                .cancelled
            } else if name.hasSuffix("_FAILED") || (operation["done"]?.boolValue == true && operation["error"] != nil) {
                .failed
            } else if operation["done"]?.boolValue == true {
                .completed
            } else {
                .inProgress
            }
        return BatchStatus(state: state, total: total, completed: completed, failed: failed, reason: state == .failed ? reason : nil)
    }

    public func results(of batchID: String) async throws -> [String: BatchItemResult] {
        Self.results(try await get(batchID, maxBytes: BatchWire.maxResultBytes))
    }

    /// Each inlined response by the key its request carried; a response without one cannot be
    /// matched to its request and counts as not done.
    static func results(_ operation: JSONValue) -> [String: BatchItemResult] {
        let output = operation["response"]
        let list = output?["inlinedResponses"]?["inlinedResponses"]?.arrayValue ?? output?["inlinedResponses"]?.arrayValue ?? []
        var results: [String: BatchItemResult] = [:]
        for entry in list {
            guard let key = entry["metadata"]?["key"]?.stringValue else { continue }
            if let error = entry["error"] {
                let message = error["message"]?.stringValue ?? "no message"
                results[key] = .failed("the batch request failed: \(message.prefix(300))")
                continue
            }
            guard let response = entry["response"] else {
                results[key] = .failed("the batch result has no response")
                continue
            }
            do {
                results[key] = .reply(try GeminiProvider.parseReply(response))
            } catch {
                results[key] = .failed("\(error)")
            }
        }
        return results
    }

    /// The batch's display name carries the marker.
    static func displayName(_ marker: String) -> String { "assay-\(marker)" }

    /// The newest batches (up to 1,000) searched for the marker in their display name.
    public func find(marker: String) async throws -> BatchLookup {
        var token: String?
        for _ in 0..<10 {
            var path = "batches?pageSize=100"
            if let token, let escaped = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) {
                path += "&pageToken=\(escaped)"
            }
            let request = try live.transport.request(path, headers: live.authHeaders)
            let reply = try await live.transport.send(request, timeout: .seconds(60))
            try reply.requireSuccess()
            let page = try reply.json()
            let operations = page["operations"]?.arrayValue ?? page["batches"]?.arrayValue ?? []
            if let match = operations.first(where: { $0["metadata"]?["displayName"]?.stringValue == Self.displayName(marker) }),
                let name = match["name"]?.stringValue
            {
                _ = try Self.path(of: name)
                return .found(name)
            }
            guard let next = page["nextPageToken"]?.stringValue, !next.isEmpty else { break }
            token = next
        }
        return .notFound
    }

    /// `batches/{id}`, the id checked so the name cannot point elsewhere.
    static func path(of name: String) throws -> String {
        let id = name.hasPrefix("batches/") ? String(name.dropFirst("batches/".count)) : name
        return "batches/\(try OpenAIBatchAPI.checked(id))"
    }

    func get(_ batchID: String, maxBytes: Int) async throws -> JSONValue {
        let request = try live.transport.request(try Self.path(of: batchID), headers: live.authHeaders)
        let reply = try await live.transport.send(request, timeout: .seconds(600), maxBytes: maxBytes)
        try reply.requireSuccess()
        return try reply.json()
    }
}
