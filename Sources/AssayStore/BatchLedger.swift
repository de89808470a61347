import AssayCore
import Foundation

/// The record of the batches a job submitted to a provider's batch API: what makes batch mode
/// crash-safe. A run that was killed, or the machine rebooted, finds its batches here, polls
/// them again and takes their replies instead of submitting (and paying for) the same requests
/// again. Requests are named by their key (`RequestKey`), the same for the same request.
public protocol BatchLedger: Sendable {
    /// Records a batch with the keys of its requests, before it is submitted (its remote id
    /// then names its marker: `ProviderBatch.pending(marker:)`); returns its id.
    func recordBatch(_ batch: ProviderBatch, keys: [String]) async throws -> Int64
    /// The provider accepted the batch under this id.
    func setRemoteID(_ remoteID: String, batchID: Int64) async throws
    /// The batch never reached the provider: its record goes, and its requests may go again.
    func forgetBatch(batchID: Int64) async throws
    /// The model's batches that may still answer requests: those in progress, and those ended
    /// within `since` with replies not yet handed to a document. Each with its waiting keys.
    func openBatches(provider: String, model: String, since: Date) async throws -> [ProviderBatch]
    /// A batch's new state (ended, with the provider's reason where it gave one).
    func setBatchState(_ state: BatchState, reason: String?, batchID: Int64) async throws
    /// These requests' replies were handed to their documents (or their failure was): a later
    /// request with the same key is submitted anew.
    func markDelivered(keys: [String], batchID: Int64) async throws
    /// The job's batches, oldest first (for status and progress).
    func batches(jobID: Int64) async throws -> [ProviderBatch]
}
