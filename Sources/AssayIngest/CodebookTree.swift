import AssayCore
import Foundation
import Yams

/// The parsed text of a codebook as a plain tree, kept beside the decoded value: it lets the
/// loader refuse misspelt keys (Codable ignores them silently) and say what it found where a
/// decoding error points.
indirect enum CodebookTree {
    case mapping([(key: String, value: CodebookTree)])
    case sequence([CodebookTree])
    case scalar(String)
    case null

    init(_ node: Node) {
        switch node {
        case .mapping(let mapping):
            self = .mapping(mapping.map { (key: $0.key.string ?? "", value: CodebookTree($0.value)) })
        case .sequence(let sequence):
            self = .sequence(sequence.map { CodebookTree($0) })
        case .scalar(let scalar):
            self = node.null != nil && scalar.style == .plain ? .null : .scalar(scalar.string)
        case .alias:
            self = .scalar("*alias")
        }
    }

    init(_ json: JSONValue) {
        switch json {
        case .object(let object): self = .mapping(object.map { (key: $0.key, value: CodebookTree($0.value)) })
        case .array(let items): self = .sequence(items.map { CodebookTree($0) })
        case .null: self = .null
        default: self = .scalar(json.displayText)
        }
    }

    subscript(key: String) -> CodebookTree? {
        guard case .mapping(let pairs) = self else { return nil }
        return pairs.first { $0.key == key }?.value
    }

    /// The node a decoding path points at, when the tree has it.
    func value(at path: [any CodingKey]) -> CodebookTree? {
        var node: CodebookTree? = self
        for key in path {
            switch node {
            case .sequence(let items)?:
                guard let index = key.intValue, items.indices.contains(index) else { return nil }
                node = items[index]
            case .mapping?:
                node = node?[key.stringValue]
            default:
                return nil
            }
        }
        return node
    }

    /// What a user wrote, in a few words: `a list`, `a mapping`, `'high'`, `nothing`.
    var foundDescription: String {
        switch self {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .null: "nothing"
        case .scalar(let text): "'\(text.count > 40 ? text.prefix(40) + "…" : text)'"
        }
    }
}

/// The keys a codebook may use at each level. Kept by hand because the core types' coding keys
/// are internal; `CodebookKeysTests` fails when a core type gains a stored property.
enum CodebookKeys {
    static let codebook = ["name", "description", "instructions", "variables", "unit", "entity_instruction", "models"]
    static let variable = [
        "name", "display_name", "type", "definition", "instructions", "include", "exclude", "categories", "required",
        "confidence_threshold",
        "if_uncertain", "if_multiple_values", "max_values", "default", "validation", "depends_on", "examples", "model",
    ]
    static let category = ["code", "label", "description"]
    static let validation = ["min", "max", "pattern", "min_length", "max_length", "min_date", "max_date"]
    static let dependency = ["variable", "equals", "in", "present"]
    static let example = ["text", "value", "evidence", "kind"]

    /// Every key the codebook does not know, with a suggestion when one is close.
    static func unknownKeys(in tree: CodebookTree) -> [CodebookProblem] {
        var problems: [CodebookProblem] = []
        switch tree {
        case .sequence(let variables):
            checkVariables(variables, at: "variables", into: &problems)
        case .mapping:
            check(tree, allowed: codebook, at: "", into: &problems)
            if case .sequence(let variables)? = tree["variables"] {
                checkVariables(variables, at: "variables", into: &problems)
            }
        default:
            break
        }
        return problems
    }

    private static func checkVariables(_ variables: [CodebookTree], at path: String, into problems: inout [CodebookProblem]) {
        for (i, variable) in variables.enumerated() {
            let at = "\(path)[\(i)]"
            check(variable, allowed: Self.variable, at: at, into: &problems)
            if case .sequence(let categories)? = variable["categories"] {
                for (j, category) in categories.enumerated() {
                    check(category, allowed: Self.category, at: "\(at).categories[\(j)]", into: &problems)
                }
            }
            if let rules = variable["validation"] {
                check(rules, allowed: validation, at: "\(at).validation", into: &problems)
            }
            if let dependency = variable["depends_on"] {
                check(dependency, allowed: Self.dependency, at: "\(at).depends_on", into: &problems)
            }
            if case .sequence(let examples)? = variable["examples"] {
                for (j, example) in examples.enumerated() {
                    check(example, allowed: Self.example, at: "\(at).examples[\(j)]", into: &problems)
                }
            }
        }
    }

    private static func check(_ node: CodebookTree, allowed: [String], at path: String, into problems: inout [CodebookProblem]) {
        guard case .mapping(let pairs) = node else { return }
        // `<<` is a YAML merge key, already applied by the parser.
        for key in pairs.map(\.key) where !allowed.contains(key) && key != "<<" {
            let field = path.isEmpty ? key : "\(path).\(key)"
            let hint =
                suggestion(for: key, among: allowed).map { "did you mean '\($0)'?" }
                ?? "expected one of \(allowed.joined(separator: ", "))"
            problems.append(CodebookProblem(field: field, reason: "unknown field (\(hint))"))
        }
    }

    /// The allowed key a user most likely meant: the snake_case form of a camelCase key, or one a
    /// couple of typos away.
    static func suggestion(for key: String, among allowed: [String]) -> String? {
        let snake = key.reduce(into: "") { out, ch in
            if ch.isUppercase, !out.isEmpty { out += "_" }
            out += ch.lowercased()
        }.replacingOccurrences(of: "-", with: "_")
        if allowed.contains(snake) { return snake }
        let scored = allowed.map { ($0, editDistance(snake, $0)) }.min { $0.1 < $1.1 }
        guard let (best, distance) = scored, distance <= max(1, min(3, best.count / 3)) else { return nil }
        return best
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
