/// Runs work under a wall-clock budget. A provider that hangs, or retries for ages, costs one
/// document its budget — recorded as a timeout — and the job goes on; a reply body that stops
/// arriving costs one request its deadline.
public enum TimeBudget {
    private enum Outcome<T: Sendable>: Sendable {
        case finished(T)
        case expired
    }

    /// The work's result, or nil when `budget` ran out first (the work is then cancelled and
    /// awaited). No budget runs the work as is. Errors of the work, and cancellation of the
    /// caller, pass through.
    public static func run<T: Sendable>(_ budget: Duration?, _ work: @escaping @Sendable () async throws -> T) async throws -> T? {
        guard let budget else { return try await work() }
        return try await withThrowingTaskGroup(of: Outcome<T>.self) { group in
            group.addTask { .finished(try await work()) }
            group.addTask {
                try await Task.sleep(for: budget)
                return .expired
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { return nil }
            switch first {
            case .finished(let value): return value
            case .expired:
                // The caller being cancelled also ends the sleep early, but then it throws.
                try Task.checkCancellation()
                return nil
            }
        }
    }
}
