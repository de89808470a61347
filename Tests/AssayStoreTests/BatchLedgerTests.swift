import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// The `BatchLedger` contract on every store kind: a batch's keys wait until delivered, an
/// ended batch stops being open once its replies are all handed out, and a job lists its batches.
@Suite("Store conformance: batch ledger", .postgresDatabases)
struct BatchLedgerTests {
    @Test(arguments: StoreKind.allCases)
    func batchesWaitUntilTheirRepliesAreDelivered(kind: StoreKind) async throws {
        let store = try await kind.make()
        let (project, _) = try await Fixtures.project(in: store, documents: 0)
        let job = try await Fixtures.job(in: store, project: project, total: 0)
        let submitted = Date(timeIntervalSince1970: 1_800_000_000)
        let first = try await store.recordBatch(
            ProviderBatch(provider: "openai", model: "m", remoteID: "b-1", jobID: job.id, itemCount: 3, submittedAt: submitted),
            keys: ["k2", "k1", "k3", "k1"])
        let other = try await store.recordBatch(
            ProviderBatch(provider: "openai", model: "other", remoteID: "b-2", jobID: nil, itemCount: 1, submittedAt: submitted),
            keys: ["x"])
        #expect(first != other)

        let open = try await store.openBatches(provider: "openai", model: "m", since: .distantPast)
        #expect(open.map(\.remoteID) == ["b-1"])
        #expect(open.first?.waitingKeys == ["k1", "k2", "k3"])
        #expect(open.first?.state == .inProgress)
        #expect(open.first?.submittedAt == submitted)

        // Ended with replies still to hand out: open while they wait, and only within `since`.
        try await store.setBatchState(.completed, reason: "done", batchID: first)
        try await store.markDelivered(keys: ["k1", "k3"], batchID: first)
        let ended = try await store.openBatches(provider: "openai", model: "m", since: submitted)
        #expect(ended.map(\.waitingKeys) == [["k2"]])
        #expect(ended.first?.reason == "done")
        #expect(try await store.openBatches(provider: "openai", model: "m", since: submitted.addingTimeInterval(1)).isEmpty)
        try await store.markDelivered(keys: ["k2"], batchID: first)
        #expect(try await store.openBatches(provider: "openai", model: "m", since: .distantPast).isEmpty)

        // A later state without a reason keeps the earlier reason.
        try await store.setBatchState(.expired, reason: nil, batchID: first)
        let listed = try await store.batches(jobID: job.id)
        #expect(listed.map(\.remoteID) == ["b-1"])
        #expect(listed.first?.state == .expired)
        #expect(listed.first?.reason == "done")
        #expect(listed.first?.itemCount == 4)
    }

    @Test(arguments: StoreKind.allCases)
    func aFailedBatchIsNeverOpen(kind: StoreKind) async throws {
        let store = try await kind.make()
        let id = try await store.recordBatch(
            ProviderBatch(provider: "anthropic", model: "m", remoteID: "b", jobID: nil, itemCount: 1), keys: ["k"])
        try await store.setBatchState(.failed, reason: "rejected", batchID: id)
        #expect(try await store.openBatches(provider: "anthropic", model: "m", since: .distantPast).isEmpty)
    }
}
