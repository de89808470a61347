import AssayCore
import AssayEngine
import AssayStore
import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import ServiceLifecycle

/// Live progress of a job: Server-Sent Events at `GET /jobs/{id}/stream` and a WebSocket at
/// `/ws/jobs/{id}?token=...`. Both send JSON `JobUpdate`s — progress, document completed/failed,
/// job paused/resumed/completed/failed/cancelled — and end after the final one. A job that is
/// already over gets its final state at once.
struct ProgressController {
    let runner: JobRunner
    let ownership: Ownership

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/jobs/:id/stream") { _, context in
            let job = try await ownership.job(try context.parameters.id(what: "job"), for: try context.requireIdentity())
            let updates = await Self.updates(for: job, runner: runner)
            let body = ResponseBody { writer in
                for await update in updates.cancelOnGracefulShutdown() {
                    let data = try APIJSON.encoder().encode(update)
                    try await writer.write(ByteBuffer(string: "event: \(update.type.rawValue)\ndata: \(String(decoding: data, as: UTF8.self))\n\n"))
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
        }
    }

    /// The WebSocket route lives on its own router (upgrades only); the token comes in the query.
    func addWebSocketRoutes(to router: Router<BasicWebSocketRequestContext>, tokens: TokenService, accounts: any AccountStore) {
        router.ws("/ws/jobs/:id") { request, context in
            guard let token = request.uri.queryParameters.get("token"),
                  let identity = try? await AuthMiddleware.resolve(token, tokens: tokens, accounts: accounts),
                  let id = context.parameters.get("id").flatMap(Int64.init),
                  (try? await ownership.job(id, for: identity)) != nil else {
                return .dontUpgrade
            }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            guard let token = context.request.uri.queryParameters.get("token"),
                  let identity = try? await AuthMiddleware.resolve(token, tokens: tokens, accounts: accounts),
                  let id = context.requestContext.parameters.get("id").flatMap(Int64.init),
                  let job = try? await ownership.job(id, for: identity) else { return }
            let updates = await Self.updates(for: job, runner: runner)
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

    /// The job's live updates, or its final state when it no longer runs here.
    static func updates(for job: Job, runner: JobRunner) async -> AsyncStream<JobUpdate> {
        let live = await runner.updates(jobID: job.id)
        let store = await runner.store
        return AsyncStream { continuation in
            let task = Task {
                var sawFinal = false
                for await update in live {
                    continuation.yield(update)
                    sawFinal = sawFinal || update.type.isFinal
                }
                if !sawFinal, let current = try? await store.job(id: job.id) {
                    if current.status.isFinished {
                        continuation.yield(JobUpdate.final(for: current))
                    } else {
                        // Not running in this process (paused by an earlier one): say where it stands.
                        continuation.yield(JobUpdate(type: .progress, job: current))
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
