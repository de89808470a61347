import AssayCore
import AssayEngine
import AssayService
import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import ServiceLifecycle

/// Live progress of a job: Server-Sent Events at `GET /jobs/{id}/stream` and a WebSocket at
/// `/ws/jobs/{id}?token=...`. Both send JSON `JobUpdate`s — progress, document completed/failed,
/// job paused/resumed/completed/failed/cancelled — and end after the final one. A job that is
/// already over gets its final state at once; one another process codes (a worker) is followed
/// in the store (`Jobs.updates`).
struct ProgressController {
    let jobs: Jobs
    let sessions: Sessions
    let patternAccess: PatternAccess

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/jobs/:id/stream") { _, context in
            let updates = try await jobs.updates(try context.parameters.id(what: "job"), for: try context.requireRequester())
            let body = ResponseBody { writer in
                for await update in updates.cancelOnGracefulShutdown() {
                    let data = try APIJSON.encoder().encode(update)
                    try await writer.write(
                        ByteBuffer(string: "event: \(update.type.rawValue)\ndata: \(String(decoding: data, as: UTF8.self))\n\n"))
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
        }
    }

    /// The WebSocket route lives on its own router (upgrades only); the token comes in the query.
    func addWebSocketRoutes(to router: Router<BasicWebSocketRequestContext>) {
        router.ws("/ws/jobs/:id") { request, context in
            guard let token = request.uri.queryParameters.get("token"),
                let identity = try? await AuthMiddleware.resolve(token, sessions: sessions),
                let id = context.parameters.get("id").flatMap(Int64.init),
                (try? await jobs.get(id, for: identity.requester(patternAccess))) != nil
            else {
                return .dontUpgrade
            }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            guard let token = context.request.uri.queryParameters.get("token"),
                let identity = try? await AuthMiddleware.resolve(token, sessions: sessions),
                let id = context.requestContext.parameters.get("id").flatMap(Int64.init),
                let updates = try? await jobs.updates(id, for: identity.requester(patternAccess))
            else { return }
            try await withThrowingTaskGroup(of: Void.self) { group in
                // Control frames (the client's pongs, its close) are handled only while the inbound
                // stream is read; without this the server's pings time out on a long job.
                group.addTask { for try await _ in inbound {} }
                group.addTask {
                    for await update in updates.cancelOnGracefulShutdown() {
                        let data = try APIJSON.encoder().encode(update)
                        try await outbound.write(.text(String(decoding: data, as: UTF8.self)))
                    }
                }
                // Whichever ends first (the job, or the client going away) ends the connection.
                try await group.next()
                group.cancelAll()
            }
        }
    }
}
