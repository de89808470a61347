import AssayCore
import Foundation

/// Why a codebook file could not be turned into a usable `Codebook`, in words that say what to fix.
public enum CodebookLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read at all.
    case unreadable(path: String, reason: String)
    /// The text is not valid YAML or JSON; the message gives the line and column where it can.
    case syntax(String, file: String? = nil)
    /// The text parsed, but the codebook is not usable; every problem names its field.
    case invalid([CodebookProblem], file: String? = nil)
    /// The text is over a size limit, or its YAML aliases expand past one (`YAMLLimits`).
    case tooLarge(String, file: String? = nil)

    /// The field problems, empty for unreadable files and syntax errors.
    public var problems: [CodebookProblem] {
        if case .invalid(let problems, _) = self { problems } else { [] }
    }

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "cannot read codebook \(path): \(reason)"
        case .syntax(let message, let file):
            return "\(Self.subject(file)): \(message)"
        case .tooLarge(let message, let file):
            return "\(Self.subject(file)) is too large: \(message)"
        case .invalid(let problems, let file):
            if problems.count == 1 { return "\(Self.subject(file)) is invalid: \(problems[0])" }
            return "\(Self.subject(file)) is invalid:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
        }
    }

    private static func subject(_ file: String?) -> String {
        file.map { "codebook \($0)" } ?? "codebook"
    }

    /// The same error, naming the file it came from.
    func naming(file path: String) -> CodebookLoadError {
        switch self {
        case .unreadable: self
        case .syntax(let message, _): .syntax(message, file: path)
        case .tooLarge(let message, _): .tooLarge(message, file: path)
        case .invalid(let problems, _): .invalid(problems, file: path)
        }
    }
}
