import AssayCore
import NIOConcurrencyHelpers
import Testing

@testable import AssayProviders

@Suite struct RetryPolicyTests {
    @Test func backoffDoublesAndIsCapped() {
        let policy = RetryPolicy(maxRetries: 5, baseDelay: .seconds(1), maxDelay: .seconds(5), jitter: 0)
        #expect((1...4).map { policy.delay(beforeRetry: $0, retryAfter: nil) } == [.seconds(1), .seconds(2), .seconds(4), .seconds(5)])
    }

    @Test func theDefaultWaitsTwoFourEightSeconds() {
        let policy = RetryPolicy()
        #expect(policy.maxRetries == 3)
        #expect((1...3).map { policy.delay(beforeRetry: $0, retryAfter: nil, random: 0) } == [.seconds(2), .seconds(4), .seconds(8)])
    }

    @Test func jitterStaysWithinTheWindow() {
        let policy = RetryPolicy(baseDelay: .seconds(2), jitter: 0.5)
        #expect(policy.delay(beforeRetry: 1, retryAfter: nil, random: 1) == .seconds(1))
        #expect(policy.delay(beforeRetry: 1, retryAfter: nil, random: 0) == .seconds(2))
    }

    @Test func retryAfterWinsButIsCapped() {
        let policy = RetryPolicy(maxDelay: .seconds(30))
        #expect(policy.delay(beforeRetry: 1, retryAfter: .seconds(7)) == .seconds(7))
        #expect(policy.delay(beforeRetry: 1, retryAfter: .seconds(600)) == .seconds(30))
    }

    @Test func retriesOnlyRetryableErrorsUpToTheLimit() async throws {
        let slept = NIOLockedValueBox<[Duration]>([])
        let scripted = ScriptedProvider(steps: [
            .fail(.timeout(seconds: 1)), .fail(.http(status: 429, message: "", retryAfter: .seconds(3))), .reply("ok"),
        ])
        let retrying = RetryingProvider(
            scripted, policy: RetryPolicy(maxRetries: 3, baseDelay: .seconds(1), jitter: 0),
            sleep: { d in slept.withLockedValue { $0.append(d) } })
        #expect(try await retrying.complete(LLMRequest(messages: [])).text == "ok")
        #expect(slept.withLockedValue { $0 } == [.seconds(1), .seconds(3)])

        let failing = ScriptedProvider(steps: [], then: .fail(.http(status: 500, message: "boom", retryAfter: nil)))
        let limited = RetryingProvider(failing, policy: RetryPolicy(maxRetries: 2), sleep: { _ in })
        await #expect(throws: ProviderError.self) { try await limited.complete(LLMRequest(messages: [])) }
        #expect(await failing.callCount == 3)

        let fatal = ScriptedProvider(steps: [.fail(.misconfigured("no key")), .reply("never")])
        await #expect(throws: ProviderError.misconfigured("no key")) {
            try await RetryingProvider(fatal, policy: RetryPolicy(), sleep: { _ in }).complete(LLMRequest(messages: []))
        }
        #expect(await fatal.callCount == 1)
    }
}
