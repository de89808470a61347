import AssayCore
import Foundation
import Synchronization
import Testing

@testable import AssayProviders

@Suite struct ProviderGuardsTests {
    static let request = LLMRequest(
        messages: [ChatMessage(role: .user, content: "hi")], responseSchema: nil,
        temperature: 0, maxTokens: 10)

    @Test func retriesGoThroughTheBreakerWhichFailsFastOnceOpen() async throws {
        let down = ScriptedProvider(steps: [], then: .fail(.unreachable("connection refused")))
        let guards = ProviderGuards(
            retry: RetryPolicy(maxRetries: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(1)),
            breaker: .init(failureThreshold: 2, openDuration: .seconds(3600), waitWhenOpen: false))
        let provider = guards.wrap(down)
        let events = Mutex<[ProviderEvent]>([])
        let record: @Sendable (ProviderEvent) -> Void = { event in events.withLock { $0.append(event) } }
        await ProviderEvents.$observer.withValue(record) {
            await #expect(throws: ProviderError.self) { _ = try await provider.complete(Self.request) }
        }
        // Two real calls open the circuit; the third attempt is refused without a call, and a
        // refusal is not retried.
        #expect(await down.callCount == 2)
        #expect(events.withLock { $0 } == [.retried(attempt: 1), .circuitOpened, .retried(attempt: 2)])
        do {
            _ = try await provider.complete(Self.request)
            Issue.record("expected the open circuit to refuse")
        } catch let error as ProviderError {
            guard case .circuitOpen = error else {
                Issue.record("got \(error)")
                return
            }
            #expect(error.description.contains("paused"))
        }
        #expect(await down.callCount == 2)
    }

    @Test func withoutLimitsNoRateLimiterIsInTheWay() {
        let provider = ProviderGuards().wrap(ScriptedProvider(steps: []))
        guard let retrying = provider as? RetryingProvider, let breaking = retrying.base as? CircuitBreakingProvider else {
            Issue.record("unexpected wrapping: \(type(of: provider))")
            return
        }
        #expect(breaking.base is ScriptedProvider)
        let limited = ProviderGuards(limits: RateLimits(requestsPerMinute: 60)).wrap(ScriptedProvider(steps: []))
        #expect(((limited as? RetryingProvider)?.base as? CircuitBreakingProvider)?.base is RateLimitedProvider)
    }
}
