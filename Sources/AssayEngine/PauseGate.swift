/// Lets a running job stop taking new documents without dropping the ones in flight: a pause
/// closes it, a resume opens it, and a shutdown closes it and waits for it to drain.
public actor PauseGate {
    private var closed = false
    private var inFlight = 0

    public init() {}

    public var isClosed: Bool { closed }
    /// Documents admitted and not yet done.
    public var documentsInFlight: Int { inFlight }

    public func close() { closed = true }
    public func open() { closed = false }

    /// Waits while the gate is closed, then counts the caller in. Throws when the task is cancelled.
    /// Polls rather than parks: a paused job is rare and a tenth of a second is no one's bottleneck.
    public func admit() async throws {
        while closed { try await Task.sleep(for: .milliseconds(100)) }
        try Task.checkCancellation()
        inFlight += 1
    }

    public func done() { inFlight = max(0, inFlight - 1) }

    /// Returns once no admitted document is in flight.
    public func drained() async {
        while inFlight > 0 {
            do { try await Task.sleep(for: .milliseconds(100)) } catch { return }
        }
    }
}
