import Foundation

/// One variable's values against a gold set: accuracy, chance-corrected agreement with the gold
/// coder, precision, recall and F1 per category, and how well the confidence predicts being right.
public struct GoldReport: Sendable, Hashable, Codable {
    /// One unit: the gold code, the model's code (nil when it gave none) and its confidence; for a
    /// value from several runs also the model's own confidence before it was blended.
    public struct Item: Sendable, Hashable {
        public var unit: String
        public var gold: String
        public var model: String?
        public var confidence: Double?
        public var modelConfidence: Double?

        public init(unit: String, gold: String, model: String?, confidence: Double?, modelConfidence: Double? = nil) {
            self.unit = unit
            self.gold = gold
            self.model = model
            self.confidence = confidence
            self.modelConfidence = modelConfidence
        }
    }

    public struct CategoryScore: Sendable, Hashable, Codable {
        public var category: String
        /// Gold units with this category.
        public var support: Int
        public var precision: Double?
        public var recall: Double?
        public var f1: Double?
    }

    /// A confidence band: the values whose confidence falls in it, their mean confidence and the
    /// share that match the gold set.
    public struct Bin: Sendable, Hashable, Codable {
        public var lower: Double
        public var upper: Double
        public var count: Int
        public var meanConfidence: Double?
        public var accuracy: Double?

        enum CodingKeys: String, CodingKey {
            case lower, upper, count, accuracy
            case meanConfidence = "mean_confidence"
        }
    }

    /// Gold units (codes that are not empty).
    public var units: Int
    /// Gold units the model gave no value for; they count as wrong.
    public var missing: Int
    public var accuracy: Double?
    /// Cohen's κ and Krippendorff's α (nominal) with the gold set as a second coder.
    public var kappa: Double?
    public var alpha: Double?
    public var categories: [CategoryScore]
    /// Ten bands of confidence, 0–0.1 to 0.9–1.
    public var calibration: [Bin]
    /// Expected calibration error: the mean gap between confidence and accuracy, weighted by the
    /// values in each band; 0 is perfectly calibrated.
    public var expectedCalibrationError: Double?
    /// When values come from several runs: the same bands and error for the model's own
    /// confidence, before it was blended with the runs' agreement; nil otherwise.
    public var calibrationBeforeBlending: [Bin]?
    public var expectedCalibrationErrorBeforeBlending: Double?

    enum CodingKeys: String, CodingKey {
        case units, missing, accuracy, kappa, alpha, categories, calibration
        case expectedCalibrationError = "expected_calibration_error"
        case calibrationBeforeBlending = "calibration_before_blending"
        case expectedCalibrationErrorBeforeBlending = "expected_calibration_error_before_blending"
    }

    public init(_ items: [Item], categorical: Bool) {
        units = items.count
        missing = items.count { $0.model == nil }
        accuracy = items.isEmpty ? nil : Double(items.count { $0.model == $0.gold }) / Double(items.count)
        let ratings = Ratings(
            coders: ["gold", "model"], units: items.map(\.unit), values: items.map { [$0.gold, $0.model] })
        kappa = Agreement.cohenKappa(ratings)
        alpha = (try? Agreement.krippendorffAlpha(ratings)) ?? nil
        categories = categorical ? Self.scores(items) : []
        calibration = Self.bins(items)
        expectedCalibrationError = Self.expectedError(calibration)
        if items.contains(where: { $0.modelConfidence != nil }) {
            // A value from one run has no blend: its own confidence is the model's.
            let before = Self.bins(
                items.map { item in
                    var own = item
                    own.confidence = item.modelConfidence ?? item.confidence
                    return own
                })
            calibrationBeforeBlending = before
            expectedCalibrationErrorBeforeBlending = Self.expectedError(before)
        }
    }

    /// The mean gap between confidence and accuracy, weighted by the values in each band.
    static func expectedError(_ bins: [Bin]) -> Double? {
        let scored = bins.reduce(0) { $0 + $1.count }
        guard scored > 0 else { return nil }
        return bins.reduce(0.0) { total, bin in
            guard let confidence = bin.meanConfidence, let accuracy = bin.accuracy else { return total }
            return total + Double(bin.count) / Double(scored) * abs(confidence - accuracy)
        }
    }

    static func scores(_ items: [Item]) -> [CategoryScore] {
        let categories = Set(items.map(\.gold)).union(items.compactMap(\.model)).sorted()
        return categories.map { category in
            let truePositives = items.count { $0.gold == category && $0.model == category }
            let predicted = items.count { $0.model == category }
            let actual = items.count { $0.gold == category }
            let precision = predicted == 0 ? nil : Double(truePositives) / Double(predicted)
            let recall = actual == 0 ? nil : Double(truePositives) / Double(actual)
            var f1: Double?
            if let precision, let recall { f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
            return CategoryScore(category: category, support: actual, precision: precision, recall: recall, f1: f1)
        }
    }

    static func bins(_ items: [Item]) -> [Bin] {
        (0..<10).map { band in
            let (lower, upper) = (Double(band) / 10, Double(band + 1) / 10)
            let inBand = items.filter { item in
                guard let confidence = item.confidence, item.model != nil else { return false }
                return confidence >= lower && (confidence < upper || (band == 9 && confidence <= 1))
            }
            let count = Double(inBand.count)
            return Bin(
                lower: lower, upper: upper, count: inBand.count,
                meanConfidence: inBand.isEmpty ? nil : inBand.reduce(0) { $0 + $1.confidence! } / count,
                accuracy: inBand.isEmpty ? nil : Double(inBand.count { $0.model == $0.gold }) / count)
        }
    }
}
