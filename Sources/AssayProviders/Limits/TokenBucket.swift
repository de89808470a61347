/// A budget that refills continuously, such as "500 requests per minute" or "200,000 tokens per
/// minute". Pure arithmetic on instants the caller supplies, so it is tested without waiting.
public struct TokenBucket: Sendable, Hashable {
    public let capacity: Double
    /// Units added per second.
    public let refillPerSecond: Double
    private(set) var available: Double
    private var updated: ContinuousClock.Instant

    /// `perMinute` units a minute, with up to a minute's worth available at once.
    public init(perMinute: Double, now: ContinuousClock.Instant) {
        capacity = perMinute
        refillPerSecond = perMinute / 60
        available = perMinute
        updated = now
    }

    /// How long to wait before `amount` can be taken (zero when it can be taken now). An amount
    /// above the capacity is treated as the full capacity, or it could never be taken.
    public mutating func waitTime(for amount: Double, now: ContinuousClock.Instant) -> Duration {
        refill(now)
        let needed = min(amount, capacity)
        if available >= needed { return .zero }
        return .milliseconds(Int(((needed - available) / refillPerSecond * 1000).rounded(.up)))
    }

    /// Takes `amount` now; the balance may go negative, which later callers wait off.
    public mutating func take(_ amount: Double, now: ContinuousClock.Instant) {
        refill(now)
        available -= min(amount, capacity)
    }

    /// Returns units taken on an estimate that turned out too high (or takes more if too low).
    public mutating func adjust(by amount: Double, now: ContinuousClock.Instant) {
        refill(now)
        available = min(capacity, available + amount)
    }

    private mutating func refill(_ now: ContinuousClock.Instant) {
        guard now > updated else { return }
        let elapsed = now - updated
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        available = min(capacity, available + seconds * refillPerSecond)
        updated = now
    }
}
