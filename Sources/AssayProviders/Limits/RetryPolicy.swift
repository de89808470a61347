import Foundation

/// Exponential backoff with full jitter for retryable provider failures; a `Retry-After` from
/// the server wins over the computed delay (capped at `maxDelay`).
public struct RetryPolicy: Sendable, Hashable {
    /// Retries after the first attempt (so `maxRetries + 1` attempts at most).
    public var maxRetries: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// 0 = exactly base·2ⁿ; 1 = anywhere in [0, base·2ⁿ].
    public var jitter: Double

    public init(maxRetries: Int = 3, baseDelay: Duration = .seconds(2), maxDelay: Duration = .seconds(60), jitter: Double = 0.5) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.jitter = jitter
    }

    public static let none = RetryPolicy(maxRetries: 0)

    /// The wait before retry number `attempt` (1-based).
    public func delay(beforeRetry attempt: Int, retryAfter: Duration?, random: Double = .random(in: 0...1)) -> Duration {
        if let retryAfter { return min(retryAfter, maxDelay) }
        let exponential = baseDelay * Int(pow(2.0, Double(max(0, attempt - 1))))
        let capped = min(exponential, maxDelay)
        return capped * (1 - jitter * random)
    }
}

/// Wraps a provider with a retry policy. Sleeping is injectable so tests run instantly.
public struct RetryingProvider: LLMProvider {
    public let base: any LLMProvider
    public let policy: RetryPolicy
    let sleep: @Sendable (Duration) async throws -> Void
    let onRetry: @Sendable (ProviderError, Int) -> Void

    public init(
        _ base: any LLMProvider, policy: RetryPolicy,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        onRetry: @escaping @Sendable (ProviderError, Int) -> Void = { _, _ in }
    ) {
        self.base = base
        self.policy = policy
        self.sleep = sleep
        self.onRetry = onRetry
    }

    public var model: String { base.model }
    public var kind: String { base.kind }

    public func complete(_ request: LLMRequest) async throws -> LLMResponse {
        var attempt = 0
        while true {
            do {
                return try await base.complete(request)
            } catch let error as ProviderError where error.isRetryable && attempt < policy.maxRetries {
                attempt += 1
                onRetry(error, attempt)
                ProviderEvents.emit(.retried(attempt: attempt))
                try await sleep(policy.delay(beforeRetry: attempt, retryAfter: error.retryAfter))
            }
        }
    }
}
