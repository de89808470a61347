import AssayCore
import Foundation

extension DecodingError {
    /// The decoding error as a problem a codebook author can fix: the field path in the words of
    /// the file (`variables[2].type`) and what was wrong there.
    /// - Parameters:
    ///   - prefix: prepended to the path, `variables` when the file is a bare list of variables.
    ///   - tree: the parsed text, to say what was found at the path.
    func codebookProblem(prefix: String = "", tree: CodebookTree?) -> CodebookProblem {
        switch self {
        case .keyNotFound(let key, let context):
            return CodebookProblem(field: Self.fieldPath(context.codingPath + [key], prefix: prefix), reason: "missing")
        case .valueNotFound(let type, let context):
            return CodebookProblem(
                field: Self.fieldPath(context.codingPath, prefix: prefix),
                reason: "missing value (expected \(Self.describe(type)))")
        case .typeMismatch(let type, let context):
            let found = tree?.value(at: context.codingPath).map { ", found \($0.foundDescription)" } ?? ""
            return CodebookProblem(
                field: Self.fieldPath(context.codingPath, prefix: prefix),
                reason: "expected \(Self.describe(type))\(found)")
        case .dataCorrupted(let context):
            return CodebookProblem(field: Self.fieldPath(context.codingPath, prefix: prefix), reason: context.debugDescription)
        @unknown default:
            return CodebookProblem(field: prefix.isEmpty ? "codebook" : prefix, reason: "\(self)")
        }
    }

    /// `variables[2].categories[0].code` from a coding path.
    static func fieldPath(_ path: [any CodingKey], prefix: String) -> String {
        var out = prefix
        for key in path {
            if let index = key.intValue, !key.stringValue.contains(where: \.isLetter) || key.stringValue.hasPrefix("Index") {
                out += "[\(index)]"
            } else {
                out += out.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return out.isEmpty ? "codebook" : out
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "text"
        case is Bool.Type: "true or false"
        case is Int.Type: "a whole number"
        case is Double.Type, is Float.Type: "a number"
        case is [Variable].Type: "a list of variables"
        case is [Category].Type: "a list of categories"
        case is [Example].Type: "a list of examples"
        case is [JSONValue].Type: "a list"
        case is Codebook.Type: "a mapping with 'variables'"
        default:
            "\(type)".hasPrefix("Array") ? "a list" : "a mapping"
        }
    }
}
