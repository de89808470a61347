/// Who is asking. The person at the command line works on the database's own projects (those
/// without an owner); a signed-in account of the service works on its own. Every use case checks
/// through `Access`, so the rule holds the same for each front end: another account's project,
/// document, job or value is the same "not found" as a missing one.
package struct Requester: Sendable, Hashable {
    /// The owner stored on the projects this requester may use; nil for the local user.
    package let owner: String?
    /// The account's email, which names the author of its feedback; nil for the local user.
    package let email: String?
    /// Whether failure patterns, trace runs and the jobs of the failure-patterns project are
    /// visible: the pattern role for accounts, always for the local user.
    package let seesPatterns: Bool

    /// The command line's user: whoever can open the database file.
    package static let local = Requester(owner: nil, email: nil, seesPatterns: true)

    /// A signed-in account of the service.
    package static func account(userID: Int64, email: String, seesPatterns: Bool) -> Requester {
        Requester(owner: String(userID), email: email, seesPatterns: seesPatterns)
    }
}
