import AssayCore
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A mock OpenAI-compatible server for benchmarks: answers `POST /v1/chat/completions` after a
/// fixed latency with a valid reply for the bench codebook (single or packed), and injects faults
/// at a given rate: 429 with Retry-After, 500, a timeout (no answer), a truncated reply, a non-JSON reply.
final class MockOpenAIServer: Sendable {
    enum Fault: CaseIterable, Sendable { case rateLimited, serverError, timeout, truncated, notJSON }

    struct Config: Sendable {
        var latency: TimeAmount
        var faultRate: Double
        var seed: UInt64
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
        channel = try ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 1024)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(Handler(config: config, counters: counters, random: random))
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

    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let config: Config
        let counters: NIOLockedValueBox<[String: Int]>
        let random: NIOLockedValueBox<SeededGenerator>
        var head: HTTPRequestHead?
        var body = ByteBuffer()

        init(config: Config, counters: NIOLockedValueBox<[String: Int]>, random: NIOLockedValueBox<SeededGenerator>) {
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
                respond(context: context, head: head, body: String(buffer: body))
            }
        }

        private func count(_ key: String) { counters.withLockedValue { $0[key, default: 0] += 1 } }

        private func respond(context: ChannelHandlerContext, head: HTTPRequestHead, body: String) {
            if head.method == .GET {
                return send(context, head, status: 200, body: #"{"object":"list","data":[{"id":"mock"}]}"#, after: .zero)
            }
            count("requests")
            var fault: Fault? = nil
            random.withLockedValue { r in
                if r.unit() < config.faultRate { fault = Fault.allCases[Int(r.unit() * Double(Fault.allCases.count)) % Fault.allCases.count] }
            }
            let content = MockReplies.reply(toRequestBody: body)
            switch fault {
            case nil:
                count("ok")
                send(context, head, status: 200, body: Self.completion(content), after: config.latency)
            case .rateLimited?:
                count("429")
                send(context, head, status: 429, body: #"{"error":{"message":"rate limited"}}"#, after: config.latency, extra: [("Retry-After", "0")])
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

        static func completion(_ content: String) -> String {
            let message: JSONValue = [
                "id": "mock", "object": "chat.completion",
                "choices": [["index": 0, "finish_reason": "stop", "message": ["role": "assistant", "content": .string(content)]]],
                "usage": ["prompt_tokens": 100, "completion_tokens": .number(Double(TokenEstimator.estimate(content)))],
            ]
            return message.serialized()
        }

        private func send(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, status: Int, body: String,
                          after delay: TimeAmount, extra: [(String, String)] = []) {
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

/// Replies a good model would give for the bench codebook, read off the bench documents.
enum MockReplies {
    static func reply(toRequestBody body: String) -> String {
        guard let json = try? JSONValue.parse(body),
              let user = json["messages"]?.arrayValue?.last(where: { $0["role"] == "user" })?["content"]?.stringValue
        else { return "{}" }
        let tagged = tagged(user)
        if tagged.isEmpty {
            let text = user.components(separatedBy: "<document>\n").last?.components(separatedBy: "\n</document>").first ?? ""
            return answers(for: text).serialized()
        }
        var object = OrderedDictionary<String, JSONValue>()
        for (key, text) in tagged { object[key] = answers(for: text) }
        return JSONValue.object(object).serialized()
    }

    static func tagged(_ user: String) -> [(String, String)] {
        var found: [(String, String)] = []
        var rest = Substring(user)
        while let open = rest.range(of: "<document id=\""), let quote = rest[open.upperBound...].firstIndex(of: "\""),
              let close = rest.range(of: "\n</document>") {
            found.append((String(rest[open.upperBound..<quote]), String(rest[rest.index(quote, offsetBy: 3)..<close.lowerBound])))
            rest = rest[close.upperBound...]
        }
        return found
    }

    static func answers(for text: String) -> JSONValue {
        let words = text.split(separator: " ")
        let city = words.count > 2 ? String(words[2].dropLast()) : ""
        let number = words.first { Int($0) != nil }.map(String.init) ?? "0"
        return [
            "city": ["evidence": .string("Protest in \(city)"), "rationale": "named", "value": .string(city), "confidence": 0.9],
            "participants": ["evidence": .string("About \(number) people came"), "rationale": "stated",
                             "value": .number(Double(number) ?? 0), "confidence": 0.9],
            "violence": ["evidence": "It was peaceful.", "rationale": "peaceful", "value": false, "confidence": 0.8],
        ]
    }
}
