import AssayCore
import Foundation
import NIOConcurrencyHelpers

/// The mock's batch APIs, in the vendors' documented wire formats, so batch mode can be tested
/// (and measured) without a network:
/// - OpenAI: `POST /v1/files` (multipart, purpose `batch`), `POST /v1/batches`,
///   `GET /v1/batches/{id}`, `GET /v1/files/{id}/content` (output and error files, JSON Lines);
/// - Anthropic: `POST /v1/messages/batches`, `GET /v1/messages/batches/{id}`,
///   `GET /v1/messages/batches/{id}/results`;
/// - Gemini: `POST /v1beta/models/{model}:batchGenerateContent` (inlined requests),
///   `GET /v1beta/batches/{id}`, the operation carrying the inlined responses once done.
/// Each item is answered as the chat endpoint would answer it (`MockReplies`). A batch ends
/// `delay` after it was created; with `expireFirst` the first batch expires with only its first
/// half done; `failRate` fails that share of items. Counters: `batch_files`, `batches_created`,
/// `batch_requests`, `batch_polls`, `batch_results_read`.
final class MockBatches: Sendable {
    struct Config: Sendable {
        var delay: Double = 0.2
        var expireFirst = false
        var failRate = 0.0
    }

    private struct Batch {
        var id: String
        var vendor: Vendor
        /// (custom id, request body) in order.
        var items: [(String, JSONValue)]
        var created: Date
        var expires: Bool
    }

    private enum Vendor { case openAI, anthropic, gemini }

    private struct State {
        var files: [String: String] = [:]
        var batches: [String: Batch] = [:]
        var next = 1
    }

    let config: Config
    let cache: MockPromptCache
    private let state = NIOLockedValueBox(State())
    private let count: @Sendable (String, Int) -> Void

    init(config: Config, cache: MockPromptCache, count: @escaping @Sendable (String, Int) -> Void) {
        self.config = config
        self.cache = cache
        self.count = count
    }

    /// The reply to a batch-API request, or nil when the request is not one.
    func respond(method: String, path: String, contentType: String?, body: String, base: String) -> (Int, String)? {
        let parts = path.split(separator: "?").first.map { $0.split(separator: "/").map(String.init) } ?? []
        let post = method == "POST"
        if post, parts == ["v1", "files"] { return upload(body, contentType: contentType) }
        if !post, parts.count == 4, parts[0...1] == ["v1", "files"], parts[3] == "content" {
            return state.withLockedValue { $0.files[parts[2]] }.map { (200, $0) } ?? notFound("file")
        }
        if post, parts == ["v1", "batches"] {
            guard let json = try? JSONValue.parse(body), let fileID = json["input_file_id"]?.stringValue,
                let file = state.withLockedValue({ $0.files[fileID] })
            else { return (400, #"{"error":{"message":"input_file_id names no uploaded file"}}"#) }
            let items = file.split(separator: "\n").compactMap { line -> (String, JSONValue)? in
                guard let entry = try? JSONValue.parse(String(line)), let id = entry["custom_id"]?.stringValue,
                    let request = entry["body"]
                else { return nil }
                return (id, request)
            }
            return (200, openAIStatus(create(items, vendor: .openAI)).serialized())
        }
        if !post, parts.count == 3, parts[0...1] == ["v1", "batches"] {
            count("batch_polls", 1)
            return batch(parts[2]).map { (200, openAIStatus($0).serialized()) } ?? notFound("batch")
        }
        if post, parts == ["v1", "messages", "batches"] {
            guard let json = try? JSONValue.parse(body), let requests = json["requests"]?.arrayValue else {
                return (400, #"{"type":"error","error":{"type":"invalid_request_error","message":"requests is required"}}"#)
            }
            let items = requests.compactMap { entry -> (String, JSONValue)? in
                guard let id = entry["custom_id"]?.stringValue, let params = entry["params"] else { return nil }
                return (id, params)
            }
            return (200, anthropicStatus(create(items, vendor: .anthropic), base: base).serialized())
        }
        if !post, parts.count >= 4, parts[0...2] == ["v1", "messages", "batches"] {
            guard let batch = batch(parts[3]) else { return notFound("batch") }
            if parts.count == 4 {
                count("batch_polls", 1)
                return (200, anthropicStatus(batch, base: base).serialized())
            }
            guard parts.count == 5, parts[4] == "results", ended(batch) else { return notFound("results") }
            count("batch_results_read", 1)
            return (200, anthropicResults(batch))
        }
        if post, parts.count == 3, parts[0...1] == ["v1beta", "models"], parts[2].hasSuffix(":batchGenerateContent") {
            guard let json = try? JSONValue.parse(body), let requests = json["batch"]?["input_config"]?["requests"]?["requests"]?.arrayValue
            else {
                return (400, #"{"error":{"code":400,"message":"batch.input_config.requests is required","status":"INVALID_ARGUMENT"}}"#)
            }
            let items = requests.enumerated().compactMap { index, entry -> (String, JSONValue)? in
                guard let request = entry["request"] else { return nil }
                return (entry["metadata"]?["key"]?.stringValue ?? "#\(index)", request)
            }
            return (200, geminiOperation(create(items, vendor: .gemini)).serialized())
        }
        if !post, parts.count == 3, parts[0...1] == ["v1beta", "batches"] {
            count("batch_polls", 1)
            return batch(parts[2]).map { (200, geminiOperation($0).serialized()) } ?? notFound("batch")
        }
        return nil
    }

    private func notFound(_ what: String) -> (Int, String) { (404, #"{"error":{"message":"no such \#(what)"}}"#) }

    private func upload(_ body: String, contentType: String?) -> (Int, String) {
        guard let boundary = contentType?.components(separatedBy: "boundary=").last, !boundary.isEmpty,
            let content = Self.filePart(body, boundary: boundary)
        else { return (400, #"{"error":{"message":"a multipart body with a file part is required"}}"#) }
        let id = state.withLockedValue { state -> String in
            let id = "file-\(state.next)"
            state.next += 1
            state.files[id] = content
            return id
        }
        count("batch_files", 1)
        return (200, #"{"id":"\#(id)","object":"file","purpose":"batch","bytes":\#(content.utf8.count)}"#)
    }

    /// The content of the part named `file`.
    static func filePart(_ body: String, boundary: String) -> String? {
        for part in body.components(separatedBy: "--" + boundary) where part.contains("name=\"file\"") {
            guard let start = part.range(of: "\r\n\r\n") else { return nil }
            var content = String(part[start.upperBound...])
            if content.hasSuffix("\r\n") { content.removeLast(2) }
            return content
        }
        return nil
    }

    private func create(_ items: [(String, JSONValue)], vendor: Vendor) -> Batch {
        let batch = state.withLockedValue { state -> Batch in
            let first = state.batches.isEmpty
            let prefix =
                switch vendor {
                case .openAI: "batch_"
                case .anthropic: "msgbatch_"
                case .gemini: "gbatch"
                }
            let id = prefix + "\(state.next)"
            state.next += 1
            let batch = Batch(id: id, vendor: vendor, items: items, created: Date(), expires: first && config.expireFirst)
            state.batches[id] = batch
            return batch
        }
        count("batches_created", 1)
        count("batch_requests", items.count)
        return batch
    }

    private func batch(_ id: String) -> Batch? { state.withLockedValue { $0.batches[id] } }

    private func ended(_ batch: Batch) -> Bool { Date().timeIntervalSince(batch.created) >= config.delay }

    /// Which items are done when the batch ends, and how each came out.
    private func outcomes(_ batch: Batch) -> [(id: String, body: JSONValue, outcome: Outcome)] {
        let done = batch.expires ? batch.items.count / 2 : batch.items.count
        var random = SeededGenerator(seed: UInt64(batch.items.count) &+ 11)
        return batch.items.enumerated().map { index, item in
            let outcome: Outcome =
                index >= done ? .expired : (config.failRate > 0 && random.unit() < config.failRate) ? .failed : .succeeded
            return (item.0, item.1, outcome)
        }
    }

    private enum Outcome { case succeeded, failed, expired }

    // MARK: OpenAI

    private func openAIStatus(_ batch: Batch) -> JSONValue {
        var object: OrderedDictionary<String, JSONValue> = [
            "id": .string(batch.id), "object": "batch", "endpoint": "/v1/chat/completions", "completion_window": "24h",
        ]
        guard ended(batch) else {
            object["status"] = "in_progress"
            object["request_counts"] = ["total": .number(Double(batch.items.count)), "completed": 0, "failed": 0]
            return .object(object)
        }
        let outputID = "file-\(batch.id)-output"
        let errorID = "file-\(batch.id)-errors"
        // The files are written once, when the batch is first seen ended (usage counts the
        // prompt cache as it was then).
        let written = state.withLockedValue { state in
            (state.files[outputID], state.files[errorID])
        }
        if let output = written.0, let errors = written.1 {
            return ended(object, batch: batch, output: output, errors: errors, outputID: outputID, errorID: errorID)
        }
        var output: [String] = []
        var errors: [String] = []
        for (id, body, outcome) in outcomes(batch) {
            let head = #"{"id":"req-\#(id.prefix(8))","custom_id":"\#(id)","#
            switch outcome {
            case .succeeded:
                let reply = MockOpenAIServer.Handler.completion(
                    MockReplies.reply(toRequestBody: body.serialized()), usage: cache.openAI(body))
                output.append(head + #""response":{"status_code":200,"request_id":"r","body":\#(reply)},"error":null}"#)
            case .failed:
                errors.append(
                    head + #""response":{"status_code":500,"request_id":"r","body":{"error":{"message":"mock failure"}}},"error":null}"#)
            case .expired:
                errors.append(
                    head + #""response":null,"error":{"code":"batch_expired","message":"This request could not be executed "#
                        + #"before the completion window expired."}}"#)
            }
        }
        let (outputText, errorText) = (output.map { $0 + "\n" }.joined(), errors.map { $0 + "\n" }.joined())
        state.withLockedValue { state in
            state.files[outputID] = outputText
            state.files[errorID] = errorText
        }
        return ended(object, batch: batch, output: outputText, errors: errorText, outputID: outputID, errorID: errorID)
    }

    private func ended(
        _ object: OrderedDictionary<String, JSONValue>, batch: Batch, output: String, errors: String, outputID: String, errorID: String
    ) -> JSONValue {
        var object = object
        let (done, failed) = (output.split(separator: "\n").count, errors.split(separator: "\n").count)
        object["status"] = batch.expires ? "expired" : "completed"
        object["output_file_id"] = done == 0 ? .null : .string(outputID)
        object["error_file_id"] = failed == 0 ? .null : .string(errorID)
        object["request_counts"] = [
            "total": .number(Double(batch.items.count)), "completed": .number(Double(done)), "failed": .number(Double(failed)),
        ]
        return .object(object)
    }

    // MARK: Anthropic

    private func anthropicStatus(_ batch: Batch, base: String) -> JSONValue {
        var object: OrderedDictionary<String, JSONValue> = ["id": .string(batch.id), "type": "message_batch"]
        var counts: OrderedDictionary<String, JSONValue> = [
            "processing": 0, "succeeded": 0, "errored": 0, "canceled": 0, "expired": 0,
        ]
        guard ended(batch) else {
            object["processing_status"] = "in_progress"
            counts["processing"] = .number(Double(batch.items.count))
            object["request_counts"] = .object(counts)
            object["results_url"] = .null
            return .object(object)
        }
        for (_, _, outcome) in outcomes(batch) {
            let key =
                switch outcome {
                case .succeeded: "succeeded"
                case .failed: "errored"
                case .expired: "expired"
                }
            counts[key] = .number((counts[key]?.doubleValue ?? 0) + 1)
        }
        object["processing_status"] = "ended"
        object["request_counts"] = .object(counts)
        object["results_url"] = .string("\(base)/v1/messages/batches/\(batch.id)/results")
        return .object(object)
    }

    private func anthropicResults(_ batch: Batch) -> String {
        outcomes(batch).map { id, body, outcome in
            let result: JSONValue
            switch outcome {
            case .succeeded:
                let message = cache.anthropicMessage(for: body)
                result = ["type": "succeeded", "message": message]
            case .failed:
                result = ["type": "errored", "error": ["type": "error", "error": ["type": "api_error", "message": "mock failure"]]]
            case .expired:
                result = ["type": "expired"]
            }
            let line: JSONValue = ["custom_id": .string(id), "result": result]
            return line.serialized() + "\n"
        }.joined()
    }

    // MARK: Gemini

    private func geminiOperation(_ batch: Batch) -> JSONValue {
        let name = JSONValue.string("batches/\(batch.id)")
        var metadata: OrderedDictionary<String, JSONValue> = [
            "@type": "type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch", "name": name,
            "displayName": "assay", "model": "models/mock",
        ]
        let total = JSONValue.string("\(batch.items.count)")
        guard ended(batch) else {
            metadata["state"] = "BATCH_STATE_RUNNING"
            metadata["batchStats"] = ["requestCount": total, "pendingRequestCount": total]
            return ["name": name, "metadata": .object(metadata)]
        }
        var responses: [JSONValue] = []
        var (succeeded, failed) = (0, 0)
        for (id, body, outcome) in outcomes(batch) {
            switch outcome {
            case .succeeded:
                succeeded += 1
                responses.append(["response": MockGemini.response(for: body), "metadata": ["key": .string(id)]])
            case .failed:
                failed += 1
                responses.append([
                    "error": ["code": 500, "message": "mock failure", "status": "INTERNAL"], "metadata": ["key": .string(id)],
                ])
            case .expired: break  // an expired batch answers only what it did
            }
        }
        metadata["state"] = batch.expires ? "BATCH_STATE_EXPIRED" : "BATCH_STATE_SUCCEEDED"
        metadata["batchStats"] = [
            "requestCount": total, "successfulRequestCount": .string("\(succeeded)"), "failedRequestCount": .string("\(failed)"),
        ]
        return [
            "name": name, "metadata": .object(metadata), "done": true,
            "response": [
                "@type": "type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatchOutput",
                "inlinedResponses": ["inlinedResponses": .array(responses)],
            ],
        ]
    }
}
