import Foundation

/// Turns what a model wrote into the variable's type: ISO dates from common date forms, numbers
/// with separators, units and words ("about 2,500", "12 000", "1.5 million"), yes/no booleans,
/// and category codes or labels in any case. A value that cannot be read throws a reason.
public enum Coercion {
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Coerces one (non-list) value. Null stays null.
    public static func coerce(_ value: JSONValue, to variable: Variable) throws(Failure) -> JSONValue {
        if value.isNull { return .null }
        if case .string(let s) = value, isBlankOrNone(s) { return .null }
        switch variable.type {
        case .boolean: return .bool(try boolean(value))
        case .number: return .number(try number(value))
        case .date: return .string(try date(value))
        case .text:
            let text = value.stringValue ?? value.displayText
            return .string(text.trimmingCharacters(in: .whitespacesAndNewlines))
        case .category: return .string(try category(value, of: variable))
        }
    }

    static func isBlankOrNone(_ s: String) -> Bool {
        ["", "null", "none", "n/a", "na", "unknown", "not mentioned", "not stated"]
            .contains(s.trimmingCharacters(in: .whitespacesAndNewlines).lowercased())
    }

    public static func boolean(_ value: JSONValue) throws(Failure) -> Bool {
        switch value {
        case .bool(let b): return b
        case .number(let n) where n == 0 || n == 1: return n == 1
        case .string(let s):
            switch s.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() {
            case "true", "yes", "y", "1", "t": return true
            case "false", "no", "n", "0", "f": return false
            default: break
            }
        default: break
        }
        throw Failure(description: "could not read \(value.serialized()) as true/false")
    }

    public static func number(_ value: JSONValue) throws(Failure) -> Double {
        switch value {
        case .number(let n): return n
        case .string(let s):
            if let n = parseNumber(s) { return n }
        default: break
        }
        throw Failure(description: "could not read \(value.serialized()) as a number")
    }

    /// The first number in the text, honouring thousands separators (`,` `.` space, apostrophe),
    /// a decimal comma, and a scale word after it.
    static func parseNumber(_ text: String) -> Double? {
        let scalars = Array(text.lowercased().unicodeScalars)
        guard let first = scalars.firstIndex(where: { ("0"..."9").contains($0) }) else { return nil }
        let negative = first > 0 && (scalars[first - 1] == "-" || scalars[first - 1] == "\u{2212}")
        var end = first
        // Digits, and separators that sit between digits.
        while end < scalars.count {
            let c = scalars[end]
            if ("0"..."9").contains(c) {
                end += 1
                continue
            }
            let isSeparator = [",", ".", " ", "'", "\u{00A0}", "\u{202F}", "\u{2009}"].contains(c)
            if isSeparator, end + 1 < scalars.count, ("0"..."9").contains(scalars[end + 1]) {
                end += 1
                continue
            }
            break
        }
        let token = String(String.UnicodeScalarView(scalars[first..<end]))
        guard var number = decode(token) else { return nil }
        let rest = String(String.UnicodeScalarView(scalars[end...])).trimmingCharacters(in: .whitespaces)
        for (word, factor) in [("million", 1e6), ("billion", 1e9), ("thousand", 1e3), ("m ", 1e6), ("k ", 1e3), ("bn", 1e9)]
        where (rest + " ").hasPrefix(word) {
            number *= factor
            break
        }
        return negative ? -number : number
    }

    /// "12,500" "12.500" "12 500" → 12500; "3,5" → 3.5; "1.234,5" → 1234.5; "1,234.5" → 1234.5.
    static func decode(_ token: String) -> Double? {
        var t = token
        for space in [" ", "'", "\u{00A0}", "\u{202F}", "\u{2009}"] { t = t.replacingOccurrences(of: space, with: "") }
        let commas = t.filter { $0 == "," }.count
        let dots = t.filter { $0 == "." }.count
        func groupsOfThree(_ s: String, _ sep: Character) -> Bool {
            let parts = s.split(separator: sep, omittingEmptySubsequences: false)
            return parts.count > 1 && parts[0].count <= 3 && parts.dropFirst().allSatisfy { $0.count == 3 }
        }
        if commas > 0 && dots > 0 {
            // The later separator is the decimal one.
            if t.lastIndex(of: ",")! > t.lastIndex(of: ".")! {
                t = t.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".")
            } else {
                t = t.replacingOccurrences(of: ",", with: "")
            }
        } else if commas > 0 {
            t = groupsOfThree(t, ",") ? t.replacingOccurrences(of: ",", with: "") : t.replacingOccurrences(of: ",", with: ".")
        } else if dots > 1 || (dots == 1 && groupsOfThree(t, ".") && t.split(separator: ".")[0] != "0") {
            // "12.500" reads as twelve thousand five hundred in most of Europe; "0.500" does not.
            t = t.replacingOccurrences(of: ".", with: "")
        }
        return Double(t)
    }

    static let months: [String: Int] = {
        let names = [
            "january", "february", "march", "april", "may", "june", "july", "august", "september",
            "october", "november", "december",
        ]
        var map: [String: Int] = [:]
        for (i, name) in names.enumerated() {
            map[name] = i + 1
            map[String(name.prefix(3))] = i + 1
        }
        map["sept"] = 9
        return map
    }()

    /// ISO 8601 `YYYY-MM-DD` from: ISO (with or without time), `YYYY/MM/DD`, `D.M.YYYY`,
    /// `M/D/YYYY` (US; `D/M/YYYY` when the first number is over 12), `March 3, 2024`,
    /// `3 March 2024`, `Tuesday 4 June 2024`.
    public static func date(_ value: JSONValue) throws(Failure) -> String {
        guard let raw = value.stringValue else {
            throw Failure(description: "could not read \(value.serialized()) as a date")
        }
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if let iso = ISODate.parse(String(text.prefix(10))).map({ ISODate.format(year: $0.year!, month: $0.month!, day: $0.day!) }) {
            return iso
        }
        let tokens = text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber })
            .map(String.init).filter { !["st", "nd", "rd", "th", "of", "the", "on"].contains($0) }
        let numbers = tokens.compactMap { Int($0.trimmingCharacters(in: .letters)) }
        let month = tokens.lazy.compactMap { months[$0] }.first
        var y: Int?
        var m: Int?
        var d: Int?
        if let month {
            m = month
            y = numbers.first { $0 >= 1000 }
            d = numbers.first { (1...31).contains($0) }
        } else if numbers.count == 3 {
            let (a, b, c) = (numbers[0], numbers[1], numbers[2])
            if a >= 1000 {
                (y, m, d) = (a, b, c)
            } else if text.contains(".") || text.contains("-") || a > 12 {
                (d, m, y) = (a, b, c)
            } else {
                (m, d, y) = (a, b, c)
            }
            if let year = y, year < 100 { y = year + (year < 50 ? 2000 : 1900) }
        }
        guard let y, let m, let d, (1...12).contains(m), (1...ISODate.daysIn(month: m, year: y)).contains(d) else {
            throw Failure(description: "could not read \"\(raw.prefix(40))\" as a full date (YYYY-MM-DD)")
        }
        return ISODate.format(year: y, month: m, day: d)
    }

    /// The category's code, matched by code or label, ignoring case and surrounding space.
    public static func category(_ value: JSONValue, of variable: Variable) throws(Failure) -> String {
        let given = (value.stringValue ?? value.displayText).trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if let match = variable.categories.first(where: { $0.code.lowercased() == given })
            ?? variable.categories.first(where: { $0.label?.lowercased() == given })
        {
            return match.code
        }
        let codes = variable.categories.map(\.code).joined(separator: ", ")
        throw Failure(description: "\(value.serialized()) is not one of the categories (\(codes))")
    }
}
