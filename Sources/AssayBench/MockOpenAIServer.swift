import AssayCore
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A mock OpenAI-compatible server for benchmarks: answers `POST /v1/chat/completions` after a
/// fixed latency with a valid reply for the bench codebook (single or packed), and injects faults
/// at a given rate: 429 with Retry-After, 500, a timeout (no answer), a truncated reply, a non-JSON reply.
/// With a capture file it also writes every request body it receives there, one per line, for a
/// bare load to replay the very bytes a client sent.
final class MockOpenAIServer: Sendable {
    enum Fault: CaseIterable, Sendable { case rateLimited, serverError, timeout, truncated, notJSON }

    struct Config: Sendable {
        var latency: TimeAmount
        var faultRate: Double
        var seed: UInt64
        var capture: RequestCapture? = nil
        var batches = MockBatches.Config()
    }

    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    let port: Int
    private let counters: NIOLockedValueBox<[String: Int]>

    init(config: Config, threads: Int = 2, port requestedPort: Int = 0) throws {
        group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let counters = NIOLockedValueBox<[String: Int]>([:])
        let random = NIOLockedValueBox(SeededGenerator(seed: config.seed))
        self.counters = counters
        let cache = MockPromptCache()
        let batches = MockBatches(config: config.batches, cache: cache) { key, n in
            counters.withLockedValue { $0[key, default: 0] += n }
        }
        channel = try ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 1024)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(Handler(config: config, counters: counters, random: random, batches: batches))
                }
            }
            .bind(host: "127.0.0.1", port: requestedPort).wait()
        port = channel.localAddress!.port!
    }

    var baseURL: String { "http://127.0.0.1:\(port)/v1" }
    var counts: [String: Int] { counters.withLockedValue { $0 } }

    func shutdown() {
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
    }

    final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let config: Config
        let counters: NIOLockedValueBox<[String: Int]>
        let random: NIOLockedValueBox<SeededGenerator>
        let batches: MockBatches
        var head: HTTPRequestHead?
        var body = ByteBuffer()

        init(
            config: Config, counters: NIOLockedValueBox<[String: Int]>, random: NIOLockedValueBox<SeededGenerator>,
            batches: MockBatches
        ) {
            self.batches = batches
            self.config = config
            self.counters = counters
            self.random = random
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let h):
                head = h
                body.clear()
            case .body(var part): body.writeBuffer(&part)
            case .end:
                guard let head else { return }
                let text = String(buffer: body)
                if head.method == .POST { config.capture?.write(text) }
                respond(context: context, head: head, body: text)
            }
        }

        private func count(_ key: String) { counters.withLockedValue { $0[key, default: 0] += 1 } }

        private func respond(context: ChannelHandlerContext, head: HTTPRequestHead, body: String) {
            let base = "http://" + (head.headers.first(name: "host") ?? "127.0.0.1")
            if let (status, reply) = batches.respond(
                method: head.method.rawValue, path: head.uri, contentType: head.headers.first(name: "content-type"), body: body,
                base: base)
            {
                return send(context, head, status: status, body: reply, after: .zero)
            }
            if head.method == .GET && head.uri.hasSuffix("/stats") {
                let counts = counters.withLockedValue { $0 }
                let stats = JSONValue.object(
                    OrderedDictionary(
                        uniqueKeysWithValues: counts.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.number(Double($0.value))) }))
                return send(context, head, status: 200, body: stats.serialized(), after: .zero)
            }
            if head.method == .GET {
                return send(context, head, status: 200, body: #"{"object":"list","data":[{"id":"mock"}]}"#, after: .zero)
            }
            count("requests")
            var fault: Fault? = nil
            random.withLockedValue { r in
                if r.unit() < config.faultRate {
                    fault = Fault.allCases[Int(r.unit() * Double(Fault.allCases.count)) % Fault.allCases.count]
                }
            }
            let reply = MockReplies.reply(toRequestBody: body)
            let content = reply.text
            let json = (try? JSONValue.parse(body)) ?? [:]
            if head.uri.hasSuffix(":generateContent") {
                // The Gemini API.
                count("ok")
                return send(context, head, status: 200, body: MockGemini.response(for: json).serialized(), after: config.latency)
            }
            if head.uri.hasSuffix("/messages") {
                // Anthropic's Messages API.
                count("ok")
                return send(context, head, status: 200, body: batches.cache.anthropicMessage(for: json).serialized(), after: config.latency)
            }
            let usage = batches.cache.openAI(json)
            switch fault {
            case nil:
                count("ok")
                send(context, head, status: 200, body: Self.completion(reply, usage: usage), after: config.latency)
            case .rateLimited?:
                count("429")
                send(
                    context, head, status: 429, body: #"{"error":{"message":"rate limited"}}"#, after: config.latency,
                    extra: [("Retry-After", "0")])
            case .serverError?:
                count("500")
                send(context, head, status: 500, body: #"{"error":{"message":"boom"}}"#, after: config.latency)
            case .timeout?:
                count("timeout")  // never answers; the client's timeout ends it
            case .truncated?:
                count("truncated")
                send(context, head, status: 200, body: Self.completion(String(content.prefix(content.count / 2))), after: config.latency)
            case .notJSON?:
                count("not_json")
                send(context, head, status: 200, body: Self.completion("I am sorry, I cannot help with that."), after: config.latency)
            }
        }

        static func completion(_ content: String) -> String { completion(.content(content)) }

        static func completion(_ reply: MockReplies.Reply, usage: MockPromptCache.Usage? = nil) -> String {
            let message: JSONValue
            let finish: String
            switch reply {
            case .content(let content):
                (message, finish) = (["role": "assistant", "content": .string(content)], "stop")
            case .toolCall(let name, let arguments):
                let call: JSONValue = [
                    "id": "call_mock", "type": "function", "function": ["name": .string(name), "arguments": .string(arguments)],
                ]
                (message, finish) = (["role": "assistant", "content": .null, "tool_calls": [call]], "tool_calls")
            }
            let completion: JSONValue = [
                "id": "mock", "object": "chat.completion", "created": 0, "model": "mock",
                "choices": [["index": 0, "finish_reason": .string(finish), "message": message]],
                "usage": [
                    "prompt_tokens": .number(Double(usage?.prompt ?? 100)),
                    "completion_tokens": .number(Double(TokenEstimator.estimate(reply.text))),
                    "total_tokens": .number(Double((usage?.prompt ?? 100) + TokenEstimator.estimate(reply.text))),
                    "prompt_tokens_details": ["cached_tokens": .number(Double(usage?.cached ?? 0))],
                ],
            ]
            return completion.serialized()
        }

        private func send(
            _ context: ChannelHandlerContext, _ head: HTTPRequestHead, status: Int, body: String,
            after delay: TimeAmount, extra: [(String, String)] = []
        ) {
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            let keepAlive = head.isKeepAlive
            context.eventLoop.scheduleTask(in: delay) {
                let context = loopBound.value
                var headers = HTTPHeaders([("Content-Type", "application/json"), ("Content-Length", "\(body.utf8.count)")] + extra)
                if !keepAlive { headers.add(name: "Connection", value: "close") }
                let response = HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: status), headers: headers)
                context.write(self.wrapOutboundOut(.head(response)), promise: nil)
                context.write(self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
                context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}

/// Where the mock writes the request bodies it receives: one body per line (a JSON body's raw
/// line breaks are insignificant whitespace, so they become spaces), at most `limit` bodies.
final class RequestCapture: Sendable {
    private let state: NIOLockedValueBox<(handle: FileHandle, left: Int)>

    init(path: String, limit: Int = .max) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        state = NIOLockedValueBox((handle, limit))
    }

    func write(_ body: String) {
        state.withLockedValue { state in
            guard state.left > 0 else { return }
            state.left -= 1
            state.handle.write(Data((body.replacingOccurrences(of: "\n", with: " ") + "\n").utf8))
        }
    }
}
