import AssayStore

/// Whether the store answers, for readiness checks.
package struct Health: Sendable {
    let store: any Store

    package init(store: any Store) {
        self.store = store
    }

    /// One cheap read; any error means the store cannot serve requests now.
    package func storeAnswers() async -> Bool {
        do {
            _ = try await store.project(id: 0)
            return true
        } catch {
            return false
        }
    }
}
