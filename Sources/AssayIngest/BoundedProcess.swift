import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a helper program (pdftotext, pdfinfo, pdftoppm, tesseract) with its arguments as an array
/// (never a shell string), a time limit and a cap on what it may print: a hostile file must not
/// hang an ingest or fill its memory through a converter.
package enum BoundedProcess {
    package struct Output: Sendable {
        package var status: Int32
        package var stdout: Data
        package var stderr: Data

        /// The first line of what the program printed on standard error, for a failed document's reason.
        package var firstErrorLine: String {
            String(decoding: stderr.prefix(2000), as: UTF8.self)
                .split(whereSeparator: \.isNewline).first.map { String($0.prefix(200)) } ?? "exit status \(status)"
        }
    }

    package enum Problem: Error, Sendable, Equatable {
        case notInstalled(program: String)
        case timedOut(program: String, seconds: Double)
        case tooMuchOutput(program: String, limit: Int)
        case cannotStart(program: String, reason: String)
    }

    /// The program's full path from `PATH` (and the usual system folders), or nil when it is missing.
    package static func locate(_ program: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin", "/bin"]
        for folder in folders where !folder.isEmpty {
            let candidate = folder + "/" + program
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `program` and waits for it, at most `timeout` seconds; past that or past `maxOutputBytes`
    /// on standard output it is killed and the run reported as a problem.
    package static func run(
        _ program: String, _ arguments: [String], timeout: Double, maxOutputBytes: Int,
        environment: [String: String] = [:]
    ) -> Result<Output, Problem> {
        guard let executable = locate(program) else { return .failure(.notInstalled(program: program)) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let outPipe = Pipe()
        let errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = FileHandle.nullDevice

        let out = Collector(limit: maxOutputBytes)
        let err = Collector(limit: 64 * 1024)
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        do {
            try process.run()
        } catch {
            return .failure(.cannotStart(program: program, reason: "\(error)"))
        }
        let readers = DispatchGroup()
        let pid = process.processIdentifier
        for (handle, collector) in [(outPipe.fileHandleForReading, out), (errPipe.fileHandleForReading, err)] {
            let reading = Handle(handle)
            DispatchQueue.global().async(group: readers) {
                collector.drain(reading.handle) { _ = kill(pid, SIGTERM) }
            }
        }
        var timedOut = false
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            process.terminate()
            if exited.wait(timeout: .now() + 2) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                exited.wait()
            }
        }
        readers.wait()
        if timedOut { return .failure(.timedOut(program: program, seconds: timeout)) }
        if out.overflowed { return .failure(.tooMuchOutput(program: program, limit: maxOutputBytes)) }
        return .success(Output(status: process.terminationStatus, stdout: out.data, stderr: err.data))
    }

    /// A pipe's reading end handed to the thread that drains it (used by that thread only).
    private struct Handle: @unchecked Sendable {
        let handle: FileHandle
        init(_ handle: FileHandle) { self.handle = handle }
    }

    /// What one pipe delivered, up to a limit; reading goes on to the end so the program never
    /// blocks on a full pipe, but bytes past the limit are dropped and the program stopped.
    private final class Collector: @unchecked Sendable {
        private let lock = NSLock()
        private let limit: Int
        private var bytes = Data()
        private var over = false

        init(limit: Int) { self.limit = limit }

        var data: Data {
            lock.lock()
            defer { lock.unlock() }
            return bytes
        }
        var overflowed: Bool {
            lock.lock()
            defer { lock.unlock() }
            return over
        }

        func drain(_ handle: FileHandle, onOverflow: () -> Void) {
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { return }
                lock.lock()
                let stop = !over && bytes.count + chunk.count > limit
                if stop { over = true } else if !over { bytes.append(chunk) }
                lock.unlock()
                if stop { onOverflow() }
            }
        }
    }
}

extension BoundedProcess.Problem {
    /// The reason a person reads on the failed document.
    package var reason: String {
        switch self {
        case .notInstalled(let program):
            let package = program == "tesseract" ? "tesseract-ocr tesseract-ocr-eng" : "poppler-utils"
            return "\(program) is not installed (Debian: apt-get install \(package); scripts/prerequisites.sh does it)"
        case .timedOut(let program, let seconds):
            return "\(program) took longer than \(Int(seconds)) seconds; the file may be damaged or very large"
        case .tooMuchOutput(let program, let limit):
            return "\(program) printed more than \(Ingestor.byteCount(limit)); the file is too large to read"
        case .cannotStart(let program, let reason):
            return "cannot run \(program): \(reason)"
        }
    }
}
