import Foundation

/// Finds the JSON object in a model reply and mends the defects models commonly make: code
/// fences and prose around it, trailing commas, and closing brackets lost to truncation. It only
/// repairs what is unambiguous; a reply cut off inside a string is not guessed at.
public enum ResponseRepair {
    /// The parsed object and whether it needed mending.
    public static func parse(_ reply: String) throws(ResponseError) -> (value: JSONValue, repaired: Bool) {
        let candidate = extractJSON(reply)
        let parsed: (value: JSONValue, repaired: Bool)
        if let value = try? JSONValue.parse(candidate) {
            parsed = (value, candidate != reply)
        } else {
            let mended = try repair(candidate)
            do {
                parsed = (try JSONValue.parse(mended), true)
            } catch let error as JSONSyntaxError {
                throw .invalidJSON(error.description)
            } catch {
                throw .invalidJSON("\(error)")
            }
        }
        // A `\u0000` in a value would be cut there when stored (SQLite takes text as C strings):
        // the reply is refused, so the document is asked again or fails with this reason.
        if let path = nulPath(in: parsed.value) {
            throw .invalidJSON("the reply has a NUL character (\\u0000)" + (path.isEmpty ? "" : " in \(path)"))
        }
        return parsed
    }

    /// Where the first NUL character is in the value's strings or keys (`violence.rationale`), or nil.
    static func nulPath(in value: JSONValue, at path: String = "") -> String? {
        switch value {
        case .string(let s): return s.utf8.contains(0) ? path : nil
        case .array(let items):
            for (i, item) in items.enumerated() {
                if let found = nulPath(in: item, at: "\(path)[\(i)]") { return found }
            }
        case .object(let members):
            for (key, member) in members {
                if key.utf8.contains(0) { return path.isEmpty ? "the keys" : "the keys of \(path)" }
                if let found = nulPath(in: member, at: path.isEmpty ? key : "\(path).\(key)") { return found }
            }
        default: break
        }
        return nil
    }

    /// The text from the first `{` (or `[`) to its matching close, or to the end when it never
    /// closes; code fences and prose outside are dropped.
    public static func extractJSON(_ reply: String) -> String {
        let scalars = Array(reply.unicodeScalars)
        guard let start = scalars.firstIndex(where: { $0 == "{" || $0 == "[" }) else {
            return reply.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var depth = 0
        var inString = false
        var escaped = false
        for i in start..<scalars.count {
            let c = scalars[i]
            if inString {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
                continue
            }
            switch c {
            case "\"": inString = true
            case "{", "[": depth += 1
            case "}", "]":
                depth -= 1
                if depth == 0 { return String(String.UnicodeScalarView(scalars[start...i])) }
            default: break
            }
        }
        return String(String.UnicodeScalarView(scalars[start...])).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Drops trailing commas and appends the closers a truncated reply lacks.
    static func repair(_ text: String) throws(ResponseError) -> String {
        var out = String.UnicodeScalarView()
        var stack: [Unicode.Scalar] = []
        var inString = false
        var escaped = false
        for c in text.unicodeScalars {
            if inString {
                out.append(c)
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
                continue
            }
            switch c {
            case "\"": inString = true
            case "{": stack.append("}")
            case "[": stack.append("]")
            case "}", "]":
                guard stack.last == c else { throw .invalidJSON("mismatched '\(c)'") }
                stack.removeLast()
                dropTrailingComma(&out)
            default: break
            }
            out.append(c)
        }
        if inString { throw .invalidJSON("the reply ends inside a string (truncated?)") }
        if !stack.isEmpty {
            // Truncated after a complete value: close what is open. A dangling key or colon
            // cannot be completed without guessing.
            dropTrailingComma(&out)
            let last = out.last { !$0.properties.isWhitespace }
            if last == ":" { throw .invalidJSON("the reply ends after a key, before its value (truncated?)") }
            for closer in stack.reversed() {
                out.append(closer)
            }
        }
        return String(out)
    }

    private static func dropTrailingComma(_ out: inout String.UnicodeScalarView) {
        var i = out.endIndex
        while i > out.startIndex {
            let prev = out.index(before: i)
            if out[prev].properties.isWhitespace {
                i = prev
                continue
            }
            if out[prev] == "," { out.remove(at: prev) }
            return
        }
    }
}

extension String.UnicodeScalarView {
    fileprivate func last(where predicate: (Unicode.Scalar) -> Bool) -> Unicode.Scalar? {
        var i = endIndex
        while i > startIndex {
            i = index(before: i)
            if predicate(self[i]) { return self[i] }
        }
        return nil
    }
}
