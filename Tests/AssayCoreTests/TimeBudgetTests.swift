import AssayCore
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

