import Foundation

/// Values as comparable codes: a stored value and a code typed into a CSV file become the same
/// text when they mean the same thing (`true`, `yes` and `1` for a boolean; `3`, `3.0` and ` 3 `
/// for a number; several values sorted and joined with `|`).
public enum Codes {
    /// The code of a stored value; nil for no value.
    public static func code(_ value: JSONValue, type: VariableType) -> String? {
        switch value {
        case .null: return nil
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let number): return number.isFinite ? format(number) : nil
        case .string(let text): return single(text, type: type)
        case .array(let items):
            let codes = items.compactMap { code($0, type: type) }.sorted()
            return codes.isEmpty ? nil : codes.joined(separator: "|")
        case .object: return value.serialized(sortedKeys: true)
        }
    }

    /// The code of a CSV cell; nil for an empty one. Several values are written `a|b`, in any order.
    public static func code(_ text: String, type: VariableType) -> String? {
        guard !text.contains("|") else {
            let codes = text.split(separator: "|").compactMap { single(String($0), type: type) }.sorted()
            return codes.isEmpty ? nil : codes.joined(separator: "|")
        }
        return single(text, type: type)
    }

    static func single(_ text: String, type: VariableType) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        switch type {
        case .boolean:
            switch trimmed.lowercased() {
            case "true", "yes", "y", "1": return "true"
            case "false", "no", "n", "0": return "false"
            default: return trimmed
            }
        case .number:
            return Double(trimmed).flatMap { $0.isFinite ? format($0) : nil } ?? trimmed
        case .text:
            // Free text agrees when the words do, whatever the case and spacing.
            return trimmed.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        case .category, .date:
            return trimmed
        }
    }

    static func format(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }
}
