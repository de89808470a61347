import AssayCore
import Foundation
import Testing

/// Agreement figures against published values, to three decimals. Where each number comes from is
/// beside its data.
@Suite struct AgreementTests {
    /// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the example of 4 observers
    /// and 12 units with missing values (unit 12 has one value, so it is not pairable). α there:
    /// nominal .743, ordinal .815, interval .849, ratio .797. The same table is irrCAC's
    /// `cac.raw4raters` (Gwet); its `fleiss.kappa.raw`, `gwet.ac1.raw` and `bp.coeff.raw` give
    /// Fleiss' κ .7612, AC1 .7754 and Brennan–Prediger .7727, percent agreement .8182.
    static let krippendorff: Ratings = {
        let table: [[Int?]] = [
            [1, 2, 3, 3, 2, 1, 4, 1, 2, nil, nil, nil],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nil, 3],
            [nil, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nil],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nil],
        ]
        return Ratings(
            coders: ["A", "B", "C", "D"], units: (1...12).map(String.init),
            values: (0..<12).map { unit in table.map { $0[unit].map(String.init) } })
    }()

    /// Two coders' 3×3 table [[13, 0, 0], [0, 20, 7], [0, 4, 56]] (rows coder A, columns coder B):
    /// irrCAC's `cont3x3abstractors` (Gwet, Handbook of Inter-Rater Reliability): Cohen's κ .7964,
    /// AC1 .8493; percent agreement .89.
    static let twoCoders: Ratings = {
        let table = [[13, 0, 0], [0, 20, 7], [0, 4, 56]]
        var rows: [(unit: String, coder: String, value: String?)] = []
        for (a, row) in table.enumerated() {
            for (b, count) in row.enumerated() {
                for _ in 0..<count {
                    let unit = "u\(rows.count / 2)"
                    rows += [(unit, "A", "c\(a)"), (unit, "B", "c\(b)")]
                }
            }
        }
        return Ratings(rows: rows)
    }()

    /// Fleiss' κ worked example (Wikipedia, "Fleiss' kappa"): 10 subjects, 14 raters, 5 categories,
    /// each row the number of raters choosing each category; κ = .210 (P̄ = .378, P̄e = .213).
    static let fleiss: Ratings = {
        let table = [
            [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
            [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
        ]
        return Ratings(
            coders: (1...14).map { "r\($0)" }, units: (1...10).map(String.init),
            values: table.map { counts in counts.enumerated().flatMap { category, n in Array(repeating: "\(category + 1)", count: n) } })
    }()

    static func rounded(_ value: Double?, _ places: Int = 3) -> Double? {
        value.map { ($0 * pow(10, Double(places))).rounded() / pow(10, Double(places)) }
    }

    @Test func krippendorffsAlphaAtEveryLevel() throws {
        let r = Self.krippendorff
        #expect(Self.rounded(try Agreement.krippendorffAlpha(r, level: .nominal)) == 0.743)
        #expect(Self.rounded(try Agreement.krippendorffAlpha(r, level: .ordinal)) == 0.815)
        #expect(Self.rounded(try Agreement.krippendorffAlpha(r, level: .interval)) == 0.849)
        #expect(Self.rounded(try Agreement.krippendorffAlpha(r, level: .ratio)) == 0.797)
        #expect(r.pairableUnits == 11)
    }

    @Test func severalCodersWithMissingValues() {
        let r = Self.krippendorff
        #expect(Self.rounded(Agreement.percentAgreement(r), 4) == 0.8182)
        #expect(Self.rounded(Agreement.fleissKappa(r), 4) == 0.7612)
        #expect(Self.rounded(Agreement.gwetAC1(r), 4) == 0.7754)
        #expect(Self.rounded(Agreement.brennanPrediger(r), 4) == 0.7727)
        #expect(Agreement.cohenKappa(r) == nil)
    }

    @Test func twoCodersFromACrossTable() {
        let r = Self.twoCoders
        #expect(r.units.count == 100)
        #expect(Self.rounded(Agreement.cohenKappa(r), 4) == 0.7964)
        #expect(Self.rounded(Agreement.gwetAC1(r), 4) == 0.8493)
        #expect(Self.rounded(Agreement.percentAgreement(r), 4) == 0.89)
    }

    @Test func fleissKappaOfTheClassicExample() {
        #expect(Self.rounded(Agreement.fleissKappa(Self.fleiss)) == 0.210)
    }

    /// With the same value everywhere there is nothing to agree about beyond chance: α and κ are
    /// undefined, not 1 and not a division by zero.
    @Test func noVariationLeavesTheChanceCorrectedFiguresUndefined() throws {
        let same = Ratings(coders: ["a", "b"], units: ["1", "2"], values: [["x", "x"], ["x", "x"]])
        #expect(Agreement.percentAgreement(same) == 1)
        #expect(try Agreement.krippendorffAlpha(same) == nil)
        #expect(Agreement.cohenKappa(same) == nil)
        #expect(Agreement.fleissKappa(same) == nil)
        let single = Ratings(coders: ["a", "b"], units: ["1"], values: [["x", nil]])
        #expect(Agreement.percentAgreement(single) == nil)
        #expect(try Agreement.krippendorffAlpha(single) == nil)
    }

    @Test func levelsBeyondNominalNeedNumbersOrAnOrder() throws {
        let words = Ratings(coders: ["a", "b"], units: ["1", "2"], values: [["low", "high"], ["high", "high"]])
        let error = #expect(throws: Agreement.AlphaError.self) { _ = try Agreement.krippendorffAlpha(words, level: .interval) }
        #expect(error?.description.hasSuffix("is not a number, which the interval level needs") == true)
        #expect(try Agreement.krippendorffAlpha(words, level: .ordinal, order: ["low", "medium", "high"]) != nil)
        #expect(throws: Agreement.AlphaError.self) { _ = try Agreement.krippendorffAlpha(words, level: .ordinal) }
        let negative = Ratings(coders: ["a", "b"], units: ["1"], values: [["-1", "2"]])
        #expect(throws: Agreement.AlphaError.negativeRatio("-1")) { _ = try Agreement.krippendorffAlpha(negative, level: .ratio) }
    }

    @Test func theReportGivesIntervalsThatHoldTheFigureAndRepeatWithTheSeed() throws {
        let report = try AgreementReport(Self.krippendorff, level: .interval, resamples: 500, seed: 7)
        #expect(Self.rounded(report.alpha.value) == 0.849)
        #expect(report.kappaKind == "fleiss" && Self.rounded(report.kappa.value, 4) == 0.7612)
        #expect(report.verdict == .reliable)
        for figure in [report.percentAgreement, report.kappa, report.alpha, report.ac1, report.brennanPrediger] {
            let (lower, value, upper) = (try #require(figure.lower), try #require(figure.value), try #require(figure.upper))
            #expect(lower <= value && value <= upper && lower < upper)
        }
        #expect(try AgreementReport(Self.krippendorff, level: .interval, resamples: 500, seed: 7) == report)
        #expect(try AgreementReport(Self.krippendorff, level: .interval, resamples: 500, seed: 8) != report)
        let two = try AgreementReport(Self.twoCoders)
        #expect(two.kappaKind == "cohen" && Self.rounded(two.kappa.value, 4) == 0.7964)
        #expect(two.units == 100 && two.pairableUnits == 100 && two.coders == 2)
    }

    /// A very large variable gets fewer resamples, so one request cannot hold a core for minutes;
    /// the report says how many it used.
    @Test func aVeryLargeVariableIsResampledLessAndSaysSo() throws {
        let units = 200
        let ratings = Ratings(
            coders: ["a", "b"], units: (0..<units).map(String.init),
            values: (0..<units).map { [$0 % 3 == 0 ? "x" : "y", $0 % 5 == 0 ? "x" : "y"] })
        // 400 codes: a budget of 100,000 code visits buys 250 resamples; a smaller one never under 100.
        let report = try AgreementReport(ratings, resamples: 1000, workBudget: 100_000)
        #expect(report.resamples == 250)
        #expect(report.alpha.lower != nil)
        #expect(try AgreementReport(ratings, resamples: 1000, workBudget: 1_000).resamples == 100)
        #expect(try AgreementReport(Self.krippendorff, resamples: 1000).resamples == 1000)
    }

    @Test(arguments: [
        (0.85, AgreementReport.Verdict.reliable), (0.8, .reliable), (0.7, .tentative), (0.667, .tentative), (0.5, .unreliable),
    ])
    func verdictsFollowTheUsualThresholds(alpha: Double, verdict: AgreementReport.Verdict) {
        #expect(AgreementReport.Verdict(alpha: alpha) == verdict)
    }
}
