import AssayCore
import Synchronization
import Testing

@testable import AssayProviders

@Suite struct CircuitBreakerTests {
    /// A clock the test moves by hand; "sleeping" moves it too, so nothing really waits.
    final class FakeClock: Sendable {
        let instant = Mutex(ContinuousClock.now)
        var now: ContinuousClock.Instant { instant.withLock { $0 } }
        func advance(_ d: Duration) { instant.withLock { $0 += d } }
    }

    func breaker(_ clock: FakeClock, wait: Bool = true) -> CircuitBreaker {
        CircuitBreaker(policy: .init(waitWhenOpen: wait), now: { clock.now }, sleep: { clock.advance($0) })
    }

    @Test func opensAfterFiveConsecutiveFailures() async throws {
        let clock = FakeClock()
        let breaker = breaker(clock, wait: false)
        for _ in 0..<4 {
            let permit = try await breaker.permit()
            await breaker.record(success: false, permit: permit)
        }
        #expect(await breaker.state == .closed)
        let fifth = try await breaker.permit()
        await breaker.record(success: false, permit: fifth)
        #expect(await breaker.state == .open(until: clock.now + .seconds(30)))
        await #expect(throws: ProviderError.self) { _ = try await breaker.permit() }
        #expect(await breaker.openings == 1)
    }

    @Test func aSuccessResetsTheCount() async throws {
        let clock = FakeClock()
        let breaker = breaker(clock)
        for round in 0..<3 {
            for _ in 0..<4 { await breaker.record(success: false, permit: try await breaker.permit()) }
            await breaker.record(success: true, permit: try await breaker.permit())
            #expect(await breaker.state == .closed, "round \(round)")
        }
    }

    @Test func halfOpensAfterThirtySecondsAndClosesAfterThreeSuccesses() async throws {
        let clock = FakeClock()
        let breaker = breaker(clock, wait: false)
        for _ in 0..<5 { await breaker.record(success: false, permit: try await breaker.permit()) }
        clock.advance(.seconds(29))
        await #expect(throws: ProviderError.self) { _ = try await breaker.permit() }
        clock.advance(.seconds(1))
        for n in 1...3 {
            let probe = try await breaker.permit()
            #expect(probe == .probe)
            #expect(await breaker.state == .halfOpen)
            // One probe at a time: a second caller is turned away while it runs.
            await #expect(throws: ProviderError.self) { _ = try await breaker.permit() }
            await breaker.record(success: true, permit: probe)
            #expect(await breaker.state == (n == 3 ? .closed : .halfOpen))
        }
    }

    @Test func aFailedProbeOpensItAgain() async throws {
        let clock = FakeClock()
        let breaker = breaker(clock, wait: false)
        for _ in 0..<5 { await breaker.record(success: false, permit: try await breaker.permit()) }
        clock.advance(.seconds(30))
        let probe = try await breaker.permit()
        await breaker.record(success: false, permit: probe)
        #expect(await breaker.state == .open(until: clock.now + .seconds(30)))
        #expect(await breaker.openings == 2)
    }

    @Test func waitingCallersGoThroughOnceItHalfOpens() async throws {
        let clock = FakeClock()
        let breaker = breaker(clock, wait: true)
        for _ in 0..<5 { await breaker.record(success: false, permit: try await breaker.permit()) }
        let opened = clock.now
        let permit = try await breaker.permit()  // "sleeps" the 30 s on the fake clock
        #expect(permit == .probe)
        #expect(clock.now - opened >= .seconds(30))
    }

    @Test func onlyProviderFailuresCount() async throws {
        let clock = FakeClock()
        let breaker = breaker(clock, wait: false)
        let badRequest = ScriptedProvider(steps: [], then: .fail(.http(status: 400, message: "bad", retryAfter: nil)))
        let provider = CircuitBreakingProvider(badRequest, breaker: breaker)
        for _ in 0..<10 { _ = try? await provider.complete(LLMRequest(messages: [])) }
        #expect(await breaker.state == .closed)

        let down = CircuitBreakingProvider(ScriptedProvider(steps: [], then: .fail(.unreachable("refused"))), breaker: breaker)
        for _ in 0..<5 { _ = try? await down.complete(LLMRequest(messages: [])) }
        await #expect(throws: ProviderError.circuitOpen(retryIn: .seconds(30))) {
            _ = try await down.complete(LLMRequest(messages: []))
        }
    }
}
