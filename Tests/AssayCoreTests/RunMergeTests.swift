import AssayCore
import Foundation
import Testing

/// `RunMerge`: several codings of one document as one value per variable.
struct RunMergeTests {
    static let codebook = Codebook(
        name: "runs",
        variables: [
            Variable(name: "issue", type: .category, categories: [Category(code: "labor"), Category(code: "housing")]),
            Variable(name: "violence", type: .boolean),
            Variable(name: "injuries", type: .number, dependsOn: Dependency(variable: "violence", equals: true)),
        ])
    static let settings = ModelSettings(temperature: 0, runs: 3, variedTemperature: 0.7)

    static func value(_ variable: String, _ value: JSONValue, _ confidence: Double?, status: ExtractionStatus = .validated) -> Extraction {
        Extraction(
            documentID: 1, variable: variable, value: value, confidence: confidence,
            evidence: Evidence(quote: "q", match: .exact), rationale: "confidence \(confidence ?? 0)", status: status,
            codebookVersion: 1, promptHash: "p", model: "m", jobID: 1)
    }

    static func run(_ values: [Extraction], tokens: Int = 10) -> DocumentResult {
        DocumentResult(
            jobID: 1, documentID: 1, codebookVersion: 1, contentHash: "h", outcome: .succeeded, extractions: values,
            errors: [], tokensIn: tokens, tokensOut: tokens / 2)
    }

    static let failedRun = DocumentResult(
        jobID: 1, documentID: 1, codebookVersion: 1, contentHash: "h", outcome: .failed, extractions: [],
        errors: [ErrorRecord(jobID: 1, documentID: 1, kind: .invalidJSON, reason: "not JSON")], tokensIn: 7, tokensOut: 3)

    func merged(_ runs: [DocumentResult]) -> [String: Extraction] {
        let result = RunMerge.merge(runs, codebook: Self.codebook, settings: Self.settings)
        return Dictionary(uniqueKeysWithValues: result.extractions.map { ($0.variable, $0) })
    }

    @Test func theMajorityAnswerIsStoredWithTheRunsAgreementAndWhatEachRunSaid() throws {
        let values = merged([
            Self.run([Self.value("issue", "labor", 0.9)]),
            Self.run([Self.value("issue", "housing", 0.5)]),
            Self.run([Self.value("issue", "labor", 0.7)]),
        ])
        let issue = try #require(values["issue"])
        #expect(issue.value == "labor")
        #expect(issue.runAgreement == 2.0 / 3)
        #expect(issue.runValues == ["labor", "housing", "labor"])
        #expect(issue.runs == 3)
        // The model's own confidence is the mean over the runs that gave the majority answer.
        #expect(abs(issue.modelConfidence! - 0.8) < 1e-12)
        // Blended: half agreement, half the model's own.
        #expect(abs(issue.confidence! - (0.5 * 2.0 / 3 + 0.5 * 0.8)) < 1e-12)
        // The evidence and rationale are those of the surest run that gave the majority answer.
        #expect(issue.rationale == "confidence 0.9")
        #expect(issue.settings == Self.settings)
        #expect(issue.status == .validated)
    }

    @Test func valuesThatMeanTheSameCountAsOneAnswer() throws {
        // 3 and 3.0 are one number; ["a","b"] and ["b","a"] one set.
        let codebook = Codebook(name: "n", variables: [Variable(name: "n", type: .number)])
        let result = RunMerge.merge(
            [Self.run([Self.value("n", 3, 0.9)]), Self.run([Self.value("n", .number(3.0), 0.9)])], codebook: codebook,
            settings: Self.settings)
        #expect(result.extractions.first?.runAgreement == 1)
    }

    @Test func aValueNoMajorityAgreesOnIsFlaggedSayingWhatTheRunsSaid() throws {
        let values = merged([
            Self.run([Self.value("violence", false, 0.9)]),
            Self.run([Self.value("violence", true, 0.6)]),
        ])
        let violence = try #require(values["violence"])
        // A tie goes to the higher model confidence.
        #expect(violence.value == false)
        #expect(violence.runAgreement == 0.5)
        #expect(violence.status == .flagged)
        #expect(violence.error == "runs disagree: false ×1, true ×1")
    }

    @Test func aTieOfEqualConfidenceGoesToTheEarlierAnswer() throws {
        let values = merged([Self.run([Self.value("issue", "housing", 0.5)]), Self.run([Self.value("issue", "labor", 0.5)])])
        #expect(values["issue"]?.value == "housing")
    }

    @Test func aFailedRunCountsAgainstEveryValueAndItsTokensCount() throws {
        let result = RunMerge.merge(
            [Self.run([Self.value("issue", "labor", 0.9)]), Self.failedRun, Self.run([Self.value("issue", "labor", 0.9)])],
            codebook: Self.codebook, settings: Self.settings)
        let issue = try #require(result.extractions.first)
        #expect(issue.runAgreement == 2.0 / 3)
        #expect(issue.runValues == ["labor", JSONValue?.none, "labor"])
        #expect(result.tokensIn == 27)
        #expect(result.tokensOut == 13)
        #expect(result.outcome == .succeeded)
        #expect(result.errors.isEmpty)
    }

    @Test func whenEveryRunFailedTheFirstFailureStandsWithAllTheTokens() {
        var second = Self.failedRun
        second.errors = [ErrorRecord(jobID: 1, documentID: 1, kind: .timeout, reason: "slow")]
        let result = RunMerge.merge([Self.failedRun, second], codebook: Self.codebook, settings: Self.settings)
        #expect(result.outcome == .failed)
        #expect(result.errors.map(\.kind) == [.invalidJSON])
        #expect(result.tokensIn == 14)
    }

    @Test func aVariableMostRunsSkippedIsSkipped() {
        // injuries applies only when violence is true: skipped values are absent from a run.
        let values = merged([
            Self.run([Self.value("violence", false, 0.9)]),
            Self.run([Self.value("violence", true, 0.9), Self.value("injuries", 2, 0.9)]),
            Self.run([Self.value("violence", false, 0.9)]),
        ])
        #expect(values["injuries"] == nil)
        #expect(values["violence"]?.value == false)
    }

    @Test func aFailedValueVotesForNoValue() throws {
        let values = merged([
            Self.run([Self.value("issue", .null, nil, status: .failed)]),
            Self.run([Self.value("issue", .null, nil, status: .failed)]),
            Self.run([Self.value("issue", "labor", 0.9)]),
        ])
        let issue = try #require(values["issue"])
        #expect(issue.status == .failed)
        #expect(issue.value == .null)
        #expect(issue.runValues == [JSONValue?.none, .none, "labor"])
        // Without the model's confidence, the agreement alone.
        #expect(issue.confidence == 2.0 / 3)
    }

    @Test func runsThatFindNoValueAgreeWhateverTheWayTheyFoundNone() throws {
        // A null answer, a value that failed its checks, and an unusable reply all say "no value".
        let values = merged([
            Self.run([Self.value("issue", .null, 0.8)]),
            Self.run([Self.value("issue", "labor", 0.9, status: .failed)]),
            Self.failedRun,
        ])
        let issue = try #require(values["issue"])
        #expect(issue.value == .null && issue.runAgreement == 1 && issue.status == .validated)
        #expect(issue.runValues == [JSONValue?.none, .none, .none])
    }

    @Test func blendingWeighsAgreementAndTheModelsOwnConfidenceEqually() {
        #expect(RunMerge.blend(agreement: 1, modelConfidence: 0.5) == 0.75)
        #expect(RunMerge.blend(agreement: 1.0 / 3, modelConfidence: nil) == 1.0 / 3)
        // A model's confidence out of range is clamped.
        #expect(RunMerge.blend(agreement: 0, modelConfidence: 7) == 0.5)
    }
}
