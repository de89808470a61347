import Synchronization

/// Texts made once and reused by key, at most `limit` of them (the oldest key goes first).
/// Providers keep a job's serialized schema here: it is the bulk of every request body and the
/// same for all of a job's documents.
final class SerializedCache: Sendable {
    private let limit: Int
    private let entries = Mutex<(texts: [String: String], order: [String])>(([:], []))

    init(limit: Int) { self.limit = limit }

    func text(for key: String, make: () -> String) -> String {
        if let hit = entries.withLock({ $0.texts[key] }) { return hit }
        let made = make()
        entries.withLock { state in
            guard state.texts[key] == nil else { return }
            state.texts[key] = made
            state.order.append(key)
            if state.order.count > limit { state.texts[state.order.removeFirst()] = nil }
        }
        return made
    }
}
