import Dispatch
import Foundation

/// Runs work under a wall-clock budget. A provider that hangs, or retries for ages, costs one
/// document its budget — recorded as a timeout — and the job goes on; a reply body that stops
/// arriving costs one request its deadline.
///
/// The deadline is a timer that is cancelled the moment the work ends. (It used to be a sleeping
/// task racing the work; on Linux a cancelled `Task.sleep` keeps its task and timer until the
/// deadline passes, so every document left ~1 KB behind for its whole budget — 300 s by default —
/// and a fast job's memory grew with its throughput.)
public enum TimeBudget {
    /// The work's result, or nil when `budget` ran out first (the work is then cancelled and
    /// awaited). No budget runs the work as is. Errors of the work, and cancellation of the
    /// caller, pass through.
    public static func run<T: Sendable>(
        _ budget: Duration?, scheduler: any DeadlineScheduler = DispatchDeadlines(),
        _ work: @escaping @Sendable () async throws -> T
    ) async throws -> T? {
        guard let budget else { return try await work() }
        let expired = Flag()
        let task = Task { try await work() }
        let deadline = scheduler.schedule(after: budget) {
            expired.set()
            task.cancel()
        }
        defer { deadline.cancel() }
        return try await withTaskCancellationHandler {
            do {
                return try await task.value
            } catch {
                // Ended by the deadline, not by the caller: a timeout. The caller's own
                // cancellation passes through as an error.
                if expired.isSet && !Task.isCancelled { return nil }
                throw error
            }
        } onCancel: {
            task.cancel()
        }
    }

    private final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() { lock.withLock { value = true } }
        var isSet: Bool { lock.withLock { value } }
    }
}

/// Calls an action once a duration has passed, unless cancelled first.
public protocol DeadlineScheduler: Sendable {
    func schedule(after: Duration, _ action: @escaping @Sendable () -> Void) -> any ScheduledDeadline
}

/// A pending deadline; cancelling it releases the timer at once.
public protocol ScheduledDeadline: Sendable {
    func cancel()
}

/// Deadlines as Dispatch timer sources, which are removed from the timer heap when cancelled.
public struct DispatchDeadlines: DeadlineScheduler {
    public init() {}

    public func schedule(after duration: Duration, _ action: @escaping @Sendable () -> Void) -> any ScheduledDeadline {
        let timer = DispatchSource.makeTimerSource(queue: .global())
        let (seconds, attoseconds) = duration.components
        let nanoseconds = max(0, seconds) * 1_000_000_000 + attoseconds / 1_000_000_000
        timer.schedule(deadline: .now() + .nanoseconds(Int(clamping: nanoseconds)))
        timer.setEventHandler(handler: action)
        timer.resume()
        return Timer(source: timer)
    }

    struct Timer: ScheduledDeadline, @unchecked Sendable {
        let source: any DispatchSourceTimer
        func cancel() { source.cancel() }
    }
}
