import AsyncHTTPClient
import NIOCore
import Synchronization

extension HTTPClient {
    /// The HTTP client Assay calls models with: one per pool width, kept for the life of the
    /// process (a command or the service), so every front end gets the same client for the same
    /// concurrency.
    ///
    /// Two things differ from `HTTPClient.shared`:
    /// - The pool is as wide as the work in flight. The shared client allows 8 HTTP/1.1
    ///   connections per host, so `--concurrency 64` queued 56 requests behind the first 8.
    /// - A refused connection fails at once. AsyncHTTPClient otherwise retries the connect until
    ///   the request's deadline (10 s and more of "timeout" for a server that is simply not
    ///   running); whether and when to retry is `RetryPolicy`'s call, which treats an unreachable
    ///   provider as retryable during a run.
    public static func forProviders(connections: Int) -> HTTPClient {
        let width = min(max(connections, 8), 1024)
        return ProviderClients.pool.withLock { clients in
            if let client = clients[width] { return client }
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: providerConfiguration(connections: width))
            clients[width] = client
            return client
        }
    }

    /// The configuration `forProviders` uses; public so a benchmark's bare load can be set up the same way.
    public static func providerConfiguration(connections: Int) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        configuration.connectionPool.retryConnectionEstablishment = false
        // No read timeout: a model that thinks for minutes before its first byte (llama-server
        // answers whole) is bounded by the request's own deadline (ASSAY_TIMEOUT), not by 90 s
        // of silence as with the shared client.
        configuration.timeout = .init(connect: .seconds(10), read: nil)
        return configuration
    }
}

/// Clients live as long as the process: AsyncHTTPClient requires a shutdown before a client is
/// released, and a command ends with its process.
private enum ProviderClients {
    static let pool = Mutex<[Int: HTTPClient]>([:])
}
