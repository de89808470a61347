import AssayCore
import AssayEngine
import Foundation
import Synchronization

/// Shows a run's progress on stderr: a redrawn bar on a terminal, one plain line per document
/// otherwise (logs, CI). Failures always get their own line with the reason.
final class ProgressReporter: Sendable {
    private let interactive = Terminal.stderrIsTTY
    private let started = Date()
    /// Batch mode: what was last shown per model, so a line is printed only when it changes.
    private let batches = Mutex<[String: BatchActivity]>([:])
    /// The documents last said to be held by other jobs, so a wait is told once, not every poll.
    private let waitingShown = Mutex<[Int64]>([])

    var report: @Sendable (RunProgress) -> Void { { [self] in self.handle($0) } }

    private func handle(_ event: RunProgress) {
        switch event {
        case .started(let job, let alreadyDone, let estimate):
            let skipped = alreadyDone > 0 ? " (\(alreadyDone) already done, skipped)" : ""
            printError("Job #\(job.id): \(job.total) documents to code\(skipped).")
            if job.total > 0 { printError("Estimate: \(estimate.summary).") }
        case .documentFinished(let report):
            // The engine's counters: rendered here, never counted again.
            let counts = report.counts
            if interactive {
                if report.outcome == .failed { printError("\r\u{1B}[K  failed: \(report.externalID): \(report.reason ?? "")") }
                FileHandle.standardError.write(Data(bar(counts).utf8))
                if counts.processed == counts.total { printError("") }
            } else {
                var line = "[\(counts.processed)/\(counts.total)] \(report.externalID): \(report.outcome.rawValue)"
                if let reason = report.reason, report.outcome == .failed { line += " — \(reason)" }
                printError(line)
            }
        case .batch(var activity):
            // Gathering changes with every request: show the batches' own news only.
            activity.gathering = 0
            let changed = batches.withLock { shown in
                defer { shown[activity.model] = activity }
                return shown[activity.model] != activity
            }
            if changed, activity.batches > 0 { printError((interactive ? "\r\u{1B}[K" : "") + activity.summary) }
        case .control(let status):
            let prefix = interactive ? "\r\u{1B}[K" : ""
            if status == .paused {
                printError(
                    prefix + "Paused from elsewhere (assay pause): documents in flight finish, no new one starts; assay resume continues.")
            } else {
                printError(prefix + "Resumed.")
            }
        case .swept(let job):
            printError(
                "Job #\(job.id) was left running by a process that is gone; "
                    + (job.status == .pending
                        ? "it is back in the queue for the next worker." : "it is paused now, and this run codes what it left."))
        case .waiting(let documents, let jobs):
            let changed = waitingShown.withLock { shown in
                defer { shown = [Int64(documents)] + jobs }
                return shown != [Int64(documents)] + jobs
            }
            guard changed else { return }
            let holders = jobs.map { "#\($0)" }.joined(separator: ", ")
            printError(
                (interactive ? "\r\u{1B}[K" : "")
                    + "Waiting for \(documents) document\(documents == 1 ? "" : "s") that job\(jobs.count == 1 ? "" : "s") \(holders) "
                    + "\(jobs.count == 1 ? "is" : "are") coding (another run at the same time; one whose process died is taken over once its lease runs out)."
            )
        case .finished:
            break
        }
    }

    private func bar(_ counts: JobCounts) -> String {
        let (done, total) = (counts.processed, counts.total)
        let width = 30
        let filled = total == 0 ? width : width * done / total
        let elapsed = Int(Date().timeIntervalSince(started))
        let eta = done == 0 ? "" : "  eta \(format(elapsed * (total - done) / done))"
        return "\r\u{1B}[K[\(String(repeating: "█", count: filled))\(String(repeating: "·", count: width - filled))] "
            + "\(done)/\(total)  \(counts.succeeded) ok  \(counts.flagged) flagged  \(counts.failed) failed  \(format(elapsed))\(eta)"
    }

    private func format(_ seconds: Int) -> String { String(format: "%d:%02d", seconds / 60, seconds % 60) }
}
