import Foundation

/// A child process run for a test, waited for without blocking the cooperative thread pool.
///
/// Why not `readDataToEndOfFile` + `waitUntilExit`: on a 2-core machine the pool has two
/// threads, so two tests blocked in those calls stall every other test in the process. Here the
/// pipes are drained on threads of their own and the wait is a continuation. A child that runs
/// past its time limit gets SIGQUIT (the Swift runtime prints every thread's backtrace to
/// stderr), then SIGKILL, and its output says so — a hang becomes a failure that explains itself
/// instead of a test run that never ends.
final class ChildProcess: @unchecked Sendable {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var timedOut: Bool
        var output: String { stdout + stderr }
    }

    private let process = Process()
    private let outPipe = Pipe(), errPipe = Pipe()
    private let drained = DispatchGroup()
    private let exited = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var out = Data(), err = Data()
    private var timedOut = false

    init(executable: URL, arguments: [String], environment: [String: String], directory: URL) {
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = directory
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = FileHandle.nullDevice
        process.terminationHandler = { [exited] _ in exited.signal() }
    }

    func start() throws {
        try process.run()
        for (pipe, isError) in [(outPipe, false), (errPipe, true)] {
            drained.enter()
            Thread.detachNewThread { [self] in
                let handle = pipe.fileHandleForReading
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    lock.withLock { if isError { err.append(chunk) } else { out.append(chunk) } }
                }
                drained.leave()
            }
        }
    }

    /// What the child has written to stderr so far.
    var stderrSoFar: String { lock.withLock { String(decoding: err, as: UTF8.self) } }

    /// Waits (polling, without blocking a thread) until stderr contains `text`, the child exits,
    /// or `limit` passes. True when the text appeared.
    func waitForStderr(containing text: String, limit: Duration = .seconds(600)) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if stderrSoFar.contains(text) { return true }
            if !process.isRunning { return stderrSoFar.contains(text) }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    func interrupt() { process.interrupt() }

    /// Waits for the child to exit and its output to be read, at most `limit`.
    ///
    /// The wait is on the child's exit, not on the pipes' end: a process the child started in
    /// the background (llama-server) may hold a copy of a pipe open for as long as it lives, so
    /// after the exit the pipes get a short grace period to drain and no more.
    func finish(limit: Duration) async -> Result {
        let seconds = Double(limit.components.seconds)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread { [self] in
                if exited.wait(timeout: .now() + seconds) == .timedOut {
                    lock.withLock { timedOut = true }
                    kill(process.processIdentifier, SIGQUIT)
                    if exited.wait(timeout: .now() + 30) == .timedOut {
                        kill(process.processIdentifier, SIGKILL)
                        exited.wait()
                    }
                }
                _ = drained.wait(timeout: .now() + 10)
                done.resume()
            }
        }
        return lock.withLock {
            var stderr = String(decoding: err, as: UTF8.self)
            if timedOut { stderr += "\n[test harness: still running after \(Int(seconds)) s; stopped with SIGQUIT/SIGKILL]" }
            return Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                          stderr: stderr, timedOut: timedOut)
        }
    }

    /// Starts the child and waits for it.
    static func run(_ executable: URL, _ arguments: [String], environment: [String: String], directory: URL,
                    limit: Duration) async throws -> Result {
        let child = ChildProcess(executable: executable, arguments: arguments, environment: environment, directory: directory)
        try child.start()
        return await child.finish(limit: limit)
    }
}
