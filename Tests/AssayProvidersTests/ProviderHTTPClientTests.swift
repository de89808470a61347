import AsyncHTTPClient
import NIOCore
import NIOPosix
import Testing

@testable import AssayProviders

/// The client every provider calls models with.
@Suite struct ProviderHTTPClientTests {
    /// A port nothing listens on: bound, read, closed.
    func refusedPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(channel.localAddress?.port)
        try await channel.close()
        return port
    }

    /// A model server that is not running is reported as unreachable at once, not as a timeout
    /// after the whole request deadline (AsyncHTTPClient retried the refused connect until then).
    @Test func aRefusedConnectionIsUnreachableNotATimeout() async throws {
        let port = try await refusedPort()
        let settings = ProviderSettings(baseURL: "http://127.0.0.1:\(port)/v1", timeout: .seconds(20))
        let provider = try makeProvider(settings, connections: 4)
        let error = await #expect(throws: ProviderError.self) { try await provider.checkReachable() }
        guard case .unreachable? = error else {
            Issue.record("expected unreachable, got \(String(describing: error))")
            return
        }
    }

    /// The pool is as wide as the concurrency asked for (the shared client's 8 capped
    /// `--concurrency 64`), and one client serves every provider of the same width.
    @Test func thePoolIsSizedToTheConcurrency() {
        #expect(HTTPClient.providerConfiguration(connections: 64).connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit == 64)
        #expect(HTTPClient.providerConfiguration(connections: 64).connectionPool.retryConnectionEstablishment == false)
        #expect(HTTPClient.forProviders(connections: 64) === HTTPClient.forProviders(connections: 64))
        #expect(HTTPClient.forProviders(connections: 2) === HTTPClient.forProviders(connections: 8))
    }
}
