import AssayCore
import AssayEngine
import AssayProviders
import AssayStore
import AssayTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import AssayServer

/// A service over an in-memory store and a scripted model, and helpers that speak its API.
struct TestService {
    let store: SQLiteStore
    var config: ServerConfig

    /// The default model flags every document (`FakeModel.unsureOfParticipants`), so tests see flags counted.
    init(
        provider: any LLMProvider = ScriptedProvider(steps: [], then: FakeModel.unsureOfParticipants.step),
        configure: (inout ServerConfig) -> Void = { _ in }
    ) throws {
        store = try SQLiteStore.inMemory()
        config = ServerConfig(store: store, provider: provider, jwtSecret: "test-secret-test-secret-test-secret-00")
        config.bcryptCost = 4
        config.login.refusalDelay = .zero
        config.jobOptions = ExtractionEngine.Options(concurrency: 2)
        configure(&config)
    }

    /// Runs `test` against the router, no socket.
    func test<Value: Sendable>(
        logger: Logger = Logger(label: "assay.test"), _ test: @Sendable (API) async throws -> Value
    ) async throws -> Value {
        let (app, parts) = await buildApplication(config: config, logger: logger)
        return try await app.test(.router) { client in try await test(API(client: client, parts: parts)) }
    }

    /// Runs `test` against a live server on a free loopback port (WebSockets need one).
    func live<Value: Sendable>(_ test: @Sendable (API) async throws -> Value) async throws -> Value {
        var config = self.config
        config.port = 0
        let (app, parts) = await buildApplication(config: config)
        return try await app.test(.live) { client in try await test(API(client: client, parts: parts)) }
    }
}

/// A client with the service's vocabulary: JSON in, JSON or problems out.
struct API: Sendable {
    let client: any TestClientProtocol
    let parts: ServerParts

    struct Session: Sendable {
        var access: String
        var refresh: String
        var userID: Int64
        var bearer: HTTPFields { [.authorization: "Bearer \(access)"] }
    }

    @discardableResult
    func call(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil,
        body: ByteBuffer? = nil, headers: HTTPFields = [:]
    ) async throws -> TestResponse {
        var fields = headers
        if let token { fields[.authorization] = "Bearer \(token)" }
        var payload = body
        if let json {
            fields[.contentType] = "application/json"
            payload = ByteBuffer(string: json)
        }
        return try await client.execute(uri: uri, method: method, headers: fields, body: payload)
    }

    /// Registers (202: the same answer whether or not the email was taken), then signs in.
    func register(_ email: String = "ada@example.org", password: String = "correct horse") async throws -> Session {
        let registered = try await call(.post, "/auth/register", json: #"{"email":"\#(email)","password":"\#(password)"}"#)
        #expect(registered.status == .accepted, "\(String(buffer: registered.body))")
        return try await login(email, password: password)
    }

    func login(_ email: String = "ada@example.org", password: String = "correct horse") async throws -> Session {
        let response = try await call(.post, "/auth/login", json: #"{"email":"\#(email)","password":"\#(password)"}"#)
        #expect(response.status == .ok, "\(String(buffer: response.body))")
        let body = try response.json()
        return Session(
            access: body["access_token"]?.stringValue ?? "", refresh: body["refresh_token"]?.stringValue ?? "",
            userID: Int64(body["user"]?["id"]?.doubleValue ?? 0))
    }

    func createProject(_ session: Session, name: String = "Protests") async throws -> Int64 {
        let response = try await call(.post, "/projects", token: session.access, json: #"{"name":"\#(name)"}"#)
        #expect(response.status == .created)
        return try response.id()
    }

    /// A project with the test codebook and `documents` uploaded documents.
    func researchProject(_ session: Session, documents: Int = 3) async throws -> (project: Int64, documents: [Int64]) {
        let project = try await createProject(session)
        let codebook = try await call(
            .put, "/projects/\(project)/codebook", token: session.access,
            body: ByteBuffer(string: try Protests.codebookYAML), headers: [.contentType: "application/yaml"])
        #expect(codebook.status == .created, "\(String(buffer: codebook.body))")
        let files = (1...max(1, documents)).map { ("doc\($0).txt", Protests.document($0)) }
        let upload = try await upload(session, project: project, files: files)
        #expect(upload.status == .created, "\(String(buffer: upload.body))")
        let ids = try upload.json()["items"]?.arrayValue?.compactMap { $0["document"]?["id"]?.doubleValue }.map { Int64($0) } ?? []
        return (project, ids)
    }

    func upload(_ session: Session, project: Int64, files: [(String, String)], query: String = "") async throws -> TestResponse {
        let boundary = "assay-test-boundary"
        var text = ""
        for (name, content) in files {
            text +=
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"files\"; filename=\"\(name)\"\r\n"
                + "Content-Type: text/plain\r\n\r\n\(content)\r\n"
        }
        text += "--\(boundary)--\r\n"
        return try await call(
            .post, "/projects/\(project)/documents\(query)", token: session.access, body: ByteBuffer(string: text),
            headers: [.contentType: "multipart/form-data; boundary=\(boundary)"])
    }

    /// Starts a job and reads its SSE stream to the end; returns the job id and the event names.
    /// With a held model, the model is released only once the stream listens, so it sees every event.
    func runJob(
        _ session: Session, project: Int64, json: String, holding held: HeldProvider? = nil
    ) async throws
        -> (job: Int64, events: [String])
    {
        let started = try await call(.post, "/projects/\(project)/jobs", token: session.access, json: json)
        #expect(started.status == .accepted, "\(String(buffer: started.body))")
        let job = try started.id()
        async let stream = call(.get, "/jobs/\(job)/stream", token: session.access)
        if let held {
            while await parts.runner.subscriberCount(jobID: job) == 0 { try await Task.sleep(for: .milliseconds(5)) }
            await held.release()
        }
        let response = try await stream
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "text/event-stream")
        let events = String(buffer: response.body).split(separator: "\n").filter { $0.hasPrefix("event: ") }.map { String($0.dropFirst(7)) }
        return (job, events)
    }
}

extension TestResponse {
    func json() throws -> JSONValue { try JSONValue.parse(String(buffer: body)) }
    func id() throws -> Int64 { Int64(try #require(try json()["id"]?.doubleValue)) }

    /// Checks the response is an RFC 7807 problem with this status, and returns it.
    @discardableResult
    func problem(_ status: HTTPResponse.Status, field: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONValue
    {
        #expect(self.status == status, "\(String(buffer: body))", sourceLocation: sourceLocation)
        #expect(headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
        let object = try self.json()
        #expect(object["status"]?.doubleValue == Double(status.code), sourceLocation: sourceLocation)
        let detail = object["detail"]?.stringValue ?? ""
        #expect(detail.isEmpty == false, sourceLocation: sourceLocation)
        if let field { #expect(object["field"]?.stringValue == field, "\(object)", sourceLocation: sourceLocation) }
        return object
    }
}

/// A model that holds every call until released, so a test can pause or cancel a running job.
actor HeldProvider: LLMProvider {
    nonisolated let model = "held"
    private var open = false
    private(set) var calls = 0

    func release() { open = true }

    func complete(_ request: LLMRequest) async throws -> LLMResponse {
        calls += 1
        while !open { try await Task.sleep(for: .milliseconds(20)) }
        return LLMResponse(text: FakeModel.unsureOfParticipants.reply(for: request))
    }
}

/// Keeps every log line a test's service writes, rendered as text.
final class CapturedLogs: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    var text: String { lock.withLock { lines.joined(separator: "\n") } }

    func append(_ line: String) { lock.withLock { lines.append(line) } }

    var logger: Logger {
        Logger(label: "assay.test") { _ in CapturingHandler(logs: self) }
    }

    struct CapturingHandler: LogHandler {
        let logs: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            logs.append("\(event.level) \(event.message) \(all)")
        }
    }
}
