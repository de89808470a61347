/// What the provider wrappers did on the way to an answer: retries, waits for the rate limit,
/// the circuit opening. The engine counts these into a job's metrics without knowing how the
/// provider was wrapped — the wrappers report to whoever is observing the current task.
public enum ProviderEvent: Sendable, Equatable {
    /// A call failed with a retryable error and will be tried again (`attempt` counts from 1).
    case retried(attempt: Int)
    /// A call waited this long for the requests-per-minute or tokens-per-minute budget.
    case throttled(Duration)
    /// The circuit breaker opened after consecutive provider failures.
    case circuitOpened
}

public enum ProviderEvents {
    /// The observer for calls made by the current task and its child tasks.
    @TaskLocal public static var observer: (@Sendable (ProviderEvent) -> Void)?

    static func emit(_ event: ProviderEvent) { observer?(event) }
}

extension ProviderEvents {
    /// Runs `operation` with `observer` seeing its events as well as whoever observed them
    /// already (a job's metrics): a request's span counts its own retries this way. Not
    /// optimized, for the reason `ExtractionEngine.observing` gives (a release-build crash in
    /// the inlined `TaskLocal.withValue`).
    @_optimize(none)
    package static func alsoObserving<T: Sendable>(
        _ observer: @escaping @Sendable (ProviderEvent) -> Void, _ operation: () async throws -> T
    ) async throws -> T {
        let outer = self.observer
        let both: (@Sendable (ProviderEvent) -> Void)? = { event in
            outer?(event)
            observer(event)
        }
        return try await $observer.withValue(both, operation: operation)
    }
}
