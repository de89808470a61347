import Foundation

/// A person's code for one document and variable, as typed (a coding sheet, a workbench form):
/// the other coders beside the model, for agreement.
public struct HumanCode: Sendable, Hashable, Codable {
    public var documentID: Int64
    public var variable: String
    /// Who coded it: a name or an email, as the coding sheet says.
    public var coder: String
    public var value: String
    public var createdAt: Date

    public init(documentID: Int64, variable: String, coder: String, value: String, createdAt: Date = Date()) {
        self.documentID = documentID
        self.variable = variable
        self.coder = coder
        self.value = value
        self.createdAt = createdAt
    }
}
