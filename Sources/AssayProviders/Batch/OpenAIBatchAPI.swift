import AssayCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// OpenAI's Batch API: the requests as a JSON Lines file uploaded to `POST {base}/files`
/// (purpose `batch`), a batch made from it by `POST {base}/batches` for `/v1/chat/completions`
/// with a 24-hour window, polled at `GET {base}/batches/{id}`, and its output and error files
/// read from `GET {base}/files/{id}/content`. Each line's body is exactly what the live
/// provider posts, so packing, schemas and prompts are the same.
public struct OpenAIBatchAPI: BatchAPI {
    let live: OpenAICompatibleProvider

    public init(settings: ProviderSettings, client: HTTPClient = .forProviders(connections: 8)) {
        live = OpenAICompatibleProvider(settings: settings, client: client)
    }

    public var model: String { live.model }
    public var providerName: String { "openai" }
    public var limits: BatchLimits { .openAI }

    public func size(of item: BatchItem) -> Int { line(for: item).utf8.count + 1 }

    func line(for item: BatchItem) -> String {
        let head: JSONValue = ["custom_id": .string(item.customID), "method": "POST", "url": "/v1/chat/completions"]
        return head.serialized().dropLast() + #","body":"# + live.bodyText(for: item.request) + "}"
    }

    public func submit(_ items: [BatchItem], marker: String) async throws -> String {
        let file = items.map(line(for:)).joined(separator: "\n") + "\n"
        let fileID = try await upload(file)
        let batch = try await live.transport.postJSON(
            "batches", headers: live.authHeaders,
            body: [
                "input_file_id": .string(fileID), "endpoint": "/v1/chat/completions", "completion_window": "24h",
                "metadata": ["assay_marker": .string(marker)],
            ])
        guard let id = batch["id"]?.stringValue else { throw ProviderError.invalidResponse("no id in the created batch") }
        return id
    }

    /// The newest batches (up to 1,000, newest first) searched for the marker in their metadata.
    public func find(marker: String) async throws -> BatchLookup {
        var after: String?
        for _ in 0..<10 {
            let page = try await get("batches?limit=100" + (after.map { "&after=\($0)" } ?? ""))
            let batches = page["data"]?.arrayValue ?? []
            if let match = batches.first(where: { $0["metadata"]?["assay_marker"]?.stringValue == marker }),
                let id = match["id"]?.stringValue
            {
                return .found(try Self.checked(id))
            }
            guard page["has_more"]?.boolValue == true, let last = batches.last?["id"]?.stringValue else { break }
            after = try Self.checked(last)
        }
        return .notFound
    }

    /// Uploads the input file as multipart form data and returns its id.
    func upload(_ text: String) async throws -> String {
        let boundary = "assay-\(UUID().uuidString)"
        var body = ByteBuffer()
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n")
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"assay-batch.jsonl\"\r\n")
        body.writeString("Content-Type: application/jsonl\r\n\r\n")
        body.writeString(text)
        body.writeString("\r\n--\(boundary)--\r\n")
        var request = HTTPClientRequest(url: try live.transport.url("files"))
        request.method = .POST
        for (name, value) in live.authHeaders { request.headers.add(name: name, value: value) }
        request.headers.add(name: "Content-Type", value: "multipart/form-data; boundary=\(boundary)")
        request.body = .bytes(body)
        let reply = try await live.transport.send(request, timeout: .seconds(600))
        try reply.requireSuccess()
        guard let id = try reply.json()["id"]?.stringValue else { throw ProviderError.invalidResponse("no id in the uploaded file") }
        return id
    }

    public func status(of batchID: String) async throws -> BatchStatus {
        let json = try await get("batches/\(try Self.checked(batchID))")
        return Self.status(json)
    }

    static func status(_ json: JSONValue) -> BatchStatus {
        let counts = json["request_counts"]
        func count(_ key: String) -> Int { Int(counts?[key]?.doubleValue ?? 0) }
        let state: BatchState =
            switch json["status"]?.stringValue {
            case "completed": .completed
            case "expired": .expired
            case "cancelled": .cancelled
            case "failed": .failed
            default: .inProgress  // validating, in_progress, finalizing, cancelling
            }
        let reason = json["errors"]?["data"]?.arrayValue?.compactMap { $0["message"]?.stringValue }.joined(separator: "; ")
        return BatchStatus(
            state: state, total: count("total"), completed: count("completed"), failed: count("failed"),
            reason: reason?.isEmpty == false ? String(reason!.prefix(300)) : nil)
    }

    public func results(of batchID: String) async throws -> [String: BatchItemResult] {
        let batch = try await get("batches/\(try Self.checked(batchID))")
        var results: [String: BatchItemResult] = [:]
        for key in ["output_file_id", "error_file_id"] {
            guard let fileID = batch[key]?.stringValue, !fileID.isEmpty else { continue }
            let reply = try await live.transport.send(
                try live.transport.request("files/\(try Self.checked(fileID))/content", headers: live.authHeaders),
                timeout: .seconds(600), maxBytes: BatchWire.maxResultBytes)
            try reply.requireSuccess()
            for line in BatchWire.lines(reply.body) {
                guard let id = line["custom_id"]?.stringValue else { continue }
                results[id] = Self.result(line)
            }
        }
        return results
    }

    /// One output or error line: a 200 response carries a chat completion; anything else is
    /// the error it names.
    static func result(_ line: JSONValue) -> BatchItemResult {
        if let error = line["error"], error != .null {
            let message = error["message"]?.stringValue ?? error["code"]?.stringValue ?? "failed"
            return .failed("the batch request failed: \(message.prefix(300))")
        }
        guard let response = line["response"] else { return .failed("the batch has no response for this request") }
        let status = Int(response["status_code"]?.doubleValue ?? 0)
        guard status == 200, let body = response["body"] else {
            let message = response["body"]?["error"]?["message"]?.stringValue ?? "no message"
            return .failed("the batch request failed with HTTP \(status): \(message.prefix(300))")
        }
        do {
            return .reply(try OpenAICompatibleProvider.parseCompletion(body.serialized()))
        } catch {
            return .failed("\(error)")
        }
    }

    func get(_ path: String) async throws -> JSONValue {
        let reply = try await live.transport.send(try live.transport.request(path, headers: live.authHeaders), timeout: .seconds(60))
        try reply.requireSuccess()
        return try reply.json()
    }

    /// Ids go into URL paths: letters, digits, `_` and `-` only.
    static func checked(_ id: String) throws -> String {
        guard !id.isEmpty, id.count <= 200,
            id.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-") })
        else { throw ProviderError.invalidResponse("the provider named a batch or file '\(id.prefix(40))', which is not an id") }
        return id
    }
}
