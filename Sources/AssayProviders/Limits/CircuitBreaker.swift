import AssayCore

/// Stops calling a provider that keeps failing. After `failureThreshold` consecutive failures
/// the circuit opens: calls wait (or fail fast) instead of burning retries on a dead endpoint.
/// After `openDuration` it half-opens and lets one probe through at a time; `successThreshold`
/// successes in a row close it, any failure opens it again.
public actor CircuitBreaker {
    public struct Policy: Sendable, Hashable {
        public var failureThreshold: Int
        public var openDuration: Duration
        public var successThreshold: Int
        /// While open: wait for the half-open probe (batch jobs) or fail at once (interactive use).
        public var waitWhenOpen: Bool

        public init(
            failureThreshold: Int = 5, openDuration: Duration = .seconds(30), successThreshold: Int = 3,
            waitWhenOpen: Bool = true
        ) {
            self.failureThreshold = failureThreshold
            self.openDuration = openDuration
            self.successThreshold = successThreshold
            self.waitWhenOpen = waitWhenOpen
        }
    }

    public enum State: Sendable, Equatable {
        case closed
        case open(until: ContinuousClock.Instant)
        case halfOpen
    }

    public let policy: Policy
    public private(set) var state: State = .closed
    /// How many times the circuit opened, for metrics.
    public private(set) var openings = 0
    private var consecutiveFailures = 0
    private var halfOpenSuccesses = 0
    private var probeInFlight = false
    private let now: @Sendable () -> ContinuousClock.Instant
    private let sleep: @Sendable (Duration) async throws -> Void

    public init(
        policy: Policy = Policy(),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.policy = policy
        self.now = now
        self.sleep = sleep
    }

    /// A call let through: an ordinary one, or the half-open probe that decides the state.
    public enum Permit: Sendable, Equatable { case ordinary, probe }

    /// Waits until a call may go out (or throws `ProviderError.circuitOpen` when failing fast).
    public func permit() async throws -> Permit {
        while true {
            switch state {
            case .closed:
                return .ordinary
            case .open(let until):
                let remaining = until - now()
                if remaining <= .zero {
                    state = .halfOpen
                    halfOpenSuccesses = 0
                    continue
                }
                guard policy.waitWhenOpen else { throw ProviderError.circuitOpen(retryIn: remaining) }
                try await sleep(remaining)
            case .halfOpen:
                if !probeInFlight {
                    probeInFlight = true
                    return .probe
                }
                guard policy.waitWhenOpen else { throw ProviderError.circuitOpen(retryIn: .zero) }
                try await sleep(.milliseconds(100))
            }
        }
    }

    /// Reports how the permitted call went. Only failures of the provider count (timeouts,
    /// unreachable, 429 and 5xx); a bad request or an unusable reply says nothing about its health.
    public func record(success: Bool, permit: Permit) {
        let wasProbe = permit == .probe && state == .halfOpen
        if permit == .probe { probeInFlight = false }
        if success {
            consecutiveFailures = 0
            if wasProbe {
                halfOpenSuccesses += 1
                if halfOpenSuccesses >= policy.successThreshold { state = .closed }
            }
            return
        }
        consecutiveFailures += 1
        if wasProbe || consecutiveFailures >= policy.failureThreshold {
            if case .open = state { return }
            state = .open(until: now() + policy.openDuration)
            openings += 1
            ProviderEvents.emit(.circuitOpened)
            consecutiveFailures = 0
        }
    }

    /// A permitted call that ended without saying anything about the provider (cancelled, or
    /// a non-provider error): frees the probe slot.
    public func abandon(_ permit: Permit) {
        if permit == .probe { probeInFlight = false }
    }
}

/// A provider behind a circuit breaker.
public struct CircuitBreakingProvider: LLMProvider {
    public let base: any LLMProvider
    public let breaker: CircuitBreaker

    public init(_ base: any LLMProvider, breaker: CircuitBreaker) {
        self.base = base
        self.breaker = breaker
    }

    public var model: String { base.model }
    public var kind: String { base.kind }

    public func complete(_ request: LLMRequest) async throws -> LLMResponse {
        let permit = try await breaker.permit()
        do {
            let response = try await base.complete(request)
            await breaker.record(success: true, permit: permit)
            return response
        } catch let error as ProviderError where error.isRetryable {
            await breaker.record(success: false, permit: permit)
            throw error
        } catch let error as ProviderError {
            // The provider answered: it is alive, even if this request was wrong.
            await breaker.record(success: true, permit: permit)
            throw error
        } catch {
            await breaker.abandon(permit)
            throw error
        }
    }
}
