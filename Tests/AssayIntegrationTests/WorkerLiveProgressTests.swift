import AssayCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// `assay serve --no-worker` queues a job started over HTTP; an `assay worker` on the same
/// database codes it; the service's SSE stream follows the worker's progress to the end.
@Suite(.serialized, .timeLimit(.minutes(10))) struct WorkerLiveProgressTests {
    @Test func serviceStreamsTheProgressOfAJobAWorkerCodes() async throws {
        let dir = try CLIHarness.temporaryDirectory()
        // Slow enough replies that the job lasts several of the service's reads (one a second).
        let mock = try await MockModelServer(arguments: ["--latency-ms", "200"])
        defer { mock.stop() }
        var cli = CLIHarness(database: dir.appendingPathComponent("shared.sqlite").path)
        cli.environment = ["ASSAY_BASE_URL": mock.baseURL, "ASSAY_MODEL": "mock", "ASSAY_LOG_LEVEL": "info"]
        let port = Int.random(in: 20_000..<40_000)
        let server = try cli.start("serve", "--dev", "--no-worker", "--port", "\(port)", "--bcrypt-cost", "4")
        defer { server.terminate() }
        #expect(await server.waitForStderr(containing: "listening on 127.0.0.1:\(port)"), "\(server.stderrSoFar)")

        let api = HTTPAPI(base: "http://127.0.0.1:\(port)")
        let account = #"{"email":"ada@example.org","password":"correct horse"}"#
        #expect(try await api.send("POST", "/auth/register", json: account).status == 202)
        let token = try #require(try await api.send("POST", "/auth/login", json: account).json["access_token"]?.stringValue)
        api.token = token
        let projectID = Int(try #require(try await api.send("POST", "/projects", json: #"{"name":"bench"}"#).json["id"]?.doubleValue))
        let files = (1...30).map { i in
            ("doc\(i).txt", "Protest in City\(i). About \(i + 10) people came. It was peaceful. The march went through the old town.")
        }
        #expect(try await api.upload("/projects/\(projectID)/documents", files: files).status == 201)
        let yaml = try String(contentsOf: CLIHarness.repoRoot.appendingPathComponent("examples/bench/codebook.yaml"), encoding: .utf8)
        #expect(try await api.send("PUT", "/projects/\(projectID)/codebook", body: yaml, contentType: "application/yaml").status == 201)
        let started = try await api.send("POST", "/projects/\(projectID)/jobs", json: #"{"kind":"full","skip_sample":true}"#)
        #expect(started.status == 202 && started.json["status"]?.stringValue == "pending", "\(started.text)")
        let jobID = Int(try #require(started.json["id"]?.doubleValue))

        let events = SSEEvents()
        let reader = Task { try await events.read("http://127.0.0.1:\(port)/jobs/\(jobID)/stream", token: token) }
        // The stream says where the job stands before any worker is there.
        while await events.items.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
        #expect(await events.items.first?.status == "pending")

        let worker = try cli.start("worker", "--exit-when-idle", "--concurrency", "2", "--poll-seconds", "0.2")
        let done = await worker.finish(limit: .seconds(300))
        #expect(done.status == 0 && done.stderr.contains("Joined job #\(jobID)"), "\(done.output)")
        try await reader.value

        let seen = await events.items
        #expect(seen.contains { $0.type == "progress" && $0.processed > 0 }, "\(seen)")
        #expect(seen.last?.type == "job_completed" && seen.last?.processed == 30, "\(seen)")
        // Every document the worker finished is told by name, once.
        let told = seen.filter { ["document_completed", "document_failed"].contains($0.type) }.compactMap(\.document)
        #expect(told.count == 30 && Set(told) == Set(files.map(\.0)), "\(seen)")
    }
}

/// The events of one Server-Sent Events stream, read until the server ends it.
actor SSEEvents {
    struct Event: CustomStringConvertible {
        var type: String
        var status: String
        var processed: Int
        var document: String?
        var description: String { "\(type)(\(status), \(processed)\(document.map { ", " + $0 } ?? ""))" }
    }
    private(set) var items: [Event] = []

    func read(_ url: String, token: String) async throws {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(600))
        guard response.status == .ok else { throw HarnessError("stream: HTTP \(response.status.code)") }
        var pending = ""
        for try await chunk in response.body {
            pending += String(buffer: chunk)
            // An event ends at a blank line; its JSON is on the `data:` line.
            while let end = pending.range(of: "\n\n") {
                let frame = pending[..<end.lowerBound]
                pending = String(pending[end.upperBound...])
                guard let data = frame.split(separator: "\n").first(where: { $0.hasPrefix("data: ") }) else { continue }
                let update = try JSONValue.parse(String(data.dropFirst(6)))
                items.append(
                    Event(
                        type: update["type"]?.stringValue ?? "?", status: update["status"]?.stringValue ?? "?",
                        processed: Int(update["processed"]?.doubleValue ?? -1), document: update["external_id"]?.stringValue))
            }
        }
    }
}
