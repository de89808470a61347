import ArgumentParser
import AssayProviders
import Foundation

/// The ranges numeric flags accept, shared where several commands take the same flag. Outside
/// them a value is a usage error naming the flag and the range, before anything runs: a zero or
/// negative value used to mean "stop at once" or "time out at once", a huge one overflowed.
enum FlagRanges {
    /// Documents or traces in flight at once.
    static let concurrency = 1...1024
    /// Seconds one document or trace may take: at least a second, at most a day.
    static let timeoutSeconds = 1...86_400

    static func check<Value: Comparable & CustomStringConvertible>(_ value: Value, _ flag: String, _ range: ClosedRange<Value>) throws {
        if let problem = SettingCheck.problem(value, for: flag, in: range) { throw ValidationError(problem) }
    }

    /// The model's settings from the environment (`ASSAY_TIMEOUT`, `ASSAY_RPM`, ...), checked with
    /// the flags, so a bad value stops the command before it opens the database or starts a job.
    static func checkEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws {
        do {
            _ = try ProviderSettings.fromEnvironment(env)
            _ = try RateLimits.fromEnvironment(env)
        } catch let error as ProviderError {
            if case .misconfigured(let why) = error { throw ValidationError(why) }
            throw error
        }
    }
}
