import AssayCore
import Foundation

/// Provider limits as users know them from their provider's dashboard.
public struct RateLimits: Sendable, Hashable {
    /// Requests per minute; nil = unlimited.
    public var requestsPerMinute: Int?
    /// Prompt plus completion tokens per minute; nil = unlimited.
    public var tokensPerMinute: Int?
    /// Requests in flight at once across everything sharing the limiter; nil = unbounded.
    public var maxInFlight: Int?

    public init(requestsPerMinute: Int? = nil, tokensPerMinute: Int? = nil, maxInFlight: Int? = nil) {
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
        self.maxInFlight = maxInFlight
    }

    public var isUnlimited: Bool { requestsPerMinute == nil && tokensPerMinute == nil && maxInFlight == nil }

    /// What `ASSAY_RPM` and `--requests-per-minute` accept.
    public static let requestsPerMinuteRange = 1...1_000_000
    /// What `ASSAY_TPM` and `--tokens-per-minute` accept.
    public static let tokensPerMinuteRange = 1...1_000_000_000

    /// The limits `ASSAY_RPM` and `ASSAY_TPM` set (unset or empty: no limit). Throws
    /// `ProviderError.misconfigured` for a value that is not a whole number in range, rather
    /// than running without the limit the user meant to set.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws(ProviderError) -> RateLimits {
        func read(_ name: String, _ range: ClosedRange<Int>) throws(ProviderError) -> Int? {
            guard let text = env[name], !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            return try SettingCheck.integer(text, for: name, in: range)
        }
        return RateLimits(
            requestsPerMinute: try read("ASSAY_RPM", requestsPerMinuteRange),
            tokensPerMinute: try read("ASSAY_TPM", tokensPerMinuteRange))
    }
}

/// Shared by every call to one provider: waits until a request fits the per-minute budgets
/// and a slot is free, so a job slows down to the provider's limits instead of collecting 429s.
public actor RateLimiter {
    public let limits: RateLimits
    private var requests: TokenBucket?
    private var tokens: TokenBucket?
    private var inFlight = 0
    private var slotWaiters: [CheckedContinuation<Void, Never>] = []
    private let clock = ContinuousClock()
    /// Total time callers spent waiting for the budgets (not for slots), for metrics.
    public private(set) var throttled: Duration = .zero

    public init(_ limits: RateLimits) {
        self.limits = limits
        let now = ContinuousClock.now
        requests = limits.requestsPerMinute.map { TokenBucket(perMinute: Double($0), now: now) }
        tokens = limits.tokensPerMinute.map { TokenBucket(perMinute: Double($0), now: now) }
    }

    /// Waits for a slot and for budget for one request of about `estimatedTokens`, then takes them.
    public func acquire(estimatedTokens: Int) async throws {
        try await acquireSlot()
        var waited = Duration.zero
        defer { if waited > .zero { ProviderEvents.emit(.throttled(waited)) } }
        do {
            while true {
                let now = clock.now
                let wait = max(
                    requests?.waitTime(for: 1, now: now) ?? .zero,
                    tokens?.waitTime(for: Double(estimatedTokens), now: now) ?? .zero)
                if wait == .zero { break }
                throttled += wait
                waited += wait
                try await Task.sleep(for: wait)
            }
        } catch {
            releaseSlot()
            throw error
        }
        let now = clock.now
        requests?.take(1, now: now)
        tokens?.take(Double(estimatedTokens), now: now)
    }

    /// Frees the slot and corrects the token budget by what the request really used.
    public func release(estimatedTokens: Int, actualTokens: Int?) {
        if let actualTokens, actualTokens > 0 {
            tokens?.adjust(by: Double(estimatedTokens - actualTokens), now: clock.now)
        }
        releaseSlot()
    }

    private func acquireSlot() async throws {
        guard let max = limits.maxInFlight else { return }
        if inFlight < max {
            inFlight += 1
            return
        }
        // A cancelled waiter still waits for its turn (continuations are not cancellable), then
        // gives the slot straight back.
        await withCheckedContinuation { slotWaiters.append($0) }
        // The releaser handed its slot over; inFlight already counts us.
        if Task.isCancelled {
            releaseSlot()
            throw CancellationError()
        }
    }

    private func releaseSlot() {
        guard limits.maxInFlight != nil else { return }
        if slotWaiters.isEmpty {
            inFlight -= 1
        } else {
            slotWaiters.removeFirst().resume()
        }
    }
}

/// A provider that asks a shared `RateLimiter` before every call.
public struct RateLimitedProvider: LLMProvider {
    public let base: any LLMProvider
    public let limiter: RateLimiter

    public init(_ base: any LLMProvider, limiter: RateLimiter) {
        self.base = base
        self.limiter = limiter
    }

    public var model: String { base.model }
    public var kind: String { base.kind }

    public func complete(_ request: LLMRequest) async throws -> LLMResponse {
        let estimate = request.messages.reduce(request.maxTokens) { $0 + TokenEstimator.estimate($1.content) }
        try await limiter.acquire(estimatedTokens: estimate)
        do {
            let response = try await base.complete(request)
            let used = response.usage.promptTokens + response.usage.completionTokens
            await limiter.release(estimatedTokens: estimate, actualTokens: used)
            return response
        } catch {
            await limiter.release(estimatedTokens: estimate, actualTokens: nil)
            throw error
        }
    }
}
