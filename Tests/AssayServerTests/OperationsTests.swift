import AssayCore
import AssayEngine
import AssayStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import AssayServer

@Suite("Operations: health, metrics, OpenAPI, authentication on every data route")
struct OperationsTests {
    static let publicRoutes = Set([
        "GET /health/live", "GET /health/ready", "GET /metrics", "GET /openapi.json",
        "POST /auth/register", "POST /auth/login", "POST /auth/refresh",
    ]).union(workbenchRoutes)
    /// The workbench's pages: static files, not part of the JSON API's description.
    static let workbenchRoutes: Set<String> = ["GET /", "GET /ui/{name}"]

    /// Every route the router serves, as "METHOD /path/{param}".
    static func routes(_ config: ServerConfig) async -> Set<String> {
        let metrics = ServerMetrics()
        let runner = JobRunner(engine: ExtractionEngine(store: config.store, provider: config.provider))
        let router = buildRouter(config: config, runner: runner, tokens: await TokenService.make(config: config), metrics: metrics)
        return Set(
            router.routes.map { route in
                let path = route.path.description.split(separator: "/").map { part in
                    part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
                }.joined(separator: "/")
                return "\(route.method.rawValue) /\(path)"
            })
    }

    @Test func healthAndReadiness() async throws {
        try await TestService().test { api in
            #expect(try await api.call(.get, "/health/live").status == .ok)
            let ready = try await api.call(.get, "/health/ready")
            #expect(ready.status == .ok)
            #expect(try ready.json()["provider"]?.stringValue == "ok")
        }
        var down = try TestService()
        down.config.providerCheck = { throw URLError(.cannotConnectToHost) }
        try await down.test { api in
            let ready = try await api.call(.get, "/health/ready")
            #expect(ready.status == .serviceUnavailable)
            #expect(try ready.json()["store"]?.stringValue == "ok")
            #expect(try ready.json()["provider"]?.stringValue?.hasPrefix("unreachable") == true)
        }
    }

    @Test func everyDataRouteNeedsAuthentication() async throws {
        let service = try TestService()
        let routes = await Self.routes(service.config)
        #expect(routes.count > 40)
        try await service.test { api in
            for route in routes.subtracting(Self.publicRoutes).sorted() {
                let parts = route.split(separator: " ")
                let path = parts[1].replacingOccurrences(of: "{id}", with: "1").replacingOccurrences(of: "{name}", with: "x")
                let response = try await api.call(HTTPRequest.Method(String(parts[0]))!, path, json: "{}")
                try response.problem(.unauthorized)
            }
        }
    }

    @Test func unknownRoutesAndHugeBodiesAreProblems() async throws {
        var service = try TestService()
        service.config.maxBodyBytes = 64
        try await service.test { api in
            try await api.call(.get, "/nowhere").problem(.notFound)
            try await api.call(.put, "/health/live").problem(.notFound)
            let huge = #"{"email":"\#(String(repeating: "a", count: 100))@b.org","password":"long enough"}"#
            try await api.call(.post, "/auth/register", json: huge).problem(.contentTooLarge)
            let response = try await api.call(.get, "/health/live")
            #expect(response.headers[HTTPField.Name("X-Request-ID")!]?.isEmpty == false)
        }
    }

    @Test func logsCarryRequestIDsButNoSecretsOrText() async throws {
        let logs = CapturedLogs()
        try await TestService().test(logger: logs.logger) { api in
            let ada = try await api.register(password: "pass-word-secret")
            let (project, documents) = try await api.researchProject(ada, documents: 1)
            let run = try await api.runJob(ada, project: project, json: #"{"kind":"full","skip_sample":true}"#)
            _ = try await api.call(.get, "/jobs/\(run.job)/stream?token=\(ada.access)")
            _ = try await api.call(.get, "/documents/\(documents[0])", token: ada.access)
        }
        let text = logs.text
        #expect(text.contains("hb.request.id"))
        #expect(text.contains("/jobs/1/stream"))
        #expect(!text.contains("pass-word-secret"))
        #expect(!text.contains("token="))
        #expect(!text.contains("eyJ"))
        #expect(!text.contains("Protest in City1"))
    }

    @Test func metricsCountRequestsJobsAndDocuments() async throws {
        try await TestService().test { api in
            let ada = try await api.register()
            let (project, _) = try await api.researchProject(ada, documents: 2)
            _ = try await api.runJob(ada, project: project, json: #"{"kind":"full","skip_sample":true}"#)
            let text = String(buffer: try await api.call(.get, "/metrics").body)
            #expect(text.contains(#"assay_http_requests_total{method="POST",route="/auth/register",status="202"} 1"#))
            #expect(text.contains("assay_http_request_duration_seconds_bucket"))
            #expect(text.contains(#"assay_jobs_started_total{kind="full"} 1"#))
            #expect(text.contains(#"assay_jobs_finished_total{status="completed"} 1"#))
            #expect(text.contains(#"assay_documents_processed_total{outcome="completed"} 2"#))
            #expect(text.contains(#"assay_tokens_total{direction="in"}"#))
        }
    }

    /// Prometheus convention: every family is there from the first scrape, at zero.
    @Test func everyMetricFamilyIsExportedFromTheStart() async throws {
        try await TestService().test { api in
            let text = String(buffer: try await api.call(.get, "/metrics").body)
            for family in ServerMetrics.Family.allCases {
                let name = family.name
                #expect(text.contains("# TYPE \(name) "), "\(name) missing from the first scrape")
            }
            #expect(text.contains(#"assay_jobs_started_total{kind="sample"} 0"#))
            #expect(text.contains(#"assay_documents_processed_total{outcome="failed"} 0"#))
            #expect(text.contains(#"assay_login_attempts_total{outcome="limited"} 0"#))
            #expect(text.contains(#"assay_connections_refused_total{reason="header_timeout"} 0"#))
        }
    }

    @Test func openAPIDescribesExactlyTheRoutes() async throws {
        let service = try TestService()
        var routes = await Self.routes(service.config)
        routes.insert("GET /ws/jobs/{id}")  // served by the WebSocket router
        routes.subtract(Self.workbenchRoutes)
        let served = try await service.test { api in try await api.call(.get, "/openapi.json").json() }
        let document = try JSONValue.parse(OpenAPIDocument.json)
        #expect(served == document)
        var described: Set<String> = []
        for (path, item) in document["paths"]?.objectValue ?? [:] {
            for method in item.objectValue?.keys ?? [] { described.insert("\(method.uppercased()) \(path)") }
        }
        #expect(routes.subtracting(described).isEmpty, "routes missing from openapi.json: \(routes.subtracting(described).sorted())")
        #expect(
            described.subtracting(routes).isEmpty,
            "openapi.json describes routes that do not exist: \(described.subtracting(routes).sorted())")
        // docs/openapi.json, where readers look, is the served document (a link to the one copy).
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/openapi.json")
        #expect(Array(try Data(contentsOf: docs)) == OpenAPIDocument.bytes)
    }

    @Test func failurePatternsNeedTheConfiguredRole() async throws {
        var service = try TestService()
        service.config.patternAccess = PatternAccess(role: "ml_engineer", emails: ["oncall@example.org"])
        let store = service.store
        try await service.test { api in
            let ada = try await api.register()
            for (method, path) in [
                (HTTPRequest.Method.post, "/extraction/run-once"), (.get, "/failure-patterns/runs"), (.get, "/failure-patterns"),
            ] {
                try await api.call(method, path, token: ada.access).problem(.forbidden)
            }
            let oncall = try await api.register("oncall@example.org")
            #expect(try await api.call(.get, "/auth/me", token: oncall.access).json()["can_see_patterns"]?.boolValue == true)
            let once = try await api.call(.post, "/extraction/run-once", token: oncall.access)
            #expect(once.status == .ok)
            #expect(try once.json()["detail"]?.stringValue == "no unprocessed traces")
            #expect(try await api.call(.get, "/failure-patterns/runs", token: oncall.access).json()["items"]?.arrayValue?.isEmpty == true)
            #expect(try await api.call(.get, "/failure-patterns?failure_type=tool_error", token: oncall.access).status == .ok)
            try await api.call(.get, "/failure-patterns?min_confidence=7", token: oncall.access)
                .problem(.unprocessableContent, field: "min_confidence")
            // A role granted by an administrator works the same.
            try await store.setUserRole("ml_engineer", userID: ada.userID)
            #expect(try await api.call(.get, "/failure-patterns", token: ada.access).status == .ok)
        }
    }
}
