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
///
/// "No value" is an answer like any other: a run that found none, whose value failed its checks,
/// that skipped the variable, or whose reply was unusable says "no value", so three runs that
/// find no date for a press conference agree, and the table of what the runs said adds up.
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

    /// Merges the runs of one document (in run order; at least one). When all failed, the first
    /// failure stands, with the tokens of all runs.
    public static func merge(_ runs: [DocumentResult], codebook: Codebook, settings: ModelSettings) -> DocumentResult {
        precondition(!runs.isEmpty, "merging no runs")
        let tokensIn = runs.reduce(0) { $0 + $1.tokensIn }
        let tokensOut = runs.reduce(0) { $0 + $1.tokensOut }
        guard let firstUsable = runs.first(where: { $0.outcome != .failed }) else {
            var failed = runs[0]
            failed.tokensIn = tokensIn
            failed.tokensOut = tokensOut
            failed.addSpending(of: runs)
            return failed
        }
        var merged = firstUsable
        merged.tokensIn = tokensIn
        merged.tokensOut = tokensOut
        merged.addSpending(of: runs)
        merged.errors = []
        merged.extractions = codebook.variables.compactMap { variable in
            let answers = runs.map { run in
                run.outcome == .failed ? nil : run.extractions.first { $0.variable == variable.name && $0.entityIndex == 0 }
            }
            return value(of: variable, answers: answers, settings: settings)
        }
        let needsReview = merged.extractions.contains { $0.status == .flagged || $0.status == .failed }
        merged.outcome = needsReview ? .flagged : .succeeded
        return merged
    }

    /// One run's parts (a request per model) as one result: their values together, their tokens
    /// summed; a part that failed fails the document (its error stands, and the document is
    /// redone whole next time), and a flagged value flags it.
    public static func combine(_ parts: [DocumentResult]) -> DocumentResult {
        precondition(!parts.isEmpty, "combining no parts")
        guard parts.count > 1 else { return parts[0] }
        var combined = parts.first { $0.outcome == .failed } ?? parts[0]
        combined.tokensIn = parts.reduce(0) { $0 + $1.tokensIn }
        combined.tokensOut = parts.reduce(0) { $0 + $1.tokensOut }
        combined.addSpending(of: parts)
        guard combined.outcome != .failed else { return combined }
        combined.extractions = parts.flatMap(\.extractions)
        combined.outcome = parts.contains { $0.outcome == .flagged } ? .flagged : .succeeded
        combined.reply = parts.last?.reply
        return combined
    }

    static let noValue = "(no value)"

    /// What a run said, as a comparable code: its value's code, or "no value".
    static func key(_ answer: Extraction?, _ type: VariableType) -> String {
        guard let answer, answer.status != .failed else { return noValue }
        return Codes.code(answer.value, type: type) ?? noValue
    }

    /// One variable's merged value from each run's answer (nil where the run gave none); nil when
    /// the majority gave no value and no run stored one (the variable was skipped).
    static func value(of variable: Variable, answers: [Extraction?], settings: ModelSettings) -> Extraction? {
        // Group the runs by what they said, in the order the answers first came.
        var order: [String] = []
        var groups: [String: [Extraction?]] = [:]
        for answer in answers {
            let key = key(answer, variable.type)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(answer)
        }
        func meanConfidence(_ key: String) -> Double? {
            let confidences = groups[key, default: []].compactMap { $0?.confidence }
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
            // The surest run that gave it lends its evidence and rationale (a value that passed its
            // checks before one that failed them).
            let representative = groups[winner]!.compactMap({ $0 }).max(by: { a, b in
                let (failedA, failedB) = (a.status == .failed, b.status == .failed)
                if failedA != failedB { return failedA }
                return (a.confidence ?? -1) < (b.confidence ?? -1)
            })
        else { return nil }
        let agreement = Double(groups[winner]!.count) / Double(answers.count)
        let modelConfidence = meanConfidence(winner)
        var value = representative
        value.runValues = answers.map { answer in
            // `.none`, not `nil`: JSONValue takes the nil literal as .null.
            key(answer, variable.type) == noValue ? JSONValue?.none : answer.map(\.value)
        }
        value.runAgreement = agreement
        value.modelConfidence = modelConfidence
        value.confidence = blend(agreement: agreement, modelConfidence: modelConfidence)
        value.settings = settings
        if agreement <= disagreementShare, value.status == .validated || value.status == .flagged {
            let said = order.map { "\($0) ×\(groups[$0]!.count)" }
            value.status = .flagged
            value.error = [value.error, "runs disagree: " + said.joined(separator: ", ")].compactMap { $0 }.joined(separator: "; ")
        }
        return value
    }
}

extension DocumentResult {
    /// Cached tokens and cost as the sum of these results' (a cost only when each has one).
    mutating func addSpending(of results: [DocumentResult]) {
        tokensCached = results.reduce(0) { $0 + $1.tokensCached }
        let costs = results.map(\.cost)
        cost = costs.contains { $0 == nil } ? nil : costs.reduce(0) { $0 + ($1 ?? 0) }
    }
}
