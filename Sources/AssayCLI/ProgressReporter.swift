import AssayCore
import AssayEngine
import Foundation

/// Shows a run's progress on stderr: a redrawn bar on a terminal, one plain line per document
/// otherwise (logs, CI). Failures always get their own line with the reason.
final class ProgressReporter: Sendable {
    private let interactive = Terminal.stderrIsTTY
    private let state = Mutex()
    private let started = Date()

    private final class Mutex: @unchecked Sendable {
        let lock = NSLock()
        var succeeded = 0, flagged = 0, failed = 0
    }

    var report: @Sendable (RunProgress) -> Void { { [self] in self.handle($0) } }

    private func handle(_ event: RunProgress) {
        switch event {
        case .started(let job, let alreadyDone):
            let skipped = alreadyDone > 0 ? " (\(alreadyDone) already done, skipped)" : ""
            printError("Job #\(job.id): \(job.total) documents to code\(skipped).")
        case .documentFinished(_, let externalID, let outcome, let reason, let processed, let total):
            let counts: (Int, Int, Int) = state.lock.withLock {
                switch outcome {
                case .succeeded: state.succeeded += 1
                case .flagged: state.flagged += 1
                case .failed: state.failed += 1
                }
                return (state.succeeded, state.flagged, state.failed)
            }
            if interactive {
                if outcome == .failed { printError("\r\u{1B}[K  failed: \(externalID): \(reason ?? "")") }
                FileHandle.standardError.write(Data(bar(processed, total, counts).utf8))
                if processed == total { printError("") }
            } else {
                var line = "[\(processed)/\(total)] \(externalID): \(outcome.rawValue)"
                if let reason, outcome == .failed { line += " — \(reason)" }
                printError(line)
            }
        case .finished:
            break
        }
    }

    private func bar(_ done: Int, _ total: Int, _ counts: (Int, Int, Int)) -> String {
        let width = 30
        let filled = total == 0 ? width : width * done / total
        let elapsed = Int(Date().timeIntervalSince(started))
        let eta = done == 0 ? "" : "  eta \(format(elapsed * (total - done) / done))"
        return "\r\u{1B}[K[\(String(repeating: "█", count: filled))\(String(repeating: "·", count: width - filled))] "
            + "\(done)/\(total)  \(counts.0) ok  \(counts.1) flagged  \(counts.2) failed  \(format(elapsed))\(eta)"
    }

    private func format(_ seconds: Int) -> String { String(format: "%d:%02d", seconds / 60, seconds % 60) }
}
