import AssayCore
import Foundation
import Testing

@Suite struct JobMetricsStorageTests {
    @Test func metricsStoredBeforeNewFieldsExistedReadThemAsZero() throws {
        let old =
            #"{"requests":4,"documents":4,"reasks":1,"splits":0,"redoneAlone":0,"averageLatencyMs":12.5,"p95LatencyMs":20,"valuesStored":9,"documentsWithoutValues":1}"#
        let metrics = try JSONDecoder().decode(JobMetrics.self, from: Data(old.utf8))
        #expect(metrics.requests == 4 && metrics.reasks == 1 && metrics.averageLatencyMs == 12.5)
        #expect(metrics.retries == 0 && metrics.throttledMs == 0 && metrics.circuitOpenings == 0)
        #expect(metrics.entities == nil)
    }

    @Test func everyFieldSurvivesARoundTrip() throws {
        var metrics = JobMetrics(
            requests: 3, documents: 5, reasks: 1, splits: 1, redoneAlone: 2, averageLatencyMs: 1.5,
            p95LatencyMs: 3, valuesStored: 11, documentsWithoutValues: 1, retries: 4,
            throttledMs: 250, circuitOpenings: 1, chunkedDocuments: 1, chunks: 3)
        metrics.entities = 7
        #expect(try JSONDecoder().decode(JobMetrics.self, from: JSONEncoder().encode(metrics)) == metrics)
    }
}
