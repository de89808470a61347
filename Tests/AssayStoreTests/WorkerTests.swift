import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// `Worker`: which process runs a job, and whether it is gone, as only this machine can tell.
@Suite struct WorkerTests {
    @Test func thisProcessIsNotGone() {
        #expect(!Worker.current.contains("?"), "\(Worker.current)")
        #expect(!Worker.isGone(Worker.current))
    }

    @Test func aProcessThatEndedIsGone() throws {
        try ShortLivedProcess.withRunningWorkerID { worker in #expect(!Worker.isGone(worker)) }
        #expect(Worker.isGone(try ShortLivedProcess.endedWorkerID()))
    }

    /// A PID reused by a later process: its start time differs, so the worker is gone.
    @Test func aReusedPIDIsNotTheWorker() throws {
        var parts = Worker.current.split(separator: " ").map(String.init)
        parts[4] = "1"  // started one tick after boot: not this process
        #expect(Worker.isGone(parts.joined(separator: " ")))
    }

    /// Another machine, another boot or PID namespace, or an id this version cannot read: its
    /// lease decides, never this check.
    @Test(arguments: [0, 1, 2])
    func aWorkerElsewhereIsNeverTakenForGone(part: Int) {
        var parts = Worker.current.split(separator: " ").map(String.init)
        parts[3] = "999999999"  // no such PID here
        #expect(Worker.isGone(parts.joined(separator: " ")))
        parts[part] = "elsewhere"
        #expect(!Worker.isGone(parts.joined(separator: " ")))
        #expect(!Worker.isGone("") && !Worker.isGone("garbage"))
    }
}
