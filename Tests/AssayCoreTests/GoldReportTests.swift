import AssayCore
import Foundation
import Testing

/// Scores against a gold set, worked by hand: ten units, a model that misses one and gets two wrong.
@Suite struct GoldReportTests {
    static func item(_ gold: String, _ model: String?, _ confidence: Double?) -> GoldReport.Item {
        GoldReport.Item(unit: UUID().uuidString, gold: gold, model: model, confidence: confidence)
    }

    @Test func accuracyCategoriesAndCalibration() throws {
        let items =
            Array(repeating: Self.item("true", "true", 0.95), count: 3) + [Self.item("true", "false", 0.55)]
            + Array(repeating: Self.item("false", "false", 0.55), count: 4)
            + [Self.item("false", "true", 0.95), Self.item("false", nil, nil)]
        let report = GoldReport(items, categorical: true)
        #expect(report.units == 10 && report.missing == 1)
        #expect(report.accuracy == 0.7)
        // true: predicted 4 (3 right), gold 4 → P = R = F1 = .75; false: predicted 5 (4 right), gold 6.
        let scores = Dictionary(uniqueKeysWithValues: report.categories.map { ($0.category, $0) })
        #expect(scores["true"]?.precision == 0.75 && scores["true"]?.recall == 0.75 && scores["true"]?.f1 == 0.75)
        #expect(scores["false"]?.precision == 0.8 && scores["false"]?.support == 6)
        #expect(abs((scores["false"]?.recall ?? 0) - 4.0 / 6) < 1e-12)
        // Band .5–.6: 5 values, mean .55, 4 right (.8); band .9–1: 4 values, mean .95, 3 right (.75).
        let bands = report.calibration.filter { $0.count > 0 }
        #expect(bands.map(\.count) == [5, 4])
        #expect(bands.map(\.accuracy) == [0.8, 0.75])
        // ECE = 5/9 × |.55 − .8| + 4/9 × |.95 − .75| = (1.25 + .8) / 9.
        #expect(abs(try #require(report.expectedCalibrationError) - 2.05 / 9) < 1e-12)
        #expect(report.kappa != nil && report.alpha != nil)
    }

    /// Values from several runs: calibration of the model's own confidence beside the blended one.
    /// Worked by hand: the model says .9 for all four; two of its answers held in every run and
    /// are right, two held in one run of three and are wrong.
    @Test func severalRunsGiveCalibrationBeforeAndAfterBlending() throws {
        func item(_ right: Bool, agreement: Double) -> GoldReport.Item {
            GoldReport.Item(
                unit: UUID().uuidString, gold: "a", model: right ? "a" : "b",
                confidence: RunMerge.blend(agreement: agreement, modelConfidence: 0.9), modelConfidence: 0.9)
        }
        let report = GoldReport(
            [item(true, agreement: 1), item(true, agreement: 1), item(false, agreement: 1.0 / 3), item(false, agreement: 1.0 / 3)],
            categorical: true)
        // Before: one band .9–1, 4 values, half right: ECE = |.9 − .5| = .4.
        let before = try #require(report.calibrationBeforeBlending).filter { $0.count > 0 }
        #expect(before.map(\.count) == [4] && before.first?.accuracy == 0.5)
        #expect(abs(try #require(report.expectedCalibrationErrorBeforeBlending) - 0.4) < 1e-12)
        // After: .95 (right, 2 values) and .6167 (wrong, 2): ECE = ½ × .05 + ½ × .6167 = .3333.
        let after = report.calibration.filter { $0.count > 0 }
        #expect(after.map(\.count) == [2, 2] && after.map(\.accuracy) == [0, 1])
        let wrong: Double = 0.5 / 3 + 0.45
        let expected: Double = 0.5 * 0.05 + 0.5 * wrong
        #expect(abs(try #require(report.expectedCalibrationError) - expected) < 1e-12)
    }

    @Test func oneRunHasNoBeforeAndAfter() {
        let report = GoldReport([Self.item("a", "a", 0.9)], categorical: true)
        #expect(report.calibrationBeforeBlending == nil && report.expectedCalibrationErrorBeforeBlending == nil)
    }

    @Test func aPerfectModelAndNoCategoriesForNumbers() {
        let items = (1...4).map { Self.item("\($0)", "\($0)", 1) }
        let report = GoldReport(items, categorical: false)
        #expect(report.accuracy == 1 && report.kappa == 1 && report.alpha == 1)
        #expect(report.categories.isEmpty)
        #expect(report.expectedCalibrationError == 0)
        #expect(report.calibration.last?.count == 4)
    }

    @Test(
        arguments: [
            (JSONValue.bool(true), VariableType.boolean, "true"), ("yes", .boolean, "true"), ("No", .boolean, "false"),
            (3.0, .number, "3"), (" 3.50 ", .number, "3.5"), ("  Lisbon   Teachers ", .text, "lisbon teachers"),
            (["B", "a"], .text, "a|b"), ("B | a", .text, "a|b"), (.null, .text, nil), ("", .category, nil),
            ("labor", .category, "labor"),
        ] as [(JSONValue, VariableType, String?)])
    func storedValuesAndTypedCodesMeetAsTheSameCode(value: JSONValue, type: VariableType, code: String?) {
        if case .string(let text) = value {
            #expect(Codes.code(text, type: type) == code)
        } else {
            #expect(Codes.code(value, type: type) == code)
        }
    }
}
