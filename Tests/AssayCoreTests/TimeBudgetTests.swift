import AssayCore
import Foundation
import Testing

@Suite(.timeLimit(.minutes(1))) struct TimeBudgetTests {
    struct Boom: Error {}

    @Test func workWithinTheBudgetGivesItsResult() async throws {
        #expect(try await TimeBudget.run(.seconds(60)) { 42 } == 42)
        #expect(try await TimeBudget.run(nil) { 7 } == 7)
    }

    @Test func workPastTheBudgetIsCancelledAndGivesNil() async throws {
        let result: Int? = try await TimeBudget.run(.milliseconds(50)) {
            try await Task.sleep(for: .seconds(3600))
            return 1
        }
        #expect(result == nil)
    }

    @Test func errorsOfTheWorkPassThrough() async throws {
        await #expect(throws: Boom.self) {
            _ = try await TimeBudget.run(.seconds(60)) { () async throws -> Int in throw Boom() }
        }
    }

    @Test func cancellingTheCallerThrowsRatherThanReportingATimeout() async throws {
        let task = Task {
            try await TimeBudget.run(.seconds(3600)) { () async throws -> Int in
                try await Task.sleep(for: .seconds(3600))
                return 1
            }
        }
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
    }
}

/// Every deadline is cancelled when its work ends, whichever way it ends: a deadline left pending
/// holds memory until it fires, so a fast job would grow with its throughput (bench-100k showed
/// ~1.6 KB per document with the old sleeping-task deadline).
@Suite(.timeLimit(.minutes(1))) struct TimeBudgetDeadlineTests {
    final class Recorder: DeadlineScheduler, @unchecked Sendable {
        let lock = NSLock()
        var scheduled = 0
        var cancelled = 0
        func schedule(after: Duration, _ action: @escaping @Sendable () -> Void) -> any ScheduledDeadline {
            lock.withLock { scheduled += 1 }
            return Handle(recorder: self)
        }
        struct Handle: ScheduledDeadline, @unchecked Sendable {
            let recorder: Recorder
            func cancel() { recorder.lock.withLock { recorder.cancelled += 1 } }
        }
    }

    struct Boom: Error {}

    @Test func theDeadlineIsCancelledWhenTheWorkEnds() async throws {
        let recorder = Recorder()
        for i in 0..<50 { #expect(try await TimeBudget.run(.seconds(300), scheduler: recorder) { i } == i) }
        await #expect(throws: Boom.self) {
            _ = try await TimeBudget.run(.seconds(300), scheduler: recorder) { () async throws -> Int in throw Boom() }
        }
        #expect(recorder.scheduled == 51)
        #expect(recorder.cancelled == 51)
    }

    @Test func aFiredDeadlineCancelsTheWork() async throws {
        let result: Int? = try await TimeBudget.run(.milliseconds(20), scheduler: DispatchDeadlines()) {
            try await Task.sleep(for: .seconds(3600))
            return 1
        }
        #expect(result == nil)
    }
}
