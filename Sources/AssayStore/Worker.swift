import Foundation

/// Which process runs a job, as stored with its heartbeat (`jobs.worker`): host name, boot,
/// PID namespace, PID and the process's start time. A job left `running` by a process on this
/// machine that is gone (killed with SIGKILL, or the machine's power cut and back) is known to
/// be abandoned at once, without waiting out its lease: the next run on this machine sweeps it.
/// A worker on another machine, in another container or from an earlier boot cannot be checked
/// from here; its lease decides (`WorkClaims`).
public enum Worker {
    /// This process: "host boot pid-namespace pid start-ticks".
    public static let current: String = {
        let pid = ProcessInfo.processInfo.processIdentifier
        return id(of: pid) ?? [host, boot, pidNamespace, "\(pid)", "?"].joined(separator: " ")
    }()

    /// The id of a process running on this machine now, nil when there is none with this PID.
    public static func id(of pid: Int32) -> String? {
        startTicks(of: pid).map { [host, boot, pidNamespace, "\(pid)", $0].joined(separator: " ") }
    }

    /// True only when the worker ran on this machine, in this boot and PID namespace, and its
    /// process is gone (no such PID, or a later process reusing it). Unknown is not gone.
    public static func isGone(_ worker: String) -> Bool {
        let parts = worker.split(separator: " ").map(String.init)
        guard parts.count == 5, parts[0] == host, parts[1] == boot, parts[2] == pidNamespace, parts[1] != "?",
            parts[2] != "?", parts[4] != "?", let pid = Int32(parts[3])
        else { return false }
        guard let started = startTicks(of: pid) else { return true }
        return started != parts[4]
    }

    /// gethostname(2), not `ProcessInfo.hostName`, which on Linux resolves every interface's
    /// address by reverse DNS and can stall a job's first heartbeat where DNS is slow.
    private static let host: String = {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return "?" }
        return String(cString: name).replacingOccurrences(of: " ", with: "_")
    }()
    private static let boot =
        (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8))?
        .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
    private static let pidNamespace = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/pid")) ?? "?"

    /// The process's start time in clock ticks since boot (field 22 of /proc/PID/stat), nil
    /// when there is no such process. Read after the command name's closing parenthesis, since
    /// the name itself may hold spaces and parentheses.
    static func startTicks(of pid: Int32) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After ")": state is field 3, so field 22 is the 20th.
        return fields.count > 19 ? String(fields[19]) : nil
    }
}
