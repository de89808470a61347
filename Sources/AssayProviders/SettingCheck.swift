import Foundation

/// Numeric settings, from the environment or the command line, checked against the range that
/// makes sense for them. Unchecked, `ASSAY_TIMEOUT=-1` timed out every document and the run still
/// exited 0, a typo such as `ASSAY_RPM=5OO` quietly meant "no limit", and a huge timeout
/// overflowed into a crash. The messages name the setting, the accepted range and what was given.
public enum SettingCheck {
    /// `text` as a whole number within `range`.
    public static func integer(_ text: String, for name: String, in range: ClosedRange<Int>) throws(ProviderError) -> Int {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let value = Int(trimmed), range.contains(value) else {
            throw .misconfigured("\(name) must be a whole number \(describe(range)) (got '\(text)')")
        }
        return value
    }

    /// `text` as a number of seconds within `range`; fractions allowed.
    public static func seconds(_ text: String, for name: String, in range: ClosedRange<Double>) throws(ProviderError) -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        // Double() also reads "inf" and "nan"; the range check turns both away.
        guard let value = Double(trimmed), range.contains(value) else {
            throw .misconfigured("\(name) must be a number of seconds \(describe(range)) (got '\(text)')")
        }
        return value
    }

    /// What is wrong with a flag's value, or nil when it is within `range`.
    public static func problem<Value: Comparable & CustomStringConvertible>(
        _ value: Value, for name: String, in range: ClosedRange<Value>
    ) -> String? {
        range.contains(value) ? nil : "\(name) must be \(describe(range)) (got \(value))"
    }

    /// `from 1 to 3600`, with whole numbers written without `.0`.
    static func describe<Value: Comparable & CustomStringConvertible>(_ range: ClosedRange<Value>) -> String {
        func text(_ value: Value) -> String {
            if let d = value as? Double, d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
            return value.description
        }
        return "from \(text(range.lowerBound)) to \(text(range.upperBound))"
    }
}
