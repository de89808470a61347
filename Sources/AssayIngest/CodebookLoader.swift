import AssayCore
import Foundation
import Yams

/// The text formats a codebook file can be written in.
public enum CodebookFormat: String, Sendable, Hashable, CaseIterable {
    case yaml, json
    /// A table, one variable per row (`CodebookCSV`).
    case csv
    /// REFI-QDA's codebook exchange XML (`CodebookQDC`).
    case qdc

    /// The format a file name's extension names (`.yaml`, `.yml`, `.json`, `.csv`, `.qdc`), or nil.
    public init?(pathExtension: String) {
        switch pathExtension.lowercased() {
        case "yaml", "yml": self = .yaml
        case "json": self = .json
        case "csv": self = .csv
        case "qdc": self = .qdc
        default: return nil
        }
    }

    /// The format the text looks like: JSON when it starts with `{`, YAML otherwise
    /// (YAML reads JSON arrays too).
    public static func sniff(_ text: String) -> CodebookFormat {
        text.drop { $0.isWhitespace || $0 == "\u{FEFF}" }.first == "{" ? .json : .yaml
    }
}

/// Reads codebooks written by people (YAML or JSON) and writes them back as YAML.
///
/// A file is either a mapping (`name`, `description`, `instructions`, `variables`) or just a list
/// of variables. Every error names the field it is about, as `variables[2].type`.
public enum CodebookLoader {
    /// What a codebook's text may hold, YAML or JSON: its size, and for YAML what its aliases expand to.
    public static let limits = YAMLLimits()

    /// Reads, decodes and validates the codebook in a file.
    public static func load(contentsOf url: URL, limits: YAMLLimits = limits) throws(CodebookLoadError) -> Codebook {
        let path = url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .unreadable(path: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw .unreadable(path: path, reason: "is a folder, not a file") }
        // Checked before reading: a huge file would fill memory first.
        let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
        guard size <= limits.maxBytes else {
            throw .tooLarge("the file is \(Ingestor.byteCount(size)), over the \(Ingestor.byteCount(limits.maxBytes)) limit", file: path)
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            let reason = FileManager.default.isReadableFile(atPath: path) ? error.localizedDescription : "permission denied"
            throw .unreadable(path: path, reason: reason)
        }
        let text: String
        switch TextDecoding.decode(data) {
        case .success(let decoded): text = decoded
        case .failure(let problem): throw .unreadable(path: path, reason: problem.reason)
        }
        let format = CodebookFormat(pathExtension: url.pathExtension) ?? .sniff(text)
        do {
            return try decode(text, format: format, limits: limits)
        } catch {
            throw error.naming(file: path)
        }
    }

    /// Decodes and validates a codebook from its text.
    public static func decode(_ text: String, format: CodebookFormat, limits: YAMLLimits = limits) throws(CodebookLoadError) -> Codebook {
        // CSV and QDC become the JSON tree they describe, so every check and field path below applies.
        let text = try tabular(text, format: format, limits: limits)
        let format = format == .csv || format == .qdc ? .json : format
        let (tree, parsed) = try parse(text, format: format, limits: limits)
        var problems = CodebookKeys.unknownKeys(in: tree)

        let codebook: Codebook
        do {
            codebook = try decodeParsed(parsed)
        } catch let error as DecodingError {
            let prefix = if case .sequence = tree { "variables" } else { "" }
            problems.append(error.codebookProblem(prefix: prefix, tree: tree))
            throw .invalid(problems)
        } catch {
            problems.append(CodebookProblem(field: "codebook", reason: "\(error)"))
            throw .invalid(problems)
        }

        problems += codebook.problems()
        guard problems.isEmpty else { throw .invalid(problems) }
        return codebook
    }

    private static func tabular(_ text: String, format: CodebookFormat, limits: YAMLLimits) throws(CodebookLoadError) -> String {
        guard format == .csv || format == .qdc else { return text }
        let size = text.utf8.count
        guard size <= limits.maxBytes else {
            throw .tooLarge("the text is \(Ingestor.byteCount(size)), over the \(Ingestor.byteCount(limits.maxBytes)) limit")
        }
        return (format == .csv ? try CodebookCSV.tree(text) : try CodebookQDC.tree(text)).serialized()
    }

    /// The codebook in another file format: YAML, JSON (as `Codebook` encodes), CSV or QDC.
    public static func text(_ codebook: Codebook, format: CodebookFormat) throws -> String {
        switch format {
        case .yaml: return try yaml(codebook)
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(codebook), as: UTF8.self) + "\n"
        case .csv: return try CodebookCSV.text(codebook)
        case .qdc: return CodebookQDC.xml(codebook)
        }
    }

    /// The codebook as YAML a person can read and edit: fields left at their defaults are left out,
    /// and categories with only a code are written as a bare code. Loading the text gives the same codebook.
    public static func yaml(_ codebook: Codebook) throws -> String {
        let encoder = YAMLEncoder()
        encoder.options.allowUnicode = true
        encoder.options.newLineScalarStyle = .literal
        guard var node = try Yams.compose(yaml: try encoder.encode(codebook)) else { return "" }
        let defaults = try Yams.compose(yaml: try encoder.encode(Variable(name: "x", type: .text)))?.mapping

        if var root = node.mapping {
            if var variables = root["variables"]?.sequence {
                for index in variables.indices {
                    guard var variable = variables[index].mapping else { continue }
                    for key in Array(variable.keys.compactMap(\.string)) where key != "name" && key != "type" {
                        if let value = variable[key], value == defaults?[key] { variable[key] = nil }
                    }
                    // The encoder follows the core type's key declaration order; write the order people read.
                    variable = Node.Mapping(
                        variable.sorted { a, b in
                            (CodebookKeys.variable.firstIndex(of: a.key.string ?? "") ?? .max)
                                < (CodebookKeys.variable.firstIndex(of: b.key.string ?? "") ?? .max)
                        }.map { ($0.key, $0.value) })
                    if var categories = variable["categories"]?.sequence {
                        for j in categories.indices {
                            if let category = categories[j].mapping, category.count == 1, let code = category["code"] {
                                categories[j] = code
                            }
                        }
                        variable["categories"] = .sequence(categories)
                    }
                    variables[index] = .mapping(variable)
                }
                root["variables"] = .sequence(variables)
            }
            node = .mapping(root)
        }
        return try Yams.serialize(node: plainNumbers(node), allowUnicode: true, newLineScalarStyle: .literal)
    }

    /// Yams writes doubles in exponent form (`8e-1`); people write `0.8`.
    private static func plainNumbers(_ node: Node) -> Node {
        switch node {
        case .scalar(let scalar) where scalar.style == .plain && scalar.string.lowercased().contains("e"):
            guard let value = Double(scalar.string), value.isFinite else { return node }
            return Node(JSONValue.number(value).serialized(), .implicit, scalar.style)
        case .mapping(let mapping):
            return .mapping(Node.Mapping(mapping.map { ($0.key, plainNumbers($0.value)) }, mapping.tag, mapping.style))
        case .sequence(let sequence):
            return .sequence(Node.Sequence(sequence.map(plainNumbers), sequence.tag, sequence.style))
        default:
            return node
        }
    }

    // MARK: - Parsing

    /// The parsed text: the YAML node or JSON value to decode, and its plain tree.
    private enum Parsed {
        case yaml(Node)
        case json(JSONValue)
    }

    private static func parse(
        _ text: String, format: CodebookFormat, limits: YAMLLimits
    ) throws(CodebookLoadError) -> (CodebookTree, Parsed) {
        let size = text.utf8.count
        guard size <= limits.maxBytes else {
            throw .tooLarge("the text is \(Ingestor.byteCount(size)), over the \(Ingestor.byteCount(limits.maxBytes)) limit")
        }
        let tree: CodebookTree
        let parsed: Parsed
        switch format {
        // CSV and QDC arrive here already as JSON (`tabular`).
        case .json, .csv, .qdc:
            do {
                let value = try JSONValue.parse(text)
                tree = CodebookTree(value)
                parsed = .json(value)
            } catch let error as JSONSyntaxError {
                let (line, column) = TextPosition.lineAndColumn(ofUTF8Offset: error.offset, in: text)
                throw .syntax("JSON syntax error at line \(line), column \(column): \(error.message)")
            } catch {
                throw .syntax("JSON syntax error: \(error)")
            }
        case .yaml:
            do {
                // Before Yams builds anything: what aliases expand to is counted on the parser's events.
                try YAMLExpansion.check(text, limits: limits)
                guard let node = try Yams.compose(yaml: text) else {
                    throw CodebookLoadError.syntax("the codebook is empty (expected a mapping with 'variables', or a list of variables)")
                }
                tree = CodebookTree(node)
                parsed = .yaml(node)
            } catch let error as CodebookLoadError {
                throw error
            } catch let error as YAMLLimitError {
                throw .tooLarge(error.description)
            } catch let error as YamlError {
                throw .syntax(yamlMessage(error))
            } catch {
                throw .syntax("YAML syntax error: \(error)")
            }
        }
        switch tree {
        case .mapping, .sequence:
            return (tree, parsed)
        case .null:
            throw .syntax("the codebook is empty (expected a mapping with 'variables', or a list of variables)")
        case .scalar:
            throw .syntax("expected a mapping with 'variables', or a list of variables, found \(tree.foundDescription)")
        }
    }

    private static func decodeParsed(_ parsed: Parsed) throws -> Codebook {
        switch parsed {
        case .yaml(let node):
            let node = quotingNullChoices(node)
            let decoder = YAMLDecoder()
            if node.sequence != nil { return Codebook(variables: try decoder.decode([Variable].self, from: node)) }
            return try decoder.decode(Codebook.self, from: node)
        case .json(let value):
            let data = Data(quotingNullChoices(value).serialized().utf8)
            let decoder = JSONDecoder()
            if value.arrayValue != nil { return Codebook(variables: try decoder.decode([Variable].self, from: data)) }
            return try decoder.decode(Codebook.self, from: data)
        }
    }

    // `if_uncertain: null` names the choice "null", but `decodeIfPresent` treats a null value as
    // an absent key, which would silently give the default `flag`. Quoting the null keeps the choice.

    private static func quotingNullChoices(_ node: Node) -> Node {
        func fix(_ variable: Node) -> Node {
            guard var mapping = variable.mapping, let choice = mapping["if_uncertain"], choice.null != nil else { return variable }
            mapping["if_uncertain"] = Node("null", .implicit, .doubleQuoted)
            return .mapping(mapping)
        }
        if let list = node.sequence { return .sequence(Node.Sequence(list.map(fix), list.tag, list.style, list.mark)) }
        guard var root = node.mapping, let list = root["variables"]?.sequence else { return node }
        root["variables"] = .sequence(Node.Sequence(list.map(fix), list.tag, list.style, list.mark))
        return .mapping(root)
    }

    private static func quotingNullChoices(_ value: JSONValue) -> JSONValue {
        func fix(_ variable: JSONValue) -> JSONValue {
            guard case .object(var object) = variable, object["if_uncertain"] == .null else { return variable }
            object["if_uncertain"] = .string("null")
            return .object(object)
        }
        if case .array(let list) = value { return .array(list.map(fix)) }
        guard case .object(var root) = value, case .array(let list)? = root["variables"] else { return value }
        root["variables"] = .array(list.map(fix))
        return .object(root)
    }

    /// A YAML error as one line with its position, then the offending line with a caret under the spot.
    private static func yamlMessage(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, let mark, let yaml),
            .parser(let context, let problem, let mark, let yaml),
            .composer(let context, let problem, let mark, let yaml):
            var message = "YAML syntax error at line \(mark.line), column \(mark.column): \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))" }
            let snippet = mark.snippet(from: yaml).split(separator: "\n", omittingEmptySubsequences: false)
            return message + "\n" + snippet.map { "    " + $0 }.joined(separator: "\n")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
            return "YAML error at line \(context.mark.line): key \(keys) appears twice in the same mapping"
        case .reader(let problem, let offset, _, let yaml):
            if let offset {
                let (line, column) = TextPosition.lineAndColumn(ofUTF8Offset: offset, in: yaml)
                return "YAML error at line \(line), column \(column): \(problem)"
            }
            return "YAML error: \(problem)"
        default:
            return "YAML error: \(error)"
        }
    }
}
