import AssayService
import NIOConcurrencyHelpers

/// How often one account may ask the model for help with its codebook (refinements, and the
/// co-pilot's suggestions): each such request is a paid call to the model, made by a signed-in
/// user, so a script in a loop must not be able to run up the bill. Kept in memory, per process.
public struct AssistantLimits: Sendable {
    public var requestsPerAccount = 20
    public var window: Duration = .seconds(10 * 60)
    /// Accounts remembered at most.
    public var maxTracked = 10_000

    public init() {}
}

/// A sliding window per requester (account, or the local user), as `LoginThrottle` keeps per email.
final class AssistantThrottle: Sendable {
    private let windows: NIOLockedValueBox<SlidingWindows>

    init(limits: AssistantLimits) {
        windows = NIOLockedValueBox(SlidingWindows(limit: limits.requestsPerAccount, window: limits.window, maxKeys: limits.maxTracked))
    }

    /// Counts the request, or throws `tooManyAttempts(.assistant)` (429 with Retry-After).
    func admit(_ requester: Requester) throws {
        let key = requester.owner ?? "local"
        if let wait = windows.withLockedValue({ $0.record(key: key, now: .now) }) {
            throw ServiceError.tooManyAttempts(.assistant, retryAfter: LoginThrottle.seconds(wait))
        }
    }
}
