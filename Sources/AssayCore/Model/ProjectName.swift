import Foundation

/// The one rule for a project's name, whoever creates or renames the project (`assay init`,
/// `POST /projects`, the failure-patterns project): surrounding spaces dropped, then 1 to 200
/// characters, none of them control characters (a name is printed in tables and logs, where a
/// newline or an escape would break the line).
public enum ProjectName {
    public static let maxCharacters = 200

    /// The name as it is stored, or why it cannot be one.
    public static func checked(_ name: String) throws(ProjectNameError) -> String {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .empty }
        guard trimmed.count <= maxCharacters else { throw .tooLong(characters: trimmed.count) }
        guard !trimmed.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) else {
            throw .controlCharacter
        }
        return trimmed
    }
}

/// Why a text cannot be a project's name.
public enum ProjectNameError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case tooLong(characters: Int)
    case controlCharacter

    public var description: String {
        switch self {
        case .empty: "a project needs a name"
        case .tooLong(let count): "a project's name has at most \(ProjectName.maxCharacters) characters (this one has \(count))"
        case .controlCharacter: "a project's name cannot contain control characters such as a newline or a tab"
        }
    }
}
