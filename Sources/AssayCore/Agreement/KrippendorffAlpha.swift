import Foundation

/// Krippendorff's α = 1 − D_o / D_e over the coincidence matrix: every ordered pair of values
/// within a unit counts 1/(m_u − 1), units with one value are left out.
extension Agreement {
    /// Why α cannot be computed at this level.
    public enum AlphaError: Error, Sendable, Equatable, CustomStringConvertible {
        /// Ordinal, interval and ratio levels need numbers (or, for ordinal, a given order).
        case notANumber(String, MeasurementLevel)
        /// The ratio level needs values of one sign (zero included), as ratios of magnitudes.
        case negativeRatio(String)

        public var description: String {
            switch self {
            case .notANumber(let value, let level): "'\(value)' is not a number, which the \(level.rawValue) level needs"
            case .negativeRatio(let value): "'\(value)' is negative, which the ratio level does not allow"
            }
        }
    }

    /// - Parameter order: for the ordinal level, the values from lowest to highest (a codebook's
    ///   categories); without it, ordinal values must be numbers.
    public static func krippendorffAlpha(
        _ ratings: Ratings, level: MeasurementLevel = .nominal, order: [String]? = nil
    ) throws(AlphaError) -> Double? {
        let units = ratings.coded.filter { $0.count >= 2 }
        guard !units.isEmpty else { return nil }
        // The distinct values in their order (by number or by the order given), and their positions.
        let values = try orderedValues(Set(units.joined()), level: level, order: order)
        let index = Dictionary(uniqueKeysWithValues: values.enumerated().map { ($1.label, $0) })
        let k = values.count
        var coincidences = [Double](repeating: 0, count: k * k)
        for unit in units {
            let weight = 1 / Double(unit.count - 1)
            let positions = unit.map { index[$0]! }
            for (i, a) in positions.enumerated() {
                for (j, b) in positions.enumerated() where i != j { coincidences[a * k + b] += weight }
            }
        }
        let marginals = (0..<k).map { c in (0..<k).reduce(0.0) { $0 + coincidences[c * k + $1] } }
        let n = marginals.reduce(0, +)
        var observed = 0.0
        var expected = 0.0
        for c in 0..<k {
            for d in 0..<k where c != d {
                let delta = distance(c, d, values: values, marginals: marginals, level: level)
                observed += coincidences[c * k + d] * delta
                expected += marginals[c] * marginals[d] * delta
            }
        }
        guard expected > 0 else { return nil }
        return 1 - (n - 1) * observed / expected
    }

    /// δ² between the values at positions c and d.
    static func distance(
        _ c: Int, _ d: Int, values: [(label: String, number: Double)], marginals: [Double], level: MeasurementLevel
    ) -> Double {
        switch level {
        case .nominal:
            return 1
        case .ordinal:
            let (low, high) = (min(c, d), max(c, d))
            let between = marginals[low...high].reduce(0, +) - (marginals[c] + marginals[d]) / 2
            return between * between
        case .interval:
            let difference = values[c].number - values[d].number
            return difference * difference
        case .ratio:
            let sum = values[c].number + values[d].number
            guard sum != 0 else { return 0 }
            let share = (values[c].number - values[d].number) / sum
            return share * share
        }
    }

    static func orderedValues(
        _ distinct: Set<String>, level: MeasurementLevel, order: [String]?
    ) throws(AlphaError) -> [(label: String, number: Double)] {
        if level == .nominal { return distinct.sorted().map { ($0, 0) } }
        if level == .ordinal, let order {
            let rank = Dictionary(order.enumerated().map { ($1, Double($0)) }, uniquingKeysWith: { first, _ in first })
            var ranked: [(label: String, number: Double)] = []
            for value in distinct.sorted() {
                guard let position = rank[value] else { throw .notANumber(value, level) }
                ranked.append((value, position))
            }
            return ranked.sorted { $0.number < $1.number }
        }
        var numbers: [(label: String, number: Double)] = []
        for value in distinct.sorted() {
            guard let number = Double(value.trimmingCharacters(in: .whitespaces)), number.isFinite else {
                throw .notANumber(value, level)
            }
            if level == .ratio, number < 0 { throw .negativeRatio(value) }
            numbers.append((value, number))
        }
        return numbers.sorted { $0.number < $1.number }
    }
}
