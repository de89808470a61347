import AssayCore
import AsyncHTTPClient
import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import NIOHTTP1
import Testing

/// `assay serve` as a team runs it: a real process on a loopback port, driven over real HTTP and a
/// WebSocket through the researcher's workflow against the local model (llama-server + SmolLM2).
@Suite(.serialized, .timeLimit(.minutes(30))) struct ServeTests {
    @Test func researcherWorkflowOverHTTP() async throws {
        try await LocalModel.start()
        let dir = try CLIHarness.temporaryDirectory()
        var cli = CLIHarness(database: dir.appendingPathComponent("served.sqlite").path)
        let port = Int.random(in: 20_000..<40_000)
        cli.environment["ASSAY_BASE_URL"] = LocalModel.baseURL
        cli.environment["ASSAY_JWT_SECRET"] = String(repeating: "s3cr3t-", count: 6)
        cli.environment["ASSAY_LOG_LEVEL"] = "info"
        let server = try cli.start(
            "serve", "--port", "\(port)", "--concurrency", "4", "--document-timeout", "1200",
            "--bcrypt-cost", "4")
        #expect(await server.waitForStderr(containing: "listening on 127.0.0.1:\(port)"), "\(server.stderrSoFar)")
        let api = HTTPAPI(base: "http://127.0.0.1:\(port)")

        #expect(try await api.send("GET", "/health/ready").status == 200)
        let registered = try await api.send("POST", "/auth/register", json: #"{"email":"ada@example.org","password":"correct horse"}"#)
        #expect(registered.status == 202)
        let session = try await api.send("POST", "/auth/login", json: #"{"email":"ada@example.org","password":"correct horse"}"#)
        #expect(session.status == 200)
        let token = try #require(session.json["access_token"]?.stringValue)
        api.token = token

        let project = try await api.send("POST", "/projects", json: #"{"name":"Protest coverage"}"#)
        #expect(project.status == 201)
        let projectID = Int(try #require(project.json["id"]?.doubleValue))

        let docs = CLIHarness.repoRoot.appendingPathComponent("examples/protests/docs")
        let names = try FileManager.default.contentsOfDirectory(atPath: docs.path).filter { $0.hasSuffix(".txt") }.sorted().prefix(4)
        let files = try names.map { ($0, try String(contentsOf: docs.appendingPathComponent($0), encoding: .utf8)) }
        let upload = try await api.upload("/projects/\(projectID)/documents", files: Array(files))
        #expect(upload.status == 201, "\(upload.text)")
        #expect(upload.json["items"]?.arrayValue?.count == 4)

        let yaml = try String(contentsOf: CLIHarness.repoRoot.appendingPathComponent("examples/protests/codebook.yaml"), encoding: .utf8)
        let codebook = try await api.send("PUT", "/projects/\(projectID)/codebook", body: yaml, contentType: "application/yaml")
        #expect(codebook.status == 201, "\(codebook.text)")

        // Sample: watch the WebSocket until the job is over.
        let sample = try await api.send("POST", "/projects/\(projectID)/jobs", json: #"{"kind":"sample","sample_size":2}"#)
        #expect(sample.status == 202, "\(sample.text)")
        let sampleID = Int(try #require(sample.json["id"]?.doubleValue))
        let sampleUpdates = try await watch(port: port, job: sampleID, token: token)
        #expect(sampleUpdates.last == "job_completed", "\(sampleUpdates)")
        let sampleJob = try await api.send("GET", "/jobs/\(sampleID)")
        #expect(sampleJob.json["status"]?.stringValue == "completed")
        #expect(sampleJob.json["processed"]?.doubleValue == 2)

        // Feedback on a value of the sample.
        let values = try await api.send("GET", "/projects/\(projectID)/extractions?limit=5")
        #expect(values.status == 200)
        if let first = values.json["items"]?.arrayValue?.first, let id = first["id"]?.doubleValue {
            let feedback = try await api.send(
                "POST", "/extractions/\(Int(id))/feedback",
                // A note alone will do: a corrected value must now read in the variable's type ("x" is no date).
                json: #"{"verdict":"partially_correct","note":"checked by hand"}"#)
            #expect(feedback.status == 201, "\(feedback.text)")
        } else {
            // The tiny model may fail every document of the sample; then there is nothing to review.
            #expect(sampleJob.json["failed"]?.doubleValue == 2, "\(values.text)")
        }

        // Full run over what is left, then the CSV.
        let full = try await api.send("POST", "/projects/\(projectID)/jobs", json: #"{"kind":"full","skip_sample":true}"#)
        #expect(full.status == 202, "\(full.text)")
        let fullID = Int(try #require(full.json["id"]?.doubleValue))
        let fullUpdates = try await watch(port: port, job: fullID, token: token)
        #expect(fullUpdates.last == "job_completed", "\(fullUpdates)")
        let csv = try await api.send("GET", "/projects/\(projectID)/export?format=csv&layout=wide")
        #expect(csv.status == 200)
        let rows = csv.text.split(separator: "\r\n")
        #expect(rows.count == 5, "\(csv.text)")
        #expect(rows.first?.hasPrefix("document_id,title") == true, "\(rows.first ?? "")")

        // An administrator grants the failure-pattern role from the command line; it applies at once.
        #expect(try await api.send("GET", "/failure-patterns").status == 403)
        let granted = try await cli.run("users", "set-role", "ada@example.org", "ml_engineer")
        #expect(granted.status == 0, "\(granted.output)")
        #expect(try await api.send("GET", "/auth/me").json["can_see_patterns"]?.boolValue == true)
        #expect(try await api.send("GET", "/failure-patterns").status == 200)

        // SIGTERM: a clean stop.
        server.terminate()
        let result = await server.finish(limit: .seconds(120))
        #expect(result.status == 0, "\(result.stderr.suffix(2000))")
        #expect(result.stderr.contains("job runner stopped"))
        #expect(!result.stderr.contains(token))
    }

    /// The update types the WebSocket sends for a job, until it closes.
    func watch(port: Int, job: Int, token: String) async throws -> [String] {
        let collected = Updates()
        try await WebSocketClient.connect(
            url: "ws://127.0.0.1:\(port)/ws/jobs/\(job)?token=\(token)",
            logger: Logger(label: "assay.test.ws")
        ) { inbound, _, _ in
            for try await message in inbound.messages(maxSize: 1 << 20) {
                guard case .text(let text) = message, let type = try JSONValue.parse(text)["type"]?.stringValue else { continue }
                await collected.append(type)
            }
        }
        return await collected.items
    }
}

actor Updates {
    private(set) var items: [String] = []
    func append(_ item: String) { items.append(item) }
}

/// JSON over HTTP with a bearer token, on AsyncHTTPClient.
final class HTTPAPI: @unchecked Sendable {
    let base: String
    var token: String?

    init(base: String) { self.base = base }

    struct Reply {
        var status: Int
        var text: String
        var json: JSONValue { (try? JSONValue.parse(text)) ?? .null }
    }

    func send(_ method: String, _ path: String, json: String? = nil, body: String? = nil, contentType: String? = nil) async throws -> Reply
    {
        var request = HTTPClientRequest(url: base + path)
        request.method = .init(rawValue: method)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        } else if let body {
            request.headers.add(name: "Content-Type", value: contentType ?? "text/plain")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(600))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return Reply(status: Int(response.status.code), text: String(buffer: bytes))
    }

    func upload(_ path: String, files: [(String, String)]) async throws -> Reply {
        let boundary = "assay-\(UUID().uuidString)"
        var text = ""
        for (name, content) in files {
            text +=
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"files\"; filename=\"\(name)\"\r\nContent-Type: text/plain\r\n\r\n\(content)\r\n"
        }
        text += "--\(boundary)--\r\n"
        return try await send("POST", path, body: text, contentType: "multipart/form-data; boundary=\(boundary)")
    }
}
