import AssayCore
import AssayProviders
import Synchronization

/// Counts what a job does with the provider while it runs; `snapshot()` gives the stored metrics.
actor MetricsRecorder {
    private var metrics = JobMetrics()
    private var latencies: [Double] = []
    /// Provider events arrive synchronously from inside the provider wrappers, so they are
    /// counted under a lock rather than through the actor.
    private let providerEvents = Mutex(JobMetrics())

    /// Counts an event of the provider wrappers (bound as `ProviderEvents.observer` for a job).
    nonisolated func observe(_ event: ProviderEvent) {
        providerEvents.withLock { counts in
            switch event {
            case .retried: counts.retries += 1
            case .throttled(let wait): counts.throttledMs += wait.milliseconds
            case .circuitOpened: counts.circuitOpenings += 1
            }
        }
    }

    func request(latency: Duration) {
        metrics.requests += 1
        latencies.append(latency.milliseconds)
    }

    func reask() { metrics.reasks += 1 }
    func split() { metrics.splits += 1 }
    func redoneAlone() { metrics.redoneAlone += 1 }
    func chunked(parts: Int) {
        metrics.chunkedDocuments += 1
        metrics.chunks += parts
    }

    func entities(_ count: Int) { metrics.entities = (metrics.entities ?? 0) + count }

    func finished(_ result: DocumentResult) {
        metrics.documents += 1
        let values = result.extractions.filter { !$0.value.isNull }.count
        metrics.valuesStored += values
        if values == 0 { metrics.documentsWithoutValues += 1 }
    }

    func snapshot() -> JobMetrics {
        var result = metrics
        providerEvents.withLock { counts in
            result.retries = counts.retries
            result.throttledMs = counts.throttledMs
            result.circuitOpenings = counts.circuitOpenings
        }
        result.averageLatencyMs = latencies.isEmpty ? 0 : latencies.reduce(0, +) / Double(latencies.count)
        result.p95LatencyMs = JobMetrics.percentile(95, of: latencies)
        return result
    }
}

extension Duration {
    var milliseconds: Double { Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15 }
}
