import Foundation

/// Agreement between coders, by the standard formulas (missing data allowed):
/// - percent agreement: over units with two or more values, the share of agreeing pairs of values;
/// - Cohen's κ (two coders, units both coded), Fleiss' κ, Gwet's AC1 and Brennan–Prediger's κ:
///   (p_a − p_e) / (1 − p_e) with the chance term of each; for several coders and missing data as
///   in Gwet's *Handbook of Inter-Rater Reliability* (4th ed., ch. 2–3), the formulas R's irrCAC uses;
/// - Krippendorff's α at the nominal, ordinal, interval and ratio levels, from the coincidence
///   matrix (Krippendorff, *Computing Krippendorff's Alpha-Reliability*, 2011).
/// A figure is nil where it is undefined: fewer than two values in every unit, or no variation
/// at all (1 − p_e = 0, no expected disagreement).
public enum Agreement {
    /// The categories chance is spread over for AC1 and Brennan–Prediger: the codebook's when given,
    /// else those observed.
    static func categoryCount(_ ratings: Ratings, categories: [String]?) -> Int {
        max(categories?.count ?? 0, ratings.categories.count)
    }

    /// Over units with two or more values: the mean share of agreeing ordered pairs.
    public static func percentAgreement(_ ratings: Ratings) -> Double? {
        let shares = ratings.coded.filter { $0.count >= 2 }.map { values -> Double in
            let m = Double(values.count)
            let counts = Dictionary(values.map { ($0, 1) }, uniquingKeysWith: +).values
            return counts.reduce(0.0) { $0 + Double($1 * ($1 - 1)) } / (m * (m - 1))
        }
        return shares.isEmpty ? nil : shares.reduce(0, +) / Double(shares.count)
    }

    /// Cohen's κ for exactly two coders, over the units both coded; nil for another number of coders.
    public static func cohenKappa(_ ratings: Ratings) -> Double? {
        guard ratings.coders.count == 2 else { return nil }
        let pairs = ratings.values.compactMap { row -> (String, String)? in
            guard let a = row[0], let b = row[1] else { return nil }
            return (a, b)
        }
        guard !pairs.isEmpty else { return nil }
        let n = Double(pairs.count)
        let observed = Double(pairs.count { $0.0 == $0.1 }) / n
        let first = Dictionary(pairs.map { ($0.0, 1.0) }, uniquingKeysWith: +)
        let second = Dictionary(pairs.map { ($0.1, 1.0) }, uniquingKeysWith: +)
        let chance = first.reduce(0.0) { $0 + $1.value * (second[$1.key] ?? 0) } / (n * n)
        return kappa(observed, chance)
    }

    /// Fleiss' κ, chance from the categories' overall shares.
    public static func fleissKappa(_ ratings: Ratings) -> Double? {
        guard let observed = percentAgreement(ratings) else { return nil }
        return kappa(observed, classificationShares(ratings).reduce(0) { $0 + $1 * $1 })
    }

    /// Gwet's AC1: chance from how far the categories' shares are from all-or-nothing.
    public static func gwetAC1(_ ratings: Ratings, categories: [String]? = nil) -> Double? {
        guard let observed = percentAgreement(ratings) else { return nil }
        let q = Double(categoryCount(ratings, categories: categories))
        guard q > 1 else { return nil }
        return kappa(observed, classificationShares(ratings).reduce(0) { $0 + $1 * (1 - $1) } / (q - 1))
    }

    /// Brennan–Prediger's κ: chance is one in the number of categories.
    public static func brennanPrediger(_ ratings: Ratings, categories: [String]? = nil) -> Double? {
        guard let observed = percentAgreement(ratings) else { return nil }
        let q = Double(categoryCount(ratings, categories: categories))
        guard q > 1 else { return nil }
        return kappa(observed, 1 / q)
    }

    /// For each category (in sorted order, so sums over them round the same way every time), its
    /// mean share of a unit's values, over the units with any value.
    static func classificationShares(_ ratings: Ratings) -> [Double] {
        let units = ratings.coded.filter { !$0.isEmpty }
        var shares: [String: Double] = [:]
        for values in units {
            for value in values { shares[value, default: 0] += 1 / Double(values.count) }
        }
        return shares.keys.sorted().map { shares[$0]! / Double(units.count) }
    }

    static func kappa(_ observed: Double, _ chance: Double) -> Double? {
        chance < 1 - 1e-12 ? (observed - chance) / (1 - chance) : nil
    }
}
