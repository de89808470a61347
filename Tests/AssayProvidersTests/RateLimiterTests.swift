import AssayCore
import Foundation
import Synchronization
import Testing

@testable import AssayProviders

@Suite struct RateLimiterTests {
    /// A provider that counts how many calls are running at once.
    final class Gauge: LLMProvider, Sendable {
        let state = Mutex((now: 0, peak: 0, calls: 0))
        var model: String { "gauge" }
        func complete(_ request: LLMRequest) async throws -> LLMResponse {
            state.withLock {
                $0.now += 1
                $0.calls += 1
                $0.peak = max($0.peak, $0.now)
            }
            try await Task.sleep(for: .milliseconds(20))
            state.withLock { $0.now -= 1 }
            return LLMResponse(text: "{}", usage: TokenUsage(promptTokens: 10, completionTokens: 5))
        }
    }

    /// Calls that stay inside until the test opens the gate, so how many run at once is observed,
    /// not left to timing. (The first version slept 20 ms per call and expected a peak of exactly 3;
    /// on a loaded machine the calls did not always overlap and it saw 2.)
    final class HeldGauge: LLMProvider, Sendable {
        let state = Mutex((now: 0, peak: 0, calls: 0, open: false))
        var model: String { "held" }
        func complete(_ request: LLMRequest) async throws -> LLMResponse {
            state.withLock {
                $0.now += 1
                $0.calls += 1
                $0.peak = max($0.peak, $0.now)
            }
            while !state.withLock({ $0.open }) { try await Task.sleep(for: .milliseconds(5)) }
            state.withLock { $0.now -= 1 }
            return LLMResponse(text: "{}", usage: TokenUsage(promptTokens: 10, completionTokens: 5))
        }
    }

    @Test(.timeLimit(.minutes(1))) func noMoreThanTheBoundInFlight() async throws {
        let gauge = HeldGauge()
        let provider = RateLimitedProvider(gauge, limiter: RateLimiter(RateLimits(maxInFlight: 3)))
        let calls = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<12 {
                    group.addTask { _ = try await provider.complete(LLMRequest(messages: [.user("hi")], maxTokens: 10)) }
                }
                try await group.waitForAll()
            }
        }
        // Three get in; while they are held, a fourth has time to (wrongly) join them.
        while gauge.state.withLock({ $0.now }) < 3 { try await Task.sleep(for: .milliseconds(5)) }
        try await Task.sleep(for: .milliseconds(100))
        #expect(gauge.state.withLock { ($0.now, $0.calls) } == (3, 3))
        gauge.state.withLock { $0.open = true }
        try await calls.value
        #expect(gauge.state.withLock { $0.calls } == 12)
        #expect(gauge.state.withLock { $0.peak } == 3)
    }

    @Test func theRequestBudgetMakesTheNextCallWait() async throws {
        let limiter = RateLimiter(RateLimits(requestsPerMinute: 600))  // ten a second
        for _ in 0..<600 {
            try await limiter.acquire(estimatedTokens: 0)
            await limiter.release(estimatedTokens: 0, actualTokens: nil)
        }
        #expect(await limiter.throttled == .zero)
        try await limiter.acquire(estimatedTokens: 0)
        #expect(await limiter.throttled > .zero)
    }

    @Test func theTokenBudgetCountsPromptAndExpectedOutput() async throws {
        let limiter = RateLimiter(RateLimits(tokensPerMinute: 6000))
        let provider = RateLimitedProvider(Gauge(), limiter: limiter)
        // Each call is estimated at 4 prompt + 2,000 output tokens; four would be 8,016 > 6,000,
        // but each reports 15 tokens used, and the unused estimate is given back.
        for _ in 0..<4 { _ = try await provider.complete(LLMRequest(messages: [.user("0123456789abcdef")], maxTokens: 2000)) }
        #expect(await limiter.throttled == .zero)
    }

    @Test func withoutReportedUsageTheEstimateIsCharged() async throws {
        let limiter = RateLimiter(RateLimits(tokensPerMinute: 6000))
        for _ in 0..<2 {
            try await limiter.acquire(estimatedTokens: 2004)
            await limiter.release(estimatedTokens: 2004, actualTokens: nil)
        }
        #expect(await limiter.throttled == .zero)
        try await limiter.acquire(estimatedTokens: 2004)  // 1,992 left: waits ~0.12 s
        #expect(await limiter.throttled > .zero)
    }

    @Test func aCancelledWaiterGivesItsSlotBack() async throws {
        let limiter = RateLimiter(RateLimits(maxInFlight: 1))
        try await limiter.acquire(estimatedTokens: 0)
        let waiter = Task { try await limiter.acquire(estimatedTokens: 0) }
        try await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        await limiter.release(estimatedTokens: 0, actualTokens: nil)
        await #expect(throws: CancellationError.self) { try await waiter.value }
        // The slot is free again: this does not wait forever.
        try await limiter.acquire(estimatedTokens: 0)
    }
}
