import AssayCore
import AssayEngine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import HummingbirdWebSocket
import NIOCore
import Testing

@testable import AssayServer

@Suite("Live progress over WebSocket, and graceful shutdown")
struct LiveProgressTests {
    @Test func webSocketSendsEveryUpdateUntilTheJobCompletes() async throws {
        let held = HeldProvider()
        try await TestService(provider: held).live { api in
            let ada = try await api.register()
            let (project, _) = try await api.researchProject(ada, documents: 2)
            let job = try await api.call(
                .post, "/projects/\(project)/jobs", token: ada.access, json: #"{"kind":"full","skip_sample":true}"#
            ).id()
            let client = api.client
            let watcher = Task {
                let types = Collected()
                try await client.ws("/ws/jobs/\(job)?token=\(ada.access)") { inbound, _, _ in
                    for try await message in inbound.messages(maxSize: 1 << 16) {
                        guard case .text(let text) = message else { continue }
                        let update = try JSONValue.parse(text)
                        await types.append(update["type"]?.stringValue ?? "?")
                    }
                }
                return await types.items
            }
            while await api.parts.runner.subscriberCount(jobID: job) == 0 { try await Task.sleep(for: .milliseconds(5)) }
            await held.release()
            let types = try await watcher.value
            #expect(types.filter { $0 == "document_completed" }.count == 2)
            #expect(types.contains("progress"))
            #expect(types.last == "job_completed")
        }
    }

    /// A job quiet for longer than the ping period keeps its WebSocket: the server reads the
    /// client's pongs (it once ignored them and dropped the connection with "Ping timeout").
    @Test func webSocketSurvivesPingsDuringAQuietJob() async throws {
        let held = HeldProvider()
        var service = try TestService(provider: held)
        service.config.webSocketPing = .milliseconds(500)
        try await service.live { api in
            let ada = try await api.register()
            let (project, _) = try await api.researchProject(ada, documents: 1)
            let job = try await api.call(
                .post, "/projects/\(project)/jobs", token: ada.access, json: #"{"kind":"full","skip_sample":true}"#
            ).id()
            let client = api.client
            let watcher = Task {
                let types = Collected()
                try await client.ws("/ws/jobs/\(job)?token=\(ada.access)") { inbound, _, _ in
                    for try await message in inbound.messages(maxSize: 1 << 16) {
                        guard case .text(let text) = message else { continue }
                        await types.append(try JSONValue.parse(text)["type"]?.stringValue ?? "?")
                    }
                }
                return await types.items
            }
            while await api.parts.runner.subscriberCount(jobID: job) == 0 { try await Task.sleep(for: .milliseconds(5)) }
            // Several ping periods pass with nothing to send (periods generous enough for a loaded machine).
            try await Task.sleep(for: .milliseconds(2500))
            await held.release()
            let types = try await watcher.value
            #expect(types.last == "job_completed", "\(types)")
        }
    }

    @Test func webSocketRefusesMissingTokensAndOtherUsersJobs() async throws {
        try await TestService().live { api in
            let ada = try await api.register()
            let bob = try await api.register("bob@example.org")
            let (project, _) = try await api.researchProject(ada, documents: 1)
            let job = try await api.call(
                .post, "/projects/\(project)/jobs", token: ada.access, json: #"{"kind":"full","skip_sample":true}"#
            ).id()
            for query in ["", "?token=nonsense", "?token=\(bob.access)"] {
                await #expect(throws: (any Error).self) {
                    try await api.client.ws("/ws/jobs/\(job)\(query)") { _, _, _ in }
                }
            }
        }
    }

    @Test func shutdownLetsTheDocumentInFlightFinishAndRefusesNewJobs() async throws {
        let held = HeldProvider()
        var service = try TestService(provider: held)
        service.config.jobOptions = ExtractionEngine.Options(concurrency: 1)
        try await service.test { api in
            let ada = try await api.register()
            let (project, _) = try await api.researchProject(ada, documents: 3)
            let job = try await api.call(
                .post, "/projects/\(project)/jobs", token: ada.access, json: #"{"kind":"full","skip_sample":true}"#
            ).id()
            while await held.calls == 0 { try await Task.sleep(for: .milliseconds(5)) }
            let runner = api.parts.runner
            let stopping = Task { await runner.shutdown(grace: .seconds(600)) }
            try await api.call(.post, "/projects/\(project)/jobs", token: ada.access, json: #"{"kind":"full","skip_sample":true}"#)
                .problem(.serviceUnavailable)
            await held.release()
            await stopping.value
            let state = try await api.call(.get, "/jobs/\(job)", token: ada.access).json()
            #expect(state["status"]?.stringValue == "cancelled")
            #expect(state["processed"]?.doubleValue == 1)
            #expect(await held.calls == 1)
            #expect(try await api.call(.get, "/projects/\(project)/extractions", token: ada.access).json()["total"]?.doubleValue == 3)
        }
    }
}

actor Collected {
    private(set) var items: [String] = []
    func append(_ item: String) { items.append(item) }
}
