import AssayCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import AssayServer

/// Clients that send what no well-behaved one does: malformed requests, huge URLs and headers,
/// half-sent headers, stalled or oversized bodies. Each gets a problem document where an answer
/// is possible, and the connection is closed by the server rather than held.
@Suite("A hostile client over a raw socket")
struct HostileClientTests {
    /// A live service with short timeouts, so a test sees the server close a connection quickly
    /// (not so short that a loaded machine trips them; the test client's own connection is idle
    /// that long too, so its calls come first).
    static func service(timeout: Duration = .seconds(2)) throws -> TestService {
        var service = try TestService()
        service.config.connections.headerTimeout = timeout
        service.config.connections.bodyIdleTimeout = timeout
        return service
    }

    static func port(_ api: API) throws -> Int { try #require(api.client.port) }

    /// Sends `request` on a fresh connection and reads until the server closes it.
    static func exchange(_ api: API, _ request: String) async throws -> (status: Int?, body: JSONValue?, raw: String, closed: Bool) {
        let connection = try RawConnection(port: try port(api))
        let (text, closed) = await blocking {
            connection.write(request)
            return connection.readUntilClosed()
        }
        return (text.httpStatus, try? JSONValue.parse(text.httpBody), text, closed)
    }

    static func expectProblem(
        _ answer: (status: Int?, body: JSONValue?, raw: String, closed: Bool), _ status: Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(answer.status == status, "\(answer.raw)", sourceLocation: sourceLocation)
        #expect(answer.raw.lowercased().contains("content-type: application/problem+json"), "\(answer.raw)", sourceLocation: sourceLocation)
        #expect(answer.body?["status"]?.doubleValue == Double(status), "\(answer.raw)", sourceLocation: sourceLocation)
        #expect(answer.body?["detail"]?.stringValue?.isEmpty == false, sourceLocation: sourceLocation)
        #expect(answer.closed, "the server kept the connection open", sourceLocation: sourceLocation)
    }

    @Test func malformedRequestsGet400AndAClose() async throws {
        try await Self.service(timeout: .seconds(30)).live { api in
            Self.expectProblem(try await Self.exchange(api, "GARBAGE\r\n\r\n"), 400)
            Self.expectProblem(try await Self.exchange(api, "GET /health/live HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"), 400)
            Self.expectProblem(
                try await Self.exchange(
                    api,
                    "POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), 400)
            Self.expectProblem(try await Self.exchange(api, "GET /health/live HTTP/9.9\r\nHost: x\r\n\r\n"), 400)
            // A good request with garbage behind it: the good one is answered, then the connection closes.
            let pipelined = try await Self.exchange(api, "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\nGARBAGE\r\n\r\n")
            #expect(pipelined.status == 200 && pipelined.closed, "\(pipelined.raw)")
            let metrics = String(buffer: try await api.call(.get, "/metrics").body)
            #expect(metrics.contains(#"assay_connections_refused_total{reason="malformed"} 5"#), "\(metrics)")
        }
    }

    @Test func aHugeURLGets414AndAHugeHeader431() async throws {
        try await Self.service().live { api in
            let path = "/health/live?q=" + String(repeating: "a", count: 100_000)
            Self.expectProblem(try await Self.exchange(api, "GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n"), 414)
            let header = "X-Big: " + String(repeating: "b", count: 1 << 20)
            Self.expectProblem(try await Self.exchange(api, "GET /health/live HTTP/1.1\r\nHost: x\r\n\(header)\r\n\r\n"), 431)
        }
    }

    @Test func halfSentHeadersTimeOutAndTheConnectionCloses() async throws {
        try await Self.service().live { api in
            let connection = try RawConnection(port: try Self.port(api))
            let (text, closed) = await blocking {
                connection.write("GET /health/live HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                return connection.readUntilClosed()
            }
            #expect(closed, "the server held a half-sent request")
            #expect(text.httpStatus == 408, "\(text)")
            // An idle connection that never sent anything is closed as well.
            let idle = try RawConnection(port: try Self.port(api))
            #expect(await blocking { idle.readUntilClosed().closed })
        }
    }

    @Test func aStalledBodyClosesTheConnection() async throws {
        try await Self.service().live { api in
            let connection = try RawConnection(port: try Self.port(api))
            let closed = await blocking {
                connection.write(
                    "POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"em")
                return connection.readUntilClosed().closed
            }
            #expect(closed, "the server waited forever for the body")
        }
    }

    @Test func aKeepAliveConnectionServesSeveralRequests() async throws {
        try await Self.service(timeout: .seconds(30)).live { api in
            let connection = try RawConnection(port: try Self.port(api))
            for _ in 0..<3 {
                let status = await blocking {
                    connection.write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n")
                    return connection.readResponse()?.status
                }
                #expect(status == 200)
            }
        }
    }

    @Test func aRefusedWebSocketUpgradeIsAProblemDocument() async throws {
        try await Self.service(timeout: .seconds(30)).live { api in
            let upgrade =
                "GET /ws/jobs/1?token=nonsense HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
            let answer = try await Self.exchange(api, upgrade)
            Self.expectProblem(answer, 400)
            #expect(answer.body?["detail"]?.stringValue?.contains("WebSocket") == true)
        }
    }

    @Test func aFileOverTheLimitIsRefusedBeforeTheRestIsSent() async throws {
        var service = try Self.service(timeout: .seconds(30))
        service.config.maxFileBytes = 64 << 10
        service.config.maxUploadBytes = 64 << 20
        try await service.live { api in
            let ada = try await api.register()
            let project = try await api.createProject(ada)
            let connection = try RawConnection(port: try Self.port(api))
            // Announces 48 MB but sends one: the answer must come without the rest.
            let boundary = "b0undary"
            let head =
                "POST /projects/\(project)/documents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(ada.access)\r\n"
                + "Content-Type: multipart/form-data; boundary=\(boundary)\r\nContent-Length: \(48 << 20)\r\n\r\n"
                + "--\(boundary)\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.txt\"\r\n\r\n"
            let (answer, closed) = await blocking {
                connection.write(head)
                connection.write([UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20))
                return (connection.readResponse(), connection.readUntilClosed().closed)
            }
            let response = try #require(answer)
            #expect(response.status == 413)
            #expect(response.headers["content-type"] == "application/problem+json")
            #expect(response.body.contains("big.txt"))
            #expect(closed)
            #expect(
                try await api.call(.get, "/projects/\(project)/documents", token: ada.access).json()["items"]?.arrayValue?.isEmpty == true)
        }
    }
}
