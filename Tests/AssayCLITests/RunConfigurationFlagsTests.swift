import ArgumentParser
import AssayEngine
import AssayProviders
import Testing

@testable import AssayCLI

/// `assay run`, `assay serve` and `assay traces` fill one `RunConfiguration`; the engine decides
/// from it. These cases check the flags land where the engine reads them — in particular that a
/// job started over HTTP packs as `assay run` does (before, `serve` had no packing at all).
@Suite struct RunConfigurationFlagsTests {
    let hosted = ["ASSAY_BASE_URL": "https://api.example.com/v1", "ASSAY_MODEL": "m", "ASSAY_RPM": "600"]

    func parsed<C: ParsableCommand>(_ arguments: [String], as _: C.Type) throws -> C {
        let command = try AssayCommand.parseAsRoot(arguments)
        return try #require(command as? C, "\(arguments) parsed as \(type(of: command))")
    }

    @Test func runFlagsFillTheConfiguration() throws {
        let run = try parsed(
            [
                "run", "--all", "--concurrency", "64", "--no-pack", "--requests-per-minute", "90",
                "--document-timeout", "20", "--chunk-tokens", "0",
            ], as: RunCommand.self)
        let config = try run.runConfiguration(hosted)
        #expect(config.concurrency == 64)
        #expect(config.packing == nil)
        #expect(config.limits.requestsPerMinute == 90)
        #expect(config.chunking == nil)
        let options = config.options()
        #expect(options.concurrency == 64)
        #expect(options.documentTimeBudget == .seconds(20))
    }

    @Test func runAndServeDecidePackingAlike() throws {
        let run = try parsed(["run", "--all"], as: RunCommand.self).runConfiguration(hosted)
        let serve = try parsed(["serve", "--dev"], as: ServeCommand.self).runConfiguration(hosted)
        // A hosted API: packing where it pays, for both front ends.
        #expect(run.packing == ExtractionEngine.Packing(requestTokens: 8192, onlyWhereItPays: true))
        #expect(serve.packing == run.packing)
        #expect(serve.limits.requestsPerMinute == 600)

        let forced = try parsed(["serve", "--pack", "--token-budget", "4096", "--concurrency", "64"], as: ServeCommand.self)
            .runConfiguration(["ASSAY_BASE_URL": "http://127.0.0.1:9999/v1"])
        #expect(forced.packing == ExtractionEngine.Packing(requestTokens: 4096))
        #expect(forced.options().concurrency == 64)
    }

    @Test func tracesHonourTheRateLimitsOfTheEnvironment() throws {
        let traces = try parsed(["traces", "run", "--concurrency", "3", "--trace-timeout", "30"], as: TracesRun.self)
        let config = try traces.options.runConfiguration(["ASSAY_RPM": "120", "ASSAY_TPM": "50000"])
        #expect(config.limits.requestsPerMinute == 120)
        #expect(config.limits.tokensPerMinute == 50000)
        #expect(config.concurrency == 3)
        #expect(config.packing == nil)
    }
}
