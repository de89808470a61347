import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

enum Terminal {
    static var stderrIsTTY: Bool { isatty(STDERR_FILENO) == 1 }
    static var stdinIsTTY: Bool { isatty(STDIN_FILENO) == 1 }
}

/// Plain aligned columns for terminal output.
enum Table {
    static func render(_ rows: [[String]], indent: Int = 0, header: Bool = true) -> String {
        let widths = (0..<(rows.map(\.count).max() ?? 0)).map { column in
            rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0
        }
        let pad = String(repeating: " ", count: indent)
        return rows.map { row in
            pad
                + row.enumerated().map { i, cell in
                    i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }
}

/// Ctrl-C (and SIGTERM) cancel the run once, so it stops cleanly; a second Ctrl-C exits at once.
final class InterruptHandler: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]

    init(onInterrupt: @escaping @Sendable () -> Void) {
        let lock = NSLock()
        nonisolated(unsafe) var count = 0
        sources = [SIGINT, SIGTERM].map { sig in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                let n = lock.withLock {
                    count += 1
                    return count
                }
                if n > 1 { exit(130) }
                printError("\nStopping: finishing nothing new, keeping what is stored (Ctrl-C again to quit at once)…")
                onInterrupt()
            }
            source.resume()
            return source
        }
    }

    func stop() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
