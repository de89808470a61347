// libyaml itself, for its event parser: Yams keeps its parser private. Internal, so no client needs it.
internal import CYaml
import Foundation

/// How much a YAML text may hold once its aliases are expanded.
///
/// An alias (`*name`) repeats the whole node its anchor (`&name`) marks, so a few lines of
/// aliases of aliases stand for billions of values (the "billion laughs"). The parser keeps those
/// repeats shared, but everything after it (the key check, the decoder, the stored codebook)
/// copies each one, and Yams' own duplicate-key check hashes an aliased key in full. So the
/// limits are checked on the parser's events, in one pass and with memory that does not grow
/// with the expansion, before any node is built.
public struct YAMLLimits: Sendable, Hashable {
    /// UTF-8 bytes of the text. Default 4 MB: a codebook of a thousand variables is well under 1 MB.
    public var maxBytes: Int
    /// Values (scalars, lists and mappings) once every alias is expanded. Default 200,000:
    /// two hundred variables with fifty categories each need about 60,000.
    public var maxValues: Int
    /// UTF-8 bytes of scalar text once every alias is expanded. Default 16 MB.
    public var maxTextBytes: Int
    /// Lists and mappings inside one another. Default 64; a codebook needs about 6.
    public var maxDepth: Int

    public init(maxBytes: Int = 4 << 20, maxValues: Int = 200_000, maxTextBytes: Int = 16 << 20, maxDepth: Int = 64) {
        self.maxBytes = maxBytes
        self.maxValues = maxValues
        self.maxTextBytes = maxTextBytes
        self.maxDepth = maxDepth
    }
}

/// A YAML text over one of its `YAMLLimits`, in words that say where and what to change.
public struct YAMLLimitError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
}

enum YAMLExpansion {
    /// Throws `YAMLLimitError` when what `text` expands to is over a limit. Its own size
    /// (`maxBytes`) is the caller's to check, before reading it. Syntax errors are left alone: the
    /// parser that reads the text afterwards reports them with their place.
    static func check(_ text: String, limits: YAMLLimits) throws(YAMLLimitError) {
        guard !text.isEmpty else { return }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return }
        defer { yaml_parser_delete(&parser) }
        var count = Count(limits: limits)
        let bytes = Array(text.utf8)
        let problem: YAMLLimitError? = bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { return nil }
                if let problem = count.take(event) { return problem }
            }
        }
        if let problem { throw problem }
    }

    /// The running count over the events: every value as it is met, an alias as the size of
    /// what its anchor marks.
    private struct Count {
        let limits: YAMLLimits
        /// A node's size once expanded. `height` is 0 for a scalar, 1 + the deepest child for a list or mapping.
        struct Size {
            var values: Int
            var textBytes: Int
            var height: Int
        }
        /// A list or mapping whose end has not come yet.
        struct Open {
            var anchor: String?
            var valuesBefore: Int
            var textBytesBefore: Int
            var childHeight = 0
        }
        var open: [Open] = []
        var anchors: [String: Size] = [:]
        var values = 0
        var textBytes = 0
        var aliasesUsed = false

        init(limits: YAMLLimits) { self.limits = limits }

        mutating func take(_ event: yaml_event_t) -> YAMLLimitError? {
            let line = event.start_mark.line + 1
            switch event.type {
            case YAML_DOCUMENT_START_EVENT:
                anchors = [:]  // anchors do not reach across documents
            case YAML_SCALAR_EVENT:
                let size = Size(values: 1, textBytes: event.data.scalar.length, height: 0)
                if let anchor = Self.name(event.data.scalar.anchor) { anchors[anchor] = size }
                return add(size, line: line, alias: nil)
            case YAML_ALIAS_EVENT:
                let name = Self.name(event.data.alias.anchor)
                aliasesUsed = true
                // An alias to no anchor is the parser's error to report; count it as one value until then.
                let size = name.flatMap { anchors[$0] } ?? Size(values: 1, textBytes: 0, height: 0)
                return add(size, line: line, alias: name)
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                let anchor = Self.name(
                    event.type == YAML_SEQUENCE_START_EVENT
                        ? event.data.sequence_start.anchor : event.data.mapping_start.anchor)
                if let problem = add(Size(values: 1, textBytes: 0, height: 1), line: line, alias: nil, isOpening: true) {
                    return problem
                }
                open.append(Open(anchor: anchor, valuesBefore: values - 1, textBytesBefore: textBytes))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let node = open.popLast() else { return nil }
                let size = Size(
                    values: values - node.valuesBefore, textBytes: textBytes - node.textBytesBefore,
                    height: node.childHeight + 1)
                if let anchor = node.anchor { anchors[anchor] = size }
                noteChild(height: size.height)
            default:
                break
            }
            return nil
        }

        /// Adds a value (or an alias's expansion) where the parser is.
        private mutating func add(_ size: Size, line: Int, alias: String?, isOpening: Bool = false) -> YAMLLimitError? {
            values += size.values
            textBytes += size.textBytes
            let through = alias.map { " through the alias *\($0)" } ?? ""
            if open.count + size.height > limits.maxDepth {
                return YAMLLimitError(description: "lists and mappings nest more than \(limits.maxDepth) deep at line \(line)\(through)")
            }
            if values > limits.maxValues {
                return YAMLLimitError(
                    description: aliasesUsed
                        ? "its aliases expand it past \(limits.maxValues) values at line \(line)\(through); "
                            + "each alias repeats everything its anchor marks, so aliases of aliases multiply: write the repeated parts out"
                        : "it holds more than \(limits.maxValues) values (at line \(line))")
            }
            if textBytes > limits.maxTextBytes {
                return YAMLLimitError(
                    description: aliasesUsed
                        ? "its aliases expand it past \(Ingestor.byteCount(limits.maxTextBytes)) of text at line \(line)\(through); write the repeated parts out"
                        : "it holds more than \(Ingestor.byteCount(limits.maxTextBytes)) of text (at line \(line))")
            }
            if !isOpening { noteChild(height: size.height) }
            return nil
        }

        private mutating func noteChild(height: Int) {
            guard !open.isEmpty else { return }
            open[open.count - 1].childHeight = max(open[open.count - 1].childHeight, height)
        }

        private static func name(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            pointer.map { String(cString: $0) }
        }
    }
}
