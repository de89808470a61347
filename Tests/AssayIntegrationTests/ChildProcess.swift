import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A child process run for a test: started with `posix_spawn`, its pipes drained on threads of
/// its own, its exit awaited by a blocking `waitpid` on another, and the test awaiting all that
/// through a continuation — so no thread of the cooperative pool is ever blocked.
///
/// Why not Foundation's `Process`: in the test runner it can miss a child's exit (its SIGCHLD is
/// delivered to the runner's main thread, which ignores it), leaving a zombie and a test waiting
/// for ever — that is what hung CI. `waitpid` on the child's own pid needs no signal at all.
///
/// A child that runs past its time limit gets SIGQUIT (the Swift runtime prints every thread's
/// backtrace to stderr), then SIGKILL, and its output says so: a hang becomes a failure that
/// explains itself instead of a test run that never ends.
final class ChildProcess: @unchecked Sendable {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var timedOut: Bool
        var output: String { stdout + stderr }
    }

    let executable: URL
    let arguments: [String]
    let environment: [String: String]
    let directory: URL

    private let lock = NSLock()
    private var out = Data(), err = Data()
    private var timedOut = false
    private var exitStatus: Int32?
    private var pid: pid_t = 0
    private let drained = DispatchGroup()
    private let exited = DispatchSemaphore(value: 0)

    init(executable: URL, arguments: [String], environment: [String: String], directory: URL) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.directory = directory
    }

    /// Spawns one at a time, so a pipe made for one child is close-on-exec before any other
    /// child is started (Glibc here has no `pipe2`).
    private static let spawning = NSLock()

    func start() throws {
        try Self.spawning.withLock { try spawn() }
    }

    private func spawn() throws {
        let outPipe = try Self.pipe()
        let errPipe = try Self.pipe()
        let devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { close(devNull) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, devNull, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe.write, 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe.write, 2)

        // The spawning thread may block signals (dispatch threads block nearly all): the child
        // starts with none blocked and default handlers, so Ctrl-C reaches it as it would a user's.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        var all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        // No posix_spawn_file_actions_addchdir_np in this Glibc: `sh` changes directory and
        // then becomes the program (exec), so the pid is the program's.
        let command = ["/bin/sh", "-c", #"cd "$0" && exec "$@""#, directory.path, executable.path] + arguments
        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var child: pid_t = 0
        let code = posix_spawn(&child, "/bin/sh", &actions, &attributes, argv, envp)
        close(outPipe.write)
        close(errPipe.write)
        guard code == 0 else {
            close(outPipe.read)
            close(errPipe.read)
            throw HarnessError("cannot start \(executable.path): \(String(cString: strerror(code)))")
        }
        pid = child
        let spawned = child

        for (fd, isError) in [(outPipe.read, false), (errPipe.read, true)] {
            drained.enter()
            Thread.detachNewThread { [self] in
                var buffer = [UInt8](repeating: 0, count: 65536)
                while true {
                    let count = read(fd, &buffer, buffer.count)
                    if count < 0 && errno == EINTR { continue }
                    if count <= 0 { break }
                    lock.withLock {
                        if isError { err.append(contentsOf: buffer[..<count]) } else { out.append(contentsOf: buffer[..<count]) }
                    }
                }
                close(fd)
                drained.leave()
            }
        }
        Thread.detachNewThread { [self] in
            var status: Int32 = 0
            while waitpid(spawned, &status, 0) < 0 && errno == EINTR {}
            // Exited normally: its exit code; killed by a signal: 128 + the signal, as a shell says.
            let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            lock.withLock { exitStatus = code }
            exited.signal()
        }
    }

    private static func pipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        // Close-on-exec: a pipe meant for one child must not leak into another started meanwhile.
        guard Glibc.pipe(&fds) == 0 else { throw HarnessError("pipe: \(String(cString: strerror(errno)))") }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (fds[0], fds[1])
    }

    private var isRunning: Bool { lock.withLock { exitStatus == nil } }

    /// What the child has written to stderr so far.
    var stderrSoFar: String { lock.withLock { String(decoding: err, as: UTF8.self) } }

    /// Waits (polling, without blocking a thread) until stderr contains `text`, the child exits,
    /// or `limit` passes. True when the text appeared.
    func waitForStderr(containing text: String, limit: Duration = .seconds(600)) async -> Bool {
        await wait(limit: limit) { self.stderrSoFar.contains(text) }
    }

    var stdoutSoFar: String { lock.withLock { String(decoding: out, as: UTF8.self) } }

    func waitForStdout(containing text: String, limit: Duration = .seconds(600)) async -> Bool {
        await wait(limit: limit) { self.stdoutSoFar.contains(text) }
    }

    private func wait(limit: Duration, until seen: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if seen() { return true }
            if !isRunning { return seen() }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// Sends SIGINT, as Ctrl-C in a terminal does.
    func interrupt() { kill(pid, SIGINT) }

    /// Sends SIGKILL: the process dies at once, with no chance to tidy up (a crash, an OOM kill).
    func kill9() { kill(pid, SIGKILL) }

    /// Sends SIGTERM, as a service manager does to stop a service.
    func terminate() { kill(pid, SIGTERM) }

    /// Waits for the child to exit and its output to be read, at most `limit`.
    ///
    /// The wait is on the child's exit, not on the pipes' end: a process the child started in
    /// the background (llama-server) could hold a copy of a pipe for as long as it lives, so after
    /// the exit the pipes get a short grace period to drain and no more.
    func finish(limit: Duration) async -> Result {
        let seconds = Double(limit.components.seconds)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread { [self] in
                if exited.wait(timeout: .now() + seconds) == .timedOut {
                    lock.withLock { timedOut = true }
                    kill(pid, SIGQUIT)
                    if exited.wait(timeout: .now() + 30) == .timedOut {
                        kill(pid, SIGKILL)
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
            return Result(
                status: exitStatus ?? -1, stdout: String(decoding: out, as: UTF8.self),
                stderr: stderr, timedOut: timedOut)
        }
    }

    /// Starts the child and waits for it.
    static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String], directory: URL,
        limit: Duration
    ) async throws -> Result {
        let child = ChildProcess(executable: executable, arguments: arguments, environment: environment, directory: directory)
        try child.start()
        return await child.finish(limit: limit)
    }
}
