import Foundation

/// Several codings of one document (`assay run --runs N`) as one: per variable the majority
/// answer, the share of runs that gave it, what each run said, and a confidence that blends that
/// agreement with the model's own.
///
/// Why blend: a small model's stated confidence says little (SmolLM2 answers 0.5 or 0.9, right or
/// wrong), while answers that stay the same under resampling are right more often (Wang et al.
/// 2023, self-consistency; Xiong et al. 2024 on verbalized vs consistency confidence). The blend
/// keeps half of each, so neither a lucky streak nor a confident guess alone reads as certain;
/// `assay eval` shows the calibration before and after on a gold set.
public enum RunMerge {
    /// The weight of the runs' agreement in the blended confidence; the model's own gets the rest.
    public static let agreementWeight = 0.5

    /// A value whose majority is no more than this share of the runs is flagged for review.
    public static let disagreementShare = 0.5

    /// The confidence of a value that `agreement` of the runs gave and the model rated
    /// `modelConfidence` (mean over those runs); the agreement alone when the model gave none.
    public static func blend(agreement: Double, modelConfidence: Double?) -> Double {
        guard let modelConfidence else { return agreement }
        return agreementWeight * agreement + (1 - agreementWeight) * min(max(modelConfidence, 0), 1)
    }

    /// Merges the runs of one document (in run order; at least one). A run that failed counts
    /// against every value's agreement; when all failed, the first failure stands, with the
    /// tokens of all runs.
    public static func merge(_ runs: [DocumentResult], codebook: Codebook, settings: ModelSettings) -> DocumentResult {
        precondition(!runs.isEmpty, "merging no runs")
        let tokensIn = runs.reduce(0) { $0 + $1.tokensIn }
        let tokensOut = runs.reduce(0) { $0 + $1.tokensOut }
        guard let firstUsable = runs.first(where: { $0.outcome != .failed }) else {
            var failed = runs[0]
            failed.tokensIn = tokensIn
            failed.tokensOut = tokensOut
            return failed
        }
        var merged = firstUsable
        merged.tokensIn = tokensIn
        merged.tokensOut = tokensOut
        merged.errors = []
        merged.extractions = codebook.variables.compactMap { variable in
            let answers = runs.map { run in
                run.outcome == .failed ? nil : Answer(run.extractions.first { $0.variable == variable.name && $0.entityIndex == 0 })
            }
            return value(of: variable, answers: answers, settings: settings)
        }
        let needsReview = merged.extractions.contains { $0.status == .flagged || $0.status == .failed }
        merged.outcome = needsReview ? .flagged : .succeeded
        return merged
    }

    /// What one run said about a variable: a value, or that it skipped it (its condition did not hold).
    struct Answer {
        var extraction: Extraction?
        init(_ extraction: Extraction?) { self.extraction = extraction }

        func key(_ type: VariableType) -> String {
            guard let extraction else { return "(skipped)" }
            guard extraction.status != .failed else { return "(no value)" }
            return Codes.code(extraction.value, type: type) ?? "(no value)"
        }
    }

    static func value(of variable: Variable, answers: [Answer?], settings: ModelSettings) -> Extraction? {
        // Group the runs that answered by what they said, in the order the answers first came.
        var order: [String] = []
        var groups: [String: [Answer]] = [:]
        for answer in answers.compactMap({ $0 }) {
            let key = answer.key(variable.type)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(answer)
        }
        func meanConfidence(_ key: String) -> Double? {
            let confidences = groups[key, default: []].compactMap { $0.extraction?.confidence }
            return confidences.isEmpty ? nil : confidences.reduce(0, +) / Double(confidences.count)
        }
        // The most frequent answer; a tie goes to the higher mean confidence, then the earlier.
        guard
            let winner = order.enumerated().max(by: { a, b in
                let (countA, countB) = (groups[a.element]!.count, groups[b.element]!.count)
                if countA != countB { return countA < countB }
                let (confidenceA, confidenceB) = (meanConfidence(a.element) ?? -1, meanConfidence(b.element) ?? -1)
                if confidenceA != confidenceB { return confidenceA < confidenceB }
                return a.offset > b.offset
            })?.element,
            // Most runs skipped the variable: it is skipped.
            let representative = groups[winner]!.compactMap(\.extraction).max(by: { ($0.confidence ?? -1) < ($1.confidence ?? -1) })
        else { return nil }
        let agreement = Double(groups[winner]!.count) / Double(answers.count)
        let modelConfidence = meanConfidence(winner)
        var value = representative
        value.runValues = answers.map { answer in
            // `.none`, not `nil`: JSONValue takes the nil literal as .null.
            answer?.extraction.flatMap { $0.status == .failed || $0.value == .null ? JSONValue?.none : .some($0.value) }
        }
        value.runAgreement = agreement
        value.modelConfidence = modelConfidence
        value.confidence = blend(agreement: agreement, modelConfidence: modelConfidence)
        value.settings = settings
        if agreement <= disagreementShare, value.status == .validated || value.status == .flagged {
            let said = order.map { "\($0) ×\(groups[$0]!.count)" }
            let failed = answers.count { $0 == nil }
            let note = "runs disagree: " + (said + (failed > 0 ? ["no usable reply ×\(failed)"] : [])).joined(separator: ", ")
            value.status = .flagged
            value.error = [value.error, note].compactMap { $0 }.joined(separator: "; ")
        }
        return value
    }
}
