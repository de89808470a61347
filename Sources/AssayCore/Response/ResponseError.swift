/// Why a model reply could not be used. The message is what the model hears on the re-ask and
/// what a reviewer reads in the error record, so it names the JSON path and the rule broken.
public enum ResponseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No JSON object could be found or repaired in the reply.
    case invalidJSON(String)
    /// The JSON does not match the response schema.
    case schemaValidation([SchemaViolation])

    public var kind: ErrorKind {
        switch self {
        case .invalidJSON: .invalidJSON
        case .schemaValidation: .schemaValidation
        }
    }

    public var description: String {
        switch self {
        case .invalidJSON(let why): "not valid JSON: \(why)"
        case .schemaValidation(let violations):
            "does not match the schema: " + violations.prefix(5).map(\.description).joined(separator: "; ")
                + (violations.count > 5 ? "; and \(violations.count - 5) more" : "")
        }
    }
}
