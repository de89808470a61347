import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// How long a client may take and how many may be connected: what keeps slow or broken clients
/// from holding the service's connections and file descriptors.
public struct ConnectionLimits: Sendable {
    /// From connecting (or the end of the previous response) until the request's headers are in.
    /// Covers idle keep-alive connections and clients that send their headers slowly.
    public var headerTimeout: Duration = .seconds(15)
    /// The longest pause inside a request body (a slow upload that keeps sending is not cut).
    public var bodyIdleTimeout: Duration = .seconds(30)
    /// Connections open at once; past it new ones wait in the listen queue.
    public var maxConnections = 512

    public init() {}
}

/// Wraps the HTTP/WebSocket child channel with `RequestGuard` and `ByteProbe`: Hummingbird arms
/// its idle timer only after the first request's upgrade decision and leaves parse errors of a
/// first request unanswered when WebSockets are on, so both are handled here, in front of it.
struct GuardedChannel<Inner: ServerChildChannel>: ServerChildChannel {
    typealias Value = Inner.Value
    let inner: Inner
    let limits: ConnectionLimits
    let metrics: ServerMetrics

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let limits = self.limits
        let metrics = self.metrics
        return inner.setup(channel: channel, logger: logger).assumeIsolated().flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let state = ConnectionState()
            try pipeline.addHandler(ByteProbe(state: state), position: .first)
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandler(RequestGuard(state: state, limits: limits, metrics: metrics), position: .after(decoder))
            return value
        }.nonisolated()
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

/// What the two handlers of one connection share (both run on its event loop).
final class ConnectionState {
    /// Bytes arrived for the request being read, and how long its request line is (nil until
    /// its end arrived).
    var bytesSinceRequestStart = 0
    var requestLineLength: Int?
    /// After a refusal, whatever else the client sends is dropped unread.
    var discarding = false

    func requestStarts() {
        bytesSinceRequestStart = 0
        requestLineLength = nil
    }
}

/// First in the pipeline, on raw bytes: notes how long the request line is (a header overflow
/// within it is a URL that is too long, 414; after it, headers, 431) and drops input
/// after a refusal, so a 1 MB header is not buffered while the answer goes out.
final class ByteProbe: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    let state: ConnectionState

    init(state: ConnectionState) { self.state = state }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if state.discarding { return }
        let buffer = unwrapInboundIn(data)
        if state.requestLineLength == nil, let end = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            state.requestLineLength = state.bytesSinceRequestStart + (end - buffer.readerIndex)
        }
        state.bytesSinceRequestStart += buffer.readableBytes
        context.fireChannelRead(data)
    }
}

/// Right after the HTTP decoder: times out slow headers and stalled bodies, answers malformed
/// requests with a problem document and closes, and gives Hummingbird's empty error answers
/// (a refused WebSocket upgrade) a problem document. After a WebSocket upgrade it steps aside.
final class RequestGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    let state: ConnectionState
    let limits: ConnectionLimits
    let metrics: ServerMetrics
    private var upgraded = false
    private var refused = false
    /// Requests whose head arrived and whose response has not ended.
    private var open = 0
    private var readingBody = false
    private var lastBodyRead = NIODeadline.now()
    private var requestWasHead = false
    private var requestWasUpgrade = false
    private var timer: Scheduled<Void>?
    private var fillIn: ByteBuffer?
    /// The response says `Connection: close` (413 before the body was read): close once it is out.
    private var closeAfterResponse = false

    init(state: ConnectionState, limits: ConnectionLimits, metrics: ServerMetrics) {
        self.state = state
        self.limits = limits
        self.metrics = metrics
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { awaitHead(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        awaitHead(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { cancelTimer() }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !upgraded, !refused else { return context.fireChannelRead(data) }
        switch unwrapInboundIn(data) {
        case .head(let head):
            open += 1
            readingBody = true
            requestWasHead = head.method == .HEAD
            requestWasUpgrade = head.headers[canonicalForm: "upgrade"].contains { $0.lowercased() == "websocket" }
            lastBodyRead = .now()
            schedule(context, after: limits.bodyIdleTimeout, bodyStalled)
        case .body:
            lastBodyRead = .now()
        case .end:
            readingBody = false
            cancelTimer()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard !upgraded else { return context.write(data, promise: promise) }
        switch unwrapOutboundIn(data) {
        case .head(var head):
            if head.headers[canonicalForm: "connection"].contains(where: { $0.lowercased() == "close" }) { closeAfterResponse = true }
            if head.status == .switchingProtocols {
                upgraded = true
                cancelTimer()
            } else if head.status.code >= 400, head.headers["content-length"].first == "0", !requestWasHead {
                // Only Hummingbird's own answers are empty (every route's error has a body).
                let detail =
                    requestWasUpgrade
                    ? "the WebSocket upgrade was refused: open /ws/jobs/{id}?token=ACCESS_TOKEN for a job of yours with a valid token"
                    : head.status.reasonPhrase
                let body = Self.problem(head.status, detail)
                head.headers.replaceOrAdd(name: "content-type", value: "application/problem+json")
                head.headers.replaceOrAdd(name: "content-length", value: String(body.readableBytes))
                fillIn = body
                return context.write(wrapOutboundOut(.head(head)), promise: promise)
            }
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            if let body = fillIn {
                fillIn = nil
                context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            }
            open = max(0, open - 1)
            if closeAfterResponse {
                // Whatever the client still sends is dropped; it gets the answer, then the close.
                refused = true
                state.discarding = true
                cancelTimer()
                let written = context.eventLoop.makePromise(of: Void.self)
                if let promise { written.futureResult.cascade(to: promise) }
                context.writeAndFlush(data, promise: written)
                written.futureResult.assumeIsolated().whenComplete { _ in self.linger(context) }
                return
            }
            context.write(data, promise: promise)
            if open == 0, !readingBody, !refused {
                state.requestStarts()
                awaitHead(context)
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard !upgraded, let parseError = error as? HTTPParserError else { return context.fireErrorCaught(error) }
        // Answered here, not passed on: Hummingbird would answer again with an empty 400.
        guard !refused else { return }
        // The decoder counts the URL in its 80 KB header budget: a request line that long is the URL.
        let urlTooLong = (state.requestLineLength ?? .max) >= Self.headerBudget
        let (status, detail) = Self.describe(parseError, urlTooLong: urlTooLong)
        metrics.connectionRefused(status == .badRequest ? .malformed : .tooLarge)
        refuse(context, status: status, detail: detail)
    }

    /// Answers with a problem document and closes. When an earlier request's response is still
    /// due (a pipelined request went bad), that response goes out first, then the connection closes.
    private func refuse(_ context: ChannelHandlerContext, status: HTTPResponseStatus, detail: String) {
        refused = true
        state.discarding = true
        cancelTimer()
        guard open == 0 else {
            closeAfterResponse = true
            return
        }
        let body = Self.problem(status, detail)
        let head = HTTPResponseHead(
            version: .http1_1, status: status,
            headers: [
                "content-type": "application/problem+json", "content-length": String(body.readableBytes), "connection": "close",
            ])
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        let flushed = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: flushed)
        flushed.futureResult.assumeIsolated().whenComplete { _ in self.linger(context) }
    }

    /// Closes our side once the answer is out, then the rest: input is dropped meanwhile.
    private func linger(_ context: ChannelHandlerContext) {
        context.close(mode: .output, promise: nil)
        Self.endInput(context)
        context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(2)) { context.close(promise: nil) }
    }

    /// Closes the connection as if the client had: the pending WebSocket upgrade decision (first
    /// request) then ends quietly instead of being logged as an error by Hummingbird, and a
    /// keep-alive connection's request loop ends.
    static func shutDown(_ context: ChannelHandlerContext) {
        endInput(context)
        context.close(promise: nil)
    }

    private static func endInput(_ context: ChannelHandlerContext) {
        context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
    }

    private func awaitHead(_ context: ChannelHandlerContext) {
        schedule(context, after: limits.headerTimeout) { context in
            // Bytes of a request arrived but not its headers: say so; an idle connection just closes.
            if self.state.bytesSinceRequestStart > 0 {
                self.metrics.connectionRefused(.headerTimeout)
                self.refuse(context, status: .requestTimeout, detail: "the request's headers did not arrive in time")
            } else {
                Self.shutDown(context)
            }
        }
    }

    private func bodyStalled(_ context: ChannelHandlerContext) {
        guard readingBody else { return }
        let idle = NIODeadline.now() - lastBodyRead
        let limit = TimeAmount(limits.bodyIdleTimeout)
        if idle < limit { return schedule(context, after: .nanoseconds(Int64((limit - idle).nanoseconds)), bodyStalled) }
        metrics.connectionRefused(.bodyTimeout)
        state.discarding = true
        refused = true
        Self.shutDown(context)
    }

    private func schedule(
        _ context: ChannelHandlerContext, after delay: Duration,
        _ action: @escaping (ChannelHandlerContext) -> Void
    ) {
        cancelTimer()
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(delay)) {
            self.timer = nil
            action(context)
        }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
    }

    /// NIO's default limit on the request line and headers together.
    static let headerBudget = 80 * 1024

    static func describe(_ error: HTTPParserError, urlTooLong: Bool) -> (HTTPResponseStatus, String) {
        switch error {
        case .headerOverflow where urlTooLong:
            (.uriTooLong, "the URL is too long (the request line and headers may have 80 KB together)")
        case .headerOverflow:
            (.requestHeaderFieldsTooLarge, "the request's headers are too large (at most 80 KB and 1000 fields)")
        case .invalidContentLength, .unexpectedContentLength:
            (.badRequest, "the request's Content-Length is not valid (or comes with Transfer-Encoding)")
        case .unknown:
            (
                .badRequest,
                "the request is not well-formed HTTP/1.1 (a bad request line or header, or Content-Length with Transfer-Encoding)"
            )
        default:
            (.badRequest, "the request is not well-formed HTTP/1.1 (\(error))")
        }
    }

    static func problem(_ status: HTTPResponseStatus, _ detail: String) -> ByteBuffer {
        let problem = APIProblem(HTTPResponse.Status(code: Int(status.code), reasonPhrase: status.reasonPhrase), detail)
        return ByteBuffer(bytes: (try? APIJSON.encoder().encode(problem)) ?? Data())
    }
}
