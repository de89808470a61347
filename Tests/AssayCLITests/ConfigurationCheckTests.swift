import ArgumentParser
import Logging
import Testing

@testable import AssayCLI

/// Numeric flags and environment settings outside their range are usage errors that name the
/// setting and the range, before anything runs. Each case here used to be accepted.
@Suite struct ConfigurationCheckTests {
    /// The message `assay` prints for these arguments, or nil when they parse.
    func refusal(_ arguments: [String]) -> String? {
        do {
            _ = try AssayCommand.parseAsRoot(arguments)
            return nil
        } catch {
            #expect(AssayCommand.exitCode(for: error) == .validationFailure, "\(arguments)")
            return AssayCommand.message(for: error)
        }
    }

    @Test(arguments: [
        (["run", "--all", "--concurrency", "0"], "--concurrency must be from 1 to 1024 (got 0)"),
        (["run", "--all", "--concurrency", "100000"], "--concurrency must be from 1 to 1024 (got 100000)"),
        (["run", "--all", "--max-failures", "0"], "--max-failures must be from 1 to 1000000 (got 0)"),
        (["run", "--all", "--temperature=-1"], "--temperature must be from 0 to 2 (got -1.0)"),
        (["run", "--all", "--temperature", "nan"], "--temperature must be from 0 to 2 (got nan)"),
        (["run", "--all", "--document-timeout", "0"], "--document-timeout must be from 1 to 86400 (got 0)"),
        // Once a crash: the deadline in nanoseconds overflowed.
        (["run", "--all", "--document-timeout", "99999999999"], "--document-timeout must be from 1 to 86400 (got 99999999999)"),
        (["run", "--all", "--token-budget", "100"], "--token-budget must be from 512 to 2000000 (got 100)"),
        (["run", "--all", "--chunk-tokens", "10"], "--chunk-tokens must be 0 (off) or from 256 to 1000000 (got 10)"),
        (["run", "--all", "--requests-per-minute", "0"], "--requests-per-minute must be from 1 to 1000000 (got 0)"),
        (["run", "--all", "--tokens-per-minute=-5"], "--tokens-per-minute must be from 1 to 1000000000 (got -5)"),
        (["serve", "--document-timeout=-1"], "--document-timeout must be from 1 to 86400 (got -1)"),
        (["serve", "--shutdown-grace=-1"], "--shutdown-grace must be from 0 to 3600 (got -1)"),
        // Once a wrong limit: the megabytes were shifted into bytes past Int's range.
        (["serve", "--max-upload-mb", "99999999999999"], "--max-upload-mb must be from 1 to 4096 (got 99999999999999)"),
        (["serve", "--concurrency", "0"], "--concurrency must be from 1 to 1024 (got 0)"),
        (["traces", "run", "--trace-timeout", "0"], "--trace-timeout must be from 1 to 86400 (got 0)"),
        (["traces", "run", "--batch-size", "0"], "--batch-size must be from 1 to 10000 (got 0)"),
    ])
    func flagsOutOfRangeAreRefused(_ arguments: [String], _ message: String) {
        let refused = refusal(arguments)
        #expect(refused?.contains(message) == true, "\(arguments): \(refused ?? "accepted")")
    }

    @Test func flagsInRangeAreAccepted() {
        #expect(refusal(["run", "--all", "--concurrency", "4", "--document-timeout", "600", "--temperature", "0.7"]) == nil)
        // Chunking off, with the default overlap: refused until the overlap check minded chunking being off.
        #expect(refusal(["run", "--all", "--chunk-tokens", "0"]) == nil)
        #expect(refusal(["serve", "--max-upload-mb", "64", "--shutdown-grace", "0"]) == nil)
        #expect(refusal(["traces", "watch", "--every", "2h"]) == nil)
    }

    /// A huge interval used to crash (the seconds overflowed); a week is the most a watch waits.
    @Test func watchIntervalsAreBounded() {
        #expect(TracesWatch.parse("90s") == .seconds(90))
        #expect(TracesWatch.parse("168h") == .seconds(7 * 24 * 3600))
        #expect(TracesWatch.parse("169h") == nil)
        #expect(TracesWatch.parse("99999999999999999h") == nil)
        #expect(TracesWatch.parse("9999999999999999m") == nil)
        #expect(TracesWatch.parse("0s") == nil)
        #expect(refusal(["traces", "watch", "--every", "9999999999999999h"])?.contains("from 1s to 7 days") == true)
    }

    @Test func environmentSettingsAreCheckedWithTheFlags() throws {
        for (name, value, message) in [
            ("ASSAY_TIMEOUT", "-1", "ASSAY_TIMEOUT must be a number of seconds from 1 to 3600 (got '-1')"),
            ("ASSAY_RPM", "5OO", "ASSAY_RPM must be a whole number from 1 to 1000000 (got '5OO')"),
            ("ASSAY_TPM", "0", "ASSAY_TPM must be a whole number from 1 to 1000000000 (got '0')"),
            ("ASSAY_SCHEMA_MODE", "strict", "ASSAY_SCHEMA_MODE 'strict' is not one of json_schema, json_object, none"),
        ] {
            let error = #expect(throws: ValidationError.self) { try FlagRanges.checkEnvironment([name: value]) }
            #expect(error?.message == message)
        }
        try FlagRanges.checkEnvironment(["ASSAY_TIMEOUT": "600", "ASSAY_RPM": "500", "ASSAY_TPM": " ", "ASSAY_SCHEMA_MODE": "none"])
    }

    @Test func anUnknownLogLevelIsAnError() throws {
        #expect(try AssayCommand.logLevel([:], serving: false) == .warning)
        #expect(try AssayCommand.logLevel([:], serving: true) == .info)
        #expect(try AssayCommand.logLevel(["ASSAY_LOG_LEVEL": "DEBUG"], serving: false) == .debug)
        let error = #expect(throws: ValidationError.self) { try AssayCommand.logLevel(["ASSAY_LOG_LEVEL": "verbose"], serving: false) }
        #expect(error?.message.hasPrefix("ASSAY_LOG_LEVEL 'verbose' is not one of trace, debug, info") == true)
    }
}
