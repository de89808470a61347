import AssayCore
import AssayProviders
import AssayStore
import Foundation
import Logging

/// Batch mode's provider (`assay run --batch`): each request the engine makes waits while it is
/// gathered with the others into a batch for the provider's batch API, and gets its reply when
/// the batch ends. So packing, chunking, re-asks and runs work as they do live; only the
/// transport differs (and the price: half).
///
/// Requests are gathered until none has come for `quietPeriod` (every document in flight is
/// waiting) or a batch is full, then submitted together and recorded in the `BatchLedger`
/// under their keys before any reply is awaited. A run that was killed finds its batches there:
/// a request whose key an open batch holds waits for that batch, polled again, instead of being
/// submitted twice. A reply is handed out once; a request asked again after that (a document
/// that failed, run again) goes in a new batch.
public final class BatchingProvider: LLMProvider, Sendable {
    let collector: BatchCollector

    init(api: any BatchAPI, ledger: any BatchLedger, timing: BatchTiming, logger: Logger) {
        collector = BatchCollector(api: api, ledger: ledger, timing: timing, logger: logger)
    }

    public var model: String { collector.api.model }
    public var kind: String { "batch" }

    public func complete(_ request: LLMRequest) async throws -> LLMResponse {
        try await collector.reply(to: request)
    }
}

/// How batch mode waits: for more requests before submitting, and between polls.
public struct BatchTiming: Sendable, Hashable {
    /// Submit once no new request has come for this long.
    public var quietPeriod: Duration
    /// Ask the provider where a batch stands this often.
    public var pollInterval: Duration

    public init(quietPeriod: Duration = .milliseconds(500), pollInterval: Duration = .seconds(30)) {
        self.quietPeriod = quietPeriod
        self.pollInterval = pollInterval
    }

    /// `ASSAY_BATCH_POLL_SECONDS` (0.01…3600) overrides the poll interval.
    public static func fromEnvironment(_ env: [String: String]) throws -> BatchTiming {
        var timing = BatchTiming()
        if let text = env["ASSAY_BATCH_POLL_SECONDS"], !text.isEmpty {
            guard let seconds = Double(text), (0.01...3600).contains(seconds) else {
                throw ProviderError.misconfigured("ASSAY_BATCH_POLL_SECONDS must be a number of seconds from 0.01 to 3600, not '\(text)'")
            }
            timing.pollInterval = .milliseconds(Int(seconds * 1000))
        }
        return timing
    }
}

/// Where a job's batches stand, summed over its batches: for progress lines.
public struct BatchActivity: Sendable, Hashable, Codable {
    public var model: String
    /// Batches submitted (or taken up again) by this run.
    public var batches = 0
    /// Requests in those batches, and how many the provider has done or failed.
    public var requests = 0
    public var completed = 0
    public var failed = 0
    /// Requests gathered and not yet submitted.
    public var gathering = 0

    public init(model: String) { self.model = model }

    public var summary: String {
        "batch mode (\(model)): \(batches) batch\(batches == 1 ? "" : "es"), \(requests.grouped) requests submitted, "
            + "\(completed.grouped) done, \(failed.grouped) failed" + (gathering > 0 ? ", \(gathering.grouped) being gathered" : "")
    }
}

actor BatchCollector {
    let api: any BatchAPI
    let ledger: any BatchLedger
    let timing: BatchTiming
    let logger: Logger
    private var jobID: Int64?
    private var observer: (@Sendable (BatchActivity) -> Void)?

    private typealias Waiter = CheckedContinuation<LLMResponse, any Error>
    /// Requests that are waiting, by key; several documents may ask the very same thing.
    private var waiters: [String: [UUID: Waiter]] = [:]
    /// Gathered, not yet submitted, in order.
    private var gathering: [BatchItem] = []
    private var gatheringBytes = 0
    private var gatheredKeys: Set<String> = []
    /// The batch (store id) answering each submitted key; 0 while its submission is under way.
    private var owner: [String: Int64] = [:]
    /// Replies of ended batches that no request has taken yet.
    private var ready: [String: (batch: Int64, result: BatchItemResult)] = [:]
    private var statuses: [Int64: BatchStatus] = [:]
    private var pollers: [Int64: Task<Void, Never>] = [:]
    private var flush: Task<Void, Never>?
    private var lastArrival = ContinuousClock.now
    private var start: Task<Void, Never>?

    init(api: any BatchAPI, ledger: any BatchLedger, timing: BatchTiming, logger: Logger) {
        self.api = api
        self.ledger = ledger
        self.timing = timing
        self.logger = logger
    }

    /// The job whose batches these are, and who hears how they stand.
    func attach(jobID: Int64, observer: (@Sendable (BatchActivity) -> Void)?) {
        self.jobID = jobID
        self.observer = observer
    }

    /// Stops polling and gathering (the run is over); recorded batches stay for the next run.
    func close() {
        flush?.cancel()
        for poller in pollers.values { poller.cancel() }
        pollers = [:]
        for (_, list) in waiters { for waiter in list.values { waiter.resume(throwing: CancellationError()) } }
        waiters = [:]
    }

    func reply(to request: LLMRequest) async throws -> LLMResponse {
        await resumeRecordedBatches()
        try Task.checkCancellation()
        let key = request.key(model: api.model)
        if let (batch, result) = ready.removeValue(forKey: key) {
            try await ledger.markDelivered(keys: [key], batchID: batch)
            return try Self.response(result)
        }
        let id = UUID()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (waiter: Waiter) in
                waiters[key, default: [:]][id] = waiter
                if owner[key] == nil, !gatheredKeys.contains(key) { gather(BatchItem(customID: key, request: request)) }
            }
        } onCancel: {
            Task { await self.cancelled(id, key: key) }
        }
    }

    private func cancelled(_ id: UUID, key: String) {
        guard let waiter = waiters[key]?.removeValue(forKey: id) else { return }
        if waiters[key]?.isEmpty == true { waiters[key] = nil }
        waiter.resume(throwing: CancellationError())
        // Nobody wants it any more and nothing was paid for it yet: leave it out.
        if waiters[key] == nil, gatheredKeys.contains(key) {
            gatheredKeys.remove(key)
            if let index = gathering.firstIndex(where: { $0.customID == key }) {
                gatheringBytes -= api.size(of: gathering.remove(at: index))
            }
        }
    }

    // MARK: - Gathering and submitting

    private func gather(_ item: BatchItem) {
        let size = api.size(of: item)
        if !gathering.isEmpty, gathering.count + 1 > api.limits.maxItems || gatheringBytes + size > api.limits.maxBytes {
            submitGathered()
        }
        gathering.append(item)
        gatheredKeys.insert(item.customID)
        gatheringBytes += size
        lastArrival = .now
        report()
        guard flush == nil else { return }
        // Submit once the requests stop coming: every document in flight is then waiting.
        flush = Task {
            while !Task.isCancelled {
                let due = self.lastArrival + self.timing.quietPeriod
                if ContinuousClock.now >= due { break }
                try? await Task.sleep(until: due)
            }
            guard !Task.isCancelled else { return }
            self.quiet()
        }
    }

    private func quiet() {
        flush = nil
        submitGathered()
    }

    private func submitGathered() {
        guard !gathering.isEmpty else { return }
        let items = gathering
        gathering = []
        gatheringBytes = 0
        gatheredKeys = []
        for item in items { owner[item.customID] = 0 }
        Task { await self.submit(items) }
    }

    private func submit(_ items: [BatchItem]) async {
        let keys = items.map(\.customID)
        let marker = UUID().uuidString.lowercased()
        var recorded: Int64?
        do {
            // Recorded before it is sent, under its marker: a kill while the provider accepts it
            // leaves the marker, by which the next run finds the batch instead of paying again.
            let pending = ProviderBatch(
                provider: api.providerName, model: api.model, remoteID: ProviderBatch.pending(marker: marker), jobID: jobID,
                itemCount: items.count)
            let id = try await ledger.recordBatch(pending, keys: keys)
            recorded = id
            let remoteID = try await submitted(items, marker: marker)
            try await ledger.setRemoteID(remoteID, batchID: id)
            logger.info("batch submitted", metadata: ["batch": "\(remoteID)", "requests": "\(items.count)", "model": "\(api.model)"])
            for key in keys { owner[key] = id }
            statuses[id] = BatchStatus(state: .inProgress, total: items.count)
            report()
            poll(id, remoteID: remoteID, keys: keys)
        } catch {
            logger.error("batch not submitted", metadata: ["requests": "\(items.count)", "error": "\(error)"])
            if let recorded { try? await ledger.forgetBatch(batchID: recorded) }
            for key in keys {
                owner[key] = nil
                deliver(key, .failed("the batch could not be submitted: \(error)"))
            }
        }
    }

    /// Submits the batch, retrying what is worth retrying; after a failed attempt it first asks
    /// whether the provider got the batch all the same (an answer lost on the way back).
    private func submitted(_ items: [BatchItem], marker: String) async throws -> String {
        var delay = Duration.seconds(2)
        for attempt in 0...3 {
            do {
                return try await api.submit(items, marker: marker)
            } catch {
                if case .found(let id)? = try? await api.find(marker: marker) { return id }
                guard attempt < 3, let retryable = error as? ProviderError, retryable.isRetryable else { throw error }
                try await Task.sleep(for: retryable.retryAfter ?? delay)
                delay *= 2
            }
        }
        throw CancellationError()  // not reached: the last attempt returns or throws
    }

    // MARK: - Polling and collecting

    private func poll(_ id: Int64, remoteID: String, keys: [String]) {
        pollers[id] = Task {
            var errors = 0
            while !Task.isCancelled {
                try? await Task.sleep(for: self.timing.pollInterval)
                guard !Task.isCancelled else { return }
                do {
                    let status = try await self.api.status(of: remoteID)
                    errors = 0
                    self.update(id, status)
                    if status.state.hasEnded {
                        await self.collect(id, remoteID: remoteID, keys: keys, status: status)
                        return
                    }
                } catch {
                    errors += 1
                    // The batch may well be fine at the provider: it stays recorded as in
                    // progress, and the next run polls it again.
                    if errors >= 10 {
                        self.abandon(keys, because: "the batch's status could not be read: \(error)")
                        return
                    }
                }
            }
        }
    }

    private func update(_ id: Int64, _ status: BatchStatus) {
        statuses[id] = status
        report()
    }

    private func collect(_ id: Int64, remoteID: String, keys: [String], status: BatchStatus) async {
        pollers[id] = nil
        let results: [String: BatchItemResult]
        do {
            results = status.state == .failed ? [:] : try await withRetries { try await self.api.results(of: remoteID) }
        } catch {
            abandon(keys, because: "the batch's results could not be read: \(error)")
            return
        }
        let missing: String =
            switch status.state {
            case .expired: "the provider's batch expired (24 h) before this request was done"
            case .cancelled: "the provider's batch was cancelled before this request was done"
            case .failed: "the provider refused the batch: \(status.reason ?? "no reason given")"
            case .completed, .inProgress: "the provider's batch has no result for this request"
            }
        var delivered: [String] = []
        for key in keys where owner[key] == id {
            owner[key] = nil
            let result = results[key] ?? .failed(missing)
            if waiters[key] != nil {
                deliver(key, result)
                delivered.append(key)
            } else if case .reply = result {
                ready[key] = (id, result)  // for the request when it comes
            } else {
                delivered.append(key)  // a failure nobody waits for: the next ask goes again
            }
        }
        do {
            try await ledger.markDelivered(keys: delivered, batchID: id)
            try await ledger.setBatchState(status.state, reason: status.reason, batchID: id)
        } catch {
            logger.error("batch state not recorded", metadata: ["batch": "\(remoteID)", "error": "\(error)"])
        }
        logger.info("batch ended", metadata: ["batch": "\(remoteID)", "state": "\(status.state.rawValue)"])
    }

    /// Fails the waiting requests of a batch this run can no longer follow; the batch stays
    /// recorded, so the next run takes it up again.
    private func abandon(_ keys: [String], because reason: String) {
        for key in keys where owner[key] != nil {
            owner[key] = nil
            deliver(key, .failed(reason))
        }
    }

    private func deliver(_ key: String, _ result: BatchItemResult) {
        guard let list = waiters.removeValue(forKey: key) else { return }
        for waiter in list.values {
            do { waiter.resume(returning: try Self.response(result)) } catch { waiter.resume(throwing: error) }
        }
    }

    static func response(_ result: BatchItemResult) throws -> LLMResponse {
        switch result {
        case .reply(let response): return response
        case .failed(let reason): throw ProviderError.batchItemFailed(reason)
        }
    }

    // MARK: - Taking up recorded batches

    /// Once per run: the batches an earlier run of this model left open are polled again (in
    /// progress) or read (ended), so their requests are not submitted twice.
    private func resumeRecordedBatches() async {
        if let start { return await start.value }
        let task = Task { await self.takeUpRecordedBatches() }
        start = task
        await task.value
    }

    private func takeUpRecordedBatches() async {
        let since = Date().addingTimeInterval(-29 * 86_400)  // providers keep results about 30 days
        guard let open = try? await ledger.openBatches(provider: api.providerName, model: api.model, since: since) else { return }
        for var batch in open where !batch.waitingKeys.isEmpty {
            if let marker = batch.pendingMarker {
                // Recorded, then the run stopped before the provider's answer was: ask it.
                guard let found = await adopt(batch, marker: marker) else { continue }
                batch.remoteID = found
            }
            logger.info("batch taken up again", metadata: ["batch": "\(batch.remoteID)", "state": "\(batch.state.rawValue)"])
            for key in batch.waitingKeys { owner[key] = batch.id }
            statuses[batch.id] = BatchStatus(state: .inProgress, total: batch.itemCount)
            if batch.state == .inProgress {
                poll(batch.id, remoteID: batch.remoteID, keys: batch.waitingKeys)
            } else {
                await collect(batch.id, remoteID: batch.remoteID, keys: batch.waitingKeys, status: BatchStatus(state: batch.state))
            }
        }
        report()
    }

    /// The provider's id of a batch recorded before its submission was known to succeed, or nil
    /// when it never reached the provider (its record is then forgotten, so its requests go
    /// again) or the provider cannot be asked now (they fail, saying so; the record stays).
    private func adopt(_ batch: ProviderBatch, marker: String) async -> String? {
        do {
            switch try await api.find(marker: marker) {
            case .found(let id):
                try await ledger.setRemoteID(id, batchID: batch.id)
                logger.info("batch found by its marker", metadata: ["batch": "\(id)"])
                return id
            case .notFound:
                try await ledger.forgetBatch(batchID: batch.id)
            case .unknown:
                logger.warning(
                    "a batch was being submitted when the last run stopped; this provider cannot tell whether it got it, so its requests go again",
                    metadata: ["requests": "\(batch.itemCount)"])
                try await ledger.forgetBatch(batchID: batch.id)
            }
        } catch {
            // The record stays (its keys still waiting) for the next run to ask again; this run's
            // requests for them fail rather than be submitted a second time. (Batch 0: nothing is
            // marked delivered.)
            let reason = "could not ask the provider whether an interrupted batch reached it: \(error); run again"
            for key in batch.waitingKeys { ready[key] = (0, .failed(reason)) }
        }
        return nil
    }

    // MARK: - Helpers

    private func report() {
        guard let observer else { return }
        var activity = BatchActivity(model: api.model)
        activity.batches = statuses.count
        for status in statuses.values {
            activity.requests += status.total
            activity.completed += status.completed
            activity.failed += status.failed
        }
        activity.gathering = gathering.count
        observer(activity)
    }

    /// Submitting and reading results retry what is worth retrying: 2, 4, 8 s apart.
    private func withRetries<T: Sendable>(_ operation: @Sendable () async throws -> T) async throws -> T {
        var delay = Duration.seconds(2)
        for _ in 0..<3 {
            do {
                return try await operation()
            } catch let error as ProviderError where error.isRetryable {
                try await Task.sleep(for: error.retryAfter ?? delay)
                delay *= 2
            }
        }
        return try await operation()
    }
}
