import Foundation

/// How far apart two values are for Krippendorff's α: categories that are the same or not
/// (nominal), ranks (ordinal), differences (interval) or ratios (ratio). A variable's type gives
/// its level: categories and booleans nominal, numbers interval, unless the researcher says otherwise.
public enum MeasurementLevel: String, Sendable, Hashable, Codable, CaseIterable {
    case nominal, ordinal, interval, ratio
}

/// The codes several coders gave a set of units for one variable: a row per unit, a column per
/// coder, nil where a coder did not code the unit (missing data is allowed everywhere).
public struct Ratings: Sendable, Hashable {
    public var coders: [String]
    public var units: [String]
    /// `values[unit][coder]`.
    public var values: [[String?]]

    public init(coders: [String], units: [String], values: [[String?]]) {
        self.coders = coders
        self.units = units
        self.values = values
    }

    /// Rows of `unit, coder, value`; a coder's second value for a unit replaces the first.
    public init(rows: [(unit: String, coder: String, value: String?)]) {
        var coders: [String] = []
        var units: [String] = []
        var coderIndex: [String: Int] = [:]
        var unitIndex: [String: Int] = [:]
        var cells: [Int: [Int: String]] = [:]
        /// The position of `name`, added at the end the first time it is seen.
        func position(_ name: String, in names: inout [String], _ index: inout [String: Int]) -> Int {
            if let known = index[name] { return known }
            names.append(name)
            index[name] = names.count - 1
            return names.count - 1
        }
        for row in rows {
            let c = position(row.coder, in: &coders, &coderIndex)
            let u = position(row.unit, in: &units, &unitIndex)
            cells[u, default: [:]][c] = row.value
        }
        self.init(
            coders: coders, units: units,
            values: units.indices.map { u in coders.indices.map { c in cells[u]?[c] } })
    }

    /// Each unit's values, missing ones left out.
    var coded: [[String]] { values.map { $0.compactMap { $0 } } }

    /// The distinct values, sorted.
    public var categories: [String] { Array(Set(values.joined().compactMap { $0 })).sorted() }

    /// Units that at least two coders coded: the ones any agreement figure can use.
    public var pairableUnits: Int { values.count { $0.count { $0 != nil } >= 2 } }

    /// The same coders over these units (a bootstrap resample may name a unit twice).
    func selecting(_ rows: [Int]) -> Ratings {
        Ratings(coders: coders, units: rows.map { units[$0] }, values: rows.map { values[$0] })
    }
}
