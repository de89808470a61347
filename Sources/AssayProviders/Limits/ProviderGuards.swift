/// The protections every real provider runs behind, in this order from the outside in:
/// retries (backoff 2, 4, 8 s; `Retry-After` honoured) → circuit breaker (stop hammering a
/// provider that keeps failing) → rate limits (requests and tokens per minute, calls in flight)
/// → the provider. Retries pass through the breaker and the limits, so each attempt is counted
/// and paced like any other call.
public struct ProviderGuards: Sendable {
    public var retry: RetryPolicy
    public var limits: RateLimits
    public var breaker: CircuitBreaker.Policy

    public init(
        retry: RetryPolicy = RetryPolicy(), limits: RateLimits = RateLimits(),
        breaker: CircuitBreaker.Policy = CircuitBreaker.Policy()
    ) {
        self.retry = retry
        self.limits = limits
        self.breaker = breaker
    }

    public func wrap(_ base: any LLMProvider) -> any LLMProvider {
        var provider = base
        if !limits.isUnlimited { provider = RateLimitedProvider(provider, limiter: RateLimiter(limits)) }
        provider = CircuitBreakingProvider(provider, breaker: CircuitBreaker(policy: breaker))
        return RetryingProvider(provider, policy: retry)
    }
}
