import AssayService
import Foundation
import HTTPTypes
import NIOConcurrencyHelpers

/// How often someone may try passwords. Kept in memory (a restart forgets it, and several
/// service processes would each count on their own).
public struct LoginLimits: Sendable {
    /// Wrong passwords for one email within `accountWindow`; past it that email answers 429
    /// until the oldest failure leaves the window. A right password clears the count. An attempt
    /// counts from the moment it is let in, so parallel guesses cannot slip past the limit.
    public var failuresPerAccount = 10
    public var accountWindow: Duration = .seconds(15 * 60)
    /// Logins, registrations and password changes from one client address within `clientWindow`.
    public var attemptsPerClient = 30
    public var clientWindow: Duration = .seconds(60)
    /// Emails and addresses remembered at most (a flood of made-up emails cannot grow it further).
    public var maxTracked = 10_000
    /// Password hashes waiting or running at once; past it 503 with Retry-After.
    public var maxPendingHashes = 16
    /// How long a refused attempt waits before its 429: a flooding client that waits for its
    /// answers sends a few a second instead of hundreds (the wait holds no thread).
    public var refusalDelay: Duration = .milliseconds(250)

    public init() {}
}

/// Sliding-window counts per email (failures) and per client address (attempts). An email is
/// counted whether or not it has an account, so the answers say nothing about which exist.
final class LoginThrottle: SignInLimiter {
    let limits: LoginLimits
    private let accounts: NIOLockedValueBox<SlidingWindows>
    private let clients: NIOLockedValueBox<SlidingWindows>

    init(limits: LoginLimits) {
        self.limits = limits
        accounts = NIOLockedValueBox(
            SlidingWindows(
                limit: limits.failuresPerAccount, window: limits.accountWindow,
                maxKeys: limits.maxTracked))
        clients = NIOLockedValueBox(
            SlidingWindows(
                limit: limits.attemptsPerClient, window: limits.clientWindow,
                maxKeys: limits.maxTracked))
    }

    /// Counts an attempt from the client and against the email (as a failure until `succeeded`),
    /// or throws 429 — after `refusalDelay` — when either is over its limit.
    func admit(email: String?, client: String) async throws {
        let now = ContinuousClock.now
        var refusal: ServiceError?
        if let wait = clients.withLockedValue({ $0.record(key: client, now: now) }) {
            refusal = .tooManyAttempts(.fromClient, retryAfter: Self.seconds(wait))
        } else if let email, let wait = accounts.withLockedValue({ $0.record(key: email, now: now) }) {
            refusal = .tooManyAttempts(.forAccount, retryAfter: Self.seconds(wait))
        }
        guard let refusal else { return }
        try? await Task.sleep(for: limits.refusalDelay)
        throw refusal
    }

    func succeeded(email: String) {
        accounts.withLockedValue { $0.clear(key: email) }
    }

    /// Whole seconds to wait, rounded up, at least one.
    static func seconds(_ wait: Duration) -> Int {
        max(1, Int(wait.components.seconds) + (wait.components.attoseconds > 0 ? 1 : 0))
    }
}

/// Timestamps of recent events per key, at most `limit` each.
struct SlidingWindows {
    let limit: Int
    let window: Duration
    let maxKeys: Int
    private var events: [String: [ContinuousClock.Instant]] = [:]

    init(limit: Int, window: Duration, maxKeys: Int) {
        self.limit = limit
        self.window = window
        self.maxKeys = maxKeys
    }

    /// How long until the key may act again; nil when it may now.
    func wait(key: String, now: ContinuousClock.Instant) -> Duration? {
        let recent = (events[key] ?? []).filter { now - $0 < window }
        guard recent.count >= limit, let oldest = recent.first else { return nil }
        return oldest + window - now
    }

    /// Records an event unless the key is over its limit; returns the wait when it is.
    mutating func record(key: String, now: ContinuousClock.Instant) -> Duration? {
        if let wait = wait(key: key, now: now) { return wait }
        var recent = (events[key] ?? []).filter { now - $0 < window }
        recent.append(now)
        if events[key] == nil, events.count >= maxKeys { makeRoom(now: now) }
        events[key] = recent
        return nil
    }

    mutating func clear(key: String) { events[key] = nil }

    /// Drops keys with nothing recent; if that is not enough, half of the others (their
    /// limits start afresh, which a flood of keys could force anyway).
    private mutating func makeRoom(now: ContinuousClock.Instant) {
        events = events.filter { _, times in times.last.map { now - $0 < window } ?? false }
        if events.count >= maxKeys {
            for key in Array(events.keys.prefix(events.count / 2 + 1)) { events[key] = nil }
        }
    }
}
