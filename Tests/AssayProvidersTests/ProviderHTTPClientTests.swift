import AssayCore
import AsyncHTTPClient
import Testing

@testable import AssayProviders

/// The client every provider calls models with.
@Suite struct ProviderHTTPClientTests {
    /// A port nothing listens on. Not an ephemeral port freed by closing a socket: another test
    /// running beside this one could bind that port again (it did, under load, and the check
    /// then waited for a reply that never came). Port 1 (tcpmux) is below the ephemeral range,
    /// is never handed out by the kernel, and no test or service here listens on it.
    let refusedPort = 1

    /// A model server that is not running is reported as unreachable at once, not as a timeout
    /// after the whole request deadline (AsyncHTTPClient retried the refused connect until then).
    /// The deadline is long on purpose: with the whole suite running on a loaded 2-core machine,
    /// the refusal once reached the test after `checkReachable`'s own 10 s had passed. A refused
    /// connection comes back in milliseconds; only the old retrying would use up two minutes.
    @Test func aRefusedConnectionIsUnreachableNotATimeout() async throws {
        let settings = ProviderSettings(baseURL: "http://127.0.0.1:\(refusedPort)/v1", timeout: .seconds(120))
        let provider = try makeProvider(settings, connections: 4)
        let error = await #expect(throws: ProviderError.self) { try await provider.complete(LLMRequest(messages: [.user("hi")])) }
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
