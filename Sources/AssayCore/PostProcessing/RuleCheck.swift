import Foundation

/// A variable's validation rules applied to a coerced value (each item of a list).
enum RuleCheck {
    /// What the value breaks, as a phrase ("is above the maximum 100"), or nil.
    static func violation(of value: JSONValue, rules: ValidationRules?, type: VariableType) -> String? {
        guard let rules else { return nil }
        if let items = value.arrayValue {
            return items.lazy.compactMap { violation(of: $0, rules: rules, type: type) }.first
        }
        switch value {
        case .number(let n):
            if let min = rules.min, n < min { return "is below the minimum \(JSONValue.number(min).serialized())" }
            if let max = rules.max, n > max { return "is above the maximum \(JSONValue.number(max).serialized())" }
        case .string(let s):
            if type == .date {
                // ISO dates compare correctly as text.
                if let min = rules.minDate, s < min { return "is before \(min)" }
                if let max = rules.maxDate, s > max { return "is after \(max)" }
            }
            if let min = rules.minLength, s.count < min { return "is shorter than \(min) characters" }
            if let max = rules.maxLength, s.count > max { return "is longer than \(max) characters" }
            if let pattern = rules.pattern, s.range(of: pattern, options: .regularExpression) == nil {
                return "does not match the pattern \(pattern)"
            }
        default: break
        }
        return nil
    }
}
