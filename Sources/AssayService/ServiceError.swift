/// Why a use case cannot go ahead: cases with their data, in no front end's words. The CLI adds
/// its hints (`CLIHint`), the service makes problem documents (`APIProblem`). Errors of the layers
/// below (`EngineError`, `StoreError`, `CodebookError`, `JobRunnerError`, `ExportError`) pass
/// through unchanged.
package enum ServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Missing, or someone else's: the same answer, so nothing about another account leaks.
    case notFound(Thing)
    /// A value the requester sent breaks a rule; `field` names it as the API does.
    case invalid(field: String, reason: String)
    /// Failure patterns, trace runs and their jobs are for accounts with this role.
    case patternsNotAllowed(role: String)
    /// Sign-in and session failures.
    case wrongCredentials
    case refreshTokenRejected
    case credentialRejected(Credential)
    /// Too many attempts; the requester may try again after `retryAfter` seconds.
    case tooManyAttempts(Attempts, retryAfter: Int)
    /// The project is not at the step of its workflow this needs (a full run before a sample).
    case notReady(Workflow.Refusal)

    /// What was not found.
    package enum Thing: Sendable, Equatable {
        case project(Int64)
        case document(Int64)
        case job(Int64)
        case extraction(Int64)
        case variable(String)
        case codebook(projectID: Int64, version: Int?)
        case apiKey(Int64)
        case account(email: String)
    }

    package enum Credential: Sendable, Equatable {
        case apiKey, accessToken
    }

    package enum Attempts: Sendable, Equatable {
        /// From one client address (logins, registrations, password changes together).
        case fromClient
        /// Wrong passwords for one account.
        case forAccount
    }

    package var description: String {
        switch self {
        case .notFound(let thing): "\(thing.description) not found"
        case .invalid(let field, let reason): "\(field): \(reason)"
        case .patternsNotAllowed(let role): "failure patterns are visible to accounts with the role '\(role)' only"
        case .wrongCredentials: "wrong email or password"
        case .refreshTokenRejected: "the refresh token is invalid, used or expired"
        case .credentialRejected(.apiKey): "the API key is not valid (it may have been deleted)"
        case .credentialRejected(.accessToken): "the access token is invalid, expired or signed out"
        case .tooManyAttempts(.fromClient, let seconds): "too many sign-in attempts from your address; try again in \(seconds) s"
        case .tooManyAttempts(.forAccount, let seconds): "too many wrong passwords for this account; try again in \(seconds) s"
        case .notReady(let refusal): refusal.description
        }
    }
}

extension ServiceError.Thing: CustomStringConvertible {
    package var description: String {
        switch self {
        case .project(let id): "project \(id)"
        case .document(let id): "document \(id)"
        case .job(let id): "job \(id)"
        case .extraction(let id): "extraction \(id)"
        case .variable(let name): "variable '\(name)'"
        case .codebook(let id, nil): "codebook of project \(id)"
        case .codebook(let id, let version?): "codebook version \(version) of project \(id)"
        case .apiKey(let id): "API key \(id)"
        case .account(let email): "account \(email)"
        }
    }
}
