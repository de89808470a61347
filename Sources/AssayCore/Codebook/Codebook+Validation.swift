import Foundation

/// One reason a codebook is refused, naming the field (`variables[2].categories`).
public struct CodebookProblem: Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var reason: String
    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }
    public var description: String { "\(field): \(reason)" }
}

/// A codebook that cannot be used, with every problem found.
public struct CodebookError: Error, Sendable, CustomStringConvertible {
    public var problems: [CodebookProblem]
    public init(problems: [CodebookProblem]) { self.problems = problems }
    public var description: String {
        "invalid codebook:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}

extension Codebook {
    /// Every problem that would make extraction fail or mislead; empty when the codebook is usable.
    public func problems() -> [CodebookProblem] {
        var problems: [CodebookProblem] = []
        if variables.isEmpty {
            problems.append(.init(field: "variables", reason: "a codebook needs at least one variable"))
        }
        problems += unitProblems()
        problems += modelProblems()
        var seen: [String: Int] = [:]
        for (i, v) in variables.enumerated() {
            let at = "variables[\(i)]"
            func add(_ field: String, _ reason: String) { problems.append(.init(field: "\(at).\(field)", reason: reason)) }

            if v.name.range(of: #"^[A-Za-z][A-Za-z0-9_]{0,63}$"#, options: .regularExpression) == nil {
                add("name", "'\(v.name)' must start with a letter and hold only letters, digits and _ (at most 64)")
            }
            if let first = seen[v.name] {
                add("name", "'\(v.name)' is already used by variables[\(first)]")
            } else {
                seen[v.name] = i
            }
            if !(0...1).contains(v.confidenceThreshold) {
                add("confidence_threshold", "must be between 0 and 1, got \(v.confidenceThreshold)")
            }
            if v.type == .category {
                if v.categories.isEmpty {
                    add("categories", "a category variable needs at least one category")
                }
                var codes = Set<String>()
                for (j, c) in v.categories.enumerated() where !codes.insert(c.code.lowercased()).inserted {
                    add("categories[\(j)].code", "duplicate code '\(c.code)'")
                }
            } else if !v.categories.isEmpty {
                add("categories", "only category variables have categories (type is \(v.type.rawValue))")
            }
            if let definition = v.definition, definition.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                add("definition", "is empty: say what the concept is, or leave the definition out")
            }
            for (key, rules) in [("include", v.include), ("exclude", v.exclude)] {
                for (j, rule) in (rules ?? []).enumerated() where rule.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    add("\(key)[\(j)]", "an empty rule: write the case, or remove the line")
                }
            }
            if let max = v.maxValues, max < 1 {
                add("max_values", "must be at least 1")
            }
            if let rules = v.validation {
                if let min = rules.min, let max = rules.max, min > max { add("validation", "min \(min) is above max \(max)") }
                if let pattern = rules.pattern, (try? NSRegularExpression(pattern: pattern)) == nil {
                    add("validation.pattern", "'\(pattern)' is not a valid regular expression")
                }
                for (key, date) in [("min_date", rules.minDate), ("max_date", rules.maxDate)] {
                    if let date, ISODate.parse(date) == nil { add("validation.\(key)", "'\(date)' is not a YYYY-MM-DD date") }
                }
                if rules.min != nil || rules.max != nil, v.type != .number {
                    add("validation", "min/max apply to number variables only")
                }
            }
            if let dep = v.dependsOn {
                if dep.variable == v.name {
                    add("depends_on.variable", "a variable cannot depend on itself")
                } else if let other = seen[dep.variable], other < i {
                    // fine: depends on an earlier variable
                } else if variables.contains(where: { $0.name == dep.variable }) {
                    add("depends_on.variable", "'\(dep.variable)' must be defined before '\(v.name)'")
                } else {
                    add("depends_on.variable", "no variable named '\(dep.variable)'")
                }
                if dep.equals == nil && dep.oneOf == nil && dep.present == nil {
                    add("depends_on", "give a condition: equals, in, or present")
                }
                // Each model answers in its own request: a condition must be in the same one.
                if let other = variable(named: dep.variable), other.model != v.model {
                    add("depends_on.variable", "'\(dep.variable)' is coded by another model; a condition needs the same model")
                }
            }
        }
        return problems
    }

    /// An entity codebook says which entities to find; a document codebook has nothing to find.
    public func unitProblems() -> [CodebookProblem] {
        let instruction = entityInstruction?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        switch unit {
        case .entity:
            if instruction.isEmpty {
                return [.init(field: "entity_instruction", reason: "unit: entity needs an instruction saying which entities to find")]
            }
            if instruction.unicodeScalars.count > Self.maxEntityInstruction {
                return [.init(field: "entity_instruction", reason: "must have at most \(Self.maxEntityInstruction) characters")]
            }
        case .document, nil:
            if !instruction.isEmpty {
                return [.init(field: "entity_instruction", reason: "only a codebook with unit: entity finds entities")]
            }
        }
        return []
    }

    public static let maxEntityInstruction = 2_000
    public static let maxModels = 9

    /// Model names are names at the provider: not empty, not too many, not twice; an entity
    /// codebook finds its entities and codes them with one model.
    public func modelProblems() -> [CodebookProblem] {
        var problems: [CodebookProblem] = []
        func check(_ name: String, at field: String) {
            if name.trimmingCharacters(in: .whitespaces).isEmpty || name.count > 200 || name.contains(where: \.isNewline) {
                problems.append(.init(field: field, reason: "a model name is 1 to 200 characters on one line"))
            }
        }
        if let models {
            if models.isEmpty { problems.append(.init(field: "models", reason: "name at least one model, or leave models out")) }
            if models.count > Self.maxModels { problems.append(.init(field: "models", reason: "at most \(Self.maxModels) models")) }
            if Set(models).count != models.count { problems.append(.init(field: "models", reason: "a model is named twice")) }
            for (i, name) in models.enumerated() { check(name, at: "models[\(i)]") }
        }
        for (i, variable) in variables.enumerated() {
            guard let name = variable.model else { continue }
            check(name, at: "variables[\(i)].model")
            if unit == .entity {
                problems.append(.init(field: "variables[\(i)].model", reason: "an entity codebook codes every variable with one model"))
            }
        }
        if unit == .entity, (models?.count ?? 0) > 1 {
            problems.append(.init(field: "models", reason: "an entity codebook codes with one model"))
        }
        return problems
    }

    /// Throws a `CodebookError` listing every problem, or returns the codebook unchanged.
    public func validated() throws -> Codebook {
        let problems = problems()
        guard problems.isEmpty else { throw CodebookError(problems: problems) }
        return self
    }
}

/// Calendar dates as `YYYY-MM-DD`, the only date form Assay stores.
public enum ISODate {
    public static func parse(_ text: String) -> DateComponents? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
            (1...12).contains(m), (1...daysIn(month: m, year: y)).contains(d)
        else { return nil }
        return DateComponents(year: y, month: m, day: d)
    }

    public static func format(year: Int, month: Int, day: Int) -> String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
