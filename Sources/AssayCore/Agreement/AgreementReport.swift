import Foundation

/// Every agreement figure for one variable, each with a 95 % interval from a unit-level
/// percentile bootstrap (units drawn with replacement, the figure computed on each resample, the
/// 2.5th and 97.5th percentiles), with a fixed seed so the same data give the same intervals.
public struct AgreementReport: Sendable, Hashable, Codable {
    /// A figure and its interval; nil where undefined (see `Agreement`).
    public struct Figure: Sendable, Hashable, Codable {
        public var value: Double?
        public var lower: Double?
        public var upper: Double?
    }

    /// What a methods section says of an α.
    public enum Verdict: String, Sendable, Hashable, Codable {
        /// α ≥ .800.
        case reliable
        /// .667 ≤ α < .800: tentative conclusions only.
        case tentative
        case unreliable

        public init(alpha: Double) {
            self = alpha >= 0.8 ? .reliable : alpha >= 0.667 ? .tentative : .unreliable
        }
    }

    public var units: Int
    /// Units with two or more codes: the ones the figures use.
    public var pairableUnits: Int
    public var coders: Int
    public var level: MeasurementLevel
    public var percentAgreement: Figure
    /// Cohen's κ for two coders, Fleiss' otherwise (`kappaKind` says which).
    public var kappa: Figure
    public var kappaKind: String
    public var alpha: Figure
    public var ac1: Figure
    public var brennanPrediger: Figure
    public var verdict: Verdict?
    /// The resamples the intervals come from: those asked for, fewer for a very large variable
    /// (see `workBudget`).
    public var resamples: Int
    public var seed: UInt64

    /// Codes visited by all resamples together, at most: the bootstrap's cost grows with codes ×
    /// resamples, and a service computing a million-code variable 10,000 times would hold a core
    /// for many minutes. Past it, fewer resamples (never under 100) are drawn, and the report says so.
    public static let workBudget = 2_000_000

    enum CodingKeys: String, CodingKey {
        case units, coders, level, kappa, alpha, ac1, verdict, resamples, seed
        case pairableUnits = "pairable_units"
        case percentAgreement = "percent_agreement"
        case kappaKind = "kappa_kind"
        case brennanPrediger = "brennan_prediger"
    }

    /// - Parameters:
    ///   - categories: the codebook's categories, when known (AC1 and Brennan–Prediger spread chance over them).
    ///   - order: the values' order for the ordinal level, when they are not numbers.
    public init(
        _ ratings: Ratings, level: MeasurementLevel = .nominal, categories: [String]? = nil, order: [String]? = nil,
        resamples: Int = 1000, seed: UInt64 = 2026, workBudget: Int = workBudget
    ) throws(Agreement.AlphaError) {
        // Check the values against the level once, so the resamples below cannot throw.
        _ = try Agreement.krippendorffAlpha(ratings, level: level, order: order)
        let twoCoders = ratings.coders.count == 2
        let statistics: [(Ratings) -> Double?] = [
            Agreement.percentAgreement,
            { twoCoders ? Agreement.cohenKappa($0) : Agreement.fleissKappa($0) },
            { try? Agreement.krippendorffAlpha($0, level: level, order: order) ?? nil },
            { Agreement.gwetAC1($0, categories: categories) },
            { Agreement.brennanPrediger($0, categories: categories) },
        ]
        let codes = ratings.values.reduce(0) { $0 + $1.count { $0 != nil } }
        let resamples = min(resamples, max(100, workBudget / max(1, codes)))
        let figures = Self.bootstrap(ratings, statistics: statistics, resamples: resamples, seed: seed)
        units = ratings.units.count
        pairableUnits = ratings.pairableUnits
        coders = ratings.coders.count
        self.level = level
        percentAgreement = figures[0]
        kappa = figures[1]
        kappaKind = twoCoders ? "cohen" : "fleiss"
        alpha = figures[2]
        ac1 = figures[3]
        brennanPrediger = figures[4]
        verdict = alpha.value.map(Verdict.init(alpha:))
        self.resamples = resamples
        self.seed = seed
    }

    static func bootstrap(
        _ ratings: Ratings, statistics: [(Ratings) -> Double?], resamples: Int, seed: UInt64
    ) -> [Figure] {
        var draws = [[Double]](repeating: [], count: statistics.count)
        var generator = SeededGenerator(seed: seed)
        let n = ratings.units.count
        if n > 0 {
            for _ in 0..<resamples {
                let sample = ratings.selecting((0..<n).map { _ in min(n - 1, Int(generator.unit() * Double(n))) })
                for (index, statistic) in statistics.enumerated() {
                    if let value = statistic(sample) { draws[index].append(value) }
                }
            }
        }
        return statistics.enumerated().map { index, statistic in
            let sorted = draws[index].sorted()
            return Figure(
                value: statistic(ratings), lower: percentile(sorted, 0.025), upper: percentile(sorted, 0.975))
        }
    }

    /// The p-th percentile of sorted values, interpolating between neighbours; nil for none.
    static func percentile(_ sorted: [Double], _ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let position = p * Double(sorted.count - 1)
        let below = Int(position.rounded(.down))
        let above = min(below + 1, sorted.count - 1)
        return sorted[below] + (sorted[above] - sorted[below]) * (position - Double(below))
    }
}
