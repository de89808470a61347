import AssayStore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A process that runs for a moment and is reaped, for tests of `Worker`: its worker id is read
/// while it lives. Started with `posix_spawn` and waited for with `waitpid` on its own PID
/// (Foundation's `Process` can miss exits inside the test runner).
package enum ShortLivedProcess {
    /// The worker id a process had, once it has ended.
    package static func endedWorkerID() throws -> String {
        let pid = try spawnSleep("0.2")
        let worker = Worker.id(of: pid)
        reap(pid)
        guard let worker else { throw POSIXError(.ESRCH) }
        return worker
    }

    /// Runs `body` with the worker id of a process that is running, then ends the process.
    package static func withRunningWorkerID(_ body: (String) throws -> Void) throws {
        let pid = try spawnSleep("30")
        defer {
            kill(pid, SIGKILL)
            reap(pid)
        }
        guard let worker = Worker.id(of: pid) else { throw POSIXError(.ESRCH) }
        try body(worker)
    }

    private static func spawnSleep(_ seconds: String) throws -> pid_t {
        var pid: pid_t = 0
        let arguments = ["/bin/sleep", seconds]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let spawned = posix_spawn(&pid, "/bin/sleep", nil, nil, &argv, nil)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
        return pid
    }

    private static func reap(_ pid: pid_t) {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    }
}
