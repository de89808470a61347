import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A tiny HTTP server on a loopback port that answers from a script, so the provider is tested
/// over real sockets: statuses, headers, slow answers and broken bodies.
package final class StubHTTPServer: Sendable {
    package struct Reply: Sendable {
        package var status: Int = 200
        package var headers: [(String, String)] = [("Content-Type", "application/json")]
        package var body: String
        package var delay: TimeAmount = .zero
        /// Send the head and half the body, then nothing more: a server that stalls mid-reply.
        package var stallsMidBody = false

        package init(
            status: Int = 200, headers: [(String, String)] = [("Content-Type", "application/json")], body: String,
            delay: TimeAmount = .zero, stallsMidBody: Bool = false
        ) {
            self.status = status
            self.headers = headers
            self.body = body
            self.delay = delay
            self.stallsMidBody = stallsMidBody
        }
    }

    package struct Received: Sendable {
        package var method: String
        package var uri: String
        package var headers: [(String, String)]
        package var body: String

        /// A header's value, by case-insensitive name.
        package func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let channel: any Channel
    private let state: NIOLockedValueBox<(replies: [Reply], received: [Received])>
    package let port: Int

    package init(replies: [Reply]) throws {
        let state = NIOLockedValueBox<(replies: [Reply], received: [Received])>((replies, []))
        self.state = state
        channel = try ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(Handler(state: state))
                }
            }
            .bind(host: "127.0.0.1", port: 0).wait()
        port = channel.localAddress!.port!
    }

    package var baseURL: String { "http://127.0.0.1:\(port)/v1" }
    /// The server with no path, for APIs whose base URL has none (Ollama).
    package var origin: String { "http://127.0.0.1:\(port)" }
    package var received: [Received] { state.withLockedValue { $0.received } }

    package func shutdown() {
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
    }

    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let state: NIOLockedValueBox<(replies: [Reply], received: [Received])>
        var head: HTTPRequestHead?
        var body = ""

        init(state: NIOLockedValueBox<(replies: [Reply], received: [Received])>) { self.state = state }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let h):
                head = h
                body = ""
            case .body(let buffer): body += String(buffer: buffer)
            case .end:
                guard let head else { return }
                let request = Received(
                    method: "\(head.method)", uri: head.uri, headers: head.headers.map { ($0.name, $0.value) }, body: body)
                let reply = state.withLockedValue { s -> Reply in
                    s.received.append(request)
                    return s.replies.isEmpty
                        ? Reply(status: 500, body: #"{"error":{"message":"script exhausted"}}"#) : s.replies.removeFirst()
                }
                let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
                context.eventLoop.scheduleTask(in: reply.delay) {
                    let context = loopBound.value
                    var headers = HTTPHeaders(reply.headers)
                    headers.add(name: "Content-Length", value: "\(reply.body.utf8.count)")
                    let response = HTTPResponseHead(
                        version: head.version, status: HTTPResponseStatus(statusCode: reply.status), headers: headers)
                    context.write(self.wrapOutboundOut(.head(response)), promise: nil)
                    if reply.stallsMidBody {
                        let half = String(reply.body.prefix(reply.body.count / 2))
                        context.writeAndFlush(self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: half)))), promise: nil)
                        return
                    }
                    context.write(self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: reply.body)))), promise: nil)
                    context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
                }
            }
        }
    }
}
