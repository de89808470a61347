import AssayCore

/// Counts what a job does with the provider while it runs; `snapshot()` gives the stored metrics.
actor MetricsRecorder {
    private var metrics = JobMetrics()
    private var latencies: [Double] = []

    func request(latency: Duration) {
        metrics.requests += 1
        latencies.append(Double(latency.components.seconds) * 1000 + Double(latency.components.attoseconds) / 1e15)
    }

    func reask() { metrics.reasks += 1 }
    func split() { metrics.splits += 1 }
    func redoneAlone() { metrics.redoneAlone += 1 }

    func finished(_ result: DocumentResult) {
        metrics.documents += 1
        let values = result.extractions.filter { !$0.value.isNull }.count
        metrics.valuesStored += values
        if values == 0 { metrics.documentsWithoutValues += 1 }
    }

    func snapshot() -> JobMetrics {
        var result = metrics
        result.averageLatencyMs = latencies.isEmpty ? 0 : latencies.reduce(0, +) / Double(latencies.count)
        result.p95LatencyMs = JobMetrics.percentile(95, of: latencies)
        return result
    }
}
