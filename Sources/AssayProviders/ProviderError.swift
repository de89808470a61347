import AssayCore
import Foundation

/// Why a provider call failed, sorted into what is worth retrying and what is not.
public enum ProviderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server answered with an error status. `retryAfter` comes from the `Retry-After` header.
    case http(status: Int, message: String, retryAfter: Duration?)
    /// No answer within the time allowed.
    case timeout(seconds: Double)
    /// The server could not be reached (refused, reset, DNS).
    case unreachable(String)
    /// The server answered 200 but not in the API's format.
    case invalidResponse(String)
    /// The model declined this content (a safety filter, recitation, a refusal): the same
    /// request would be declined again, so it is not retried.
    case refused(String)
    /// Wrong configuration (missing key, bad URL): retrying cannot help.
    case misconfigured(String)
    /// The circuit breaker is open after repeated provider failures; no call was made.
    case circuitOpen(retryIn: Duration)
    /// A batch API gave no reply for this request: it failed there, or its batch expired, was
    /// cancelled or refused. Running the document again submits it anew.
    case batchItemFailed(String)

    public var isRetryable: Bool {
        switch self {
        case .http(let status, _, _): status == 429 || status == 408 || status >= 500
        case .timeout, .unreachable: true
        case .invalidResponse, .refused, .misconfigured, .circuitOpen, .batchItemFailed: false
        }
    }

    /// How long the provider asked to wait before trying again, when it said.
    public var retryAfter: Duration? {
        if case .http(_, _, let wait) = self { return wait }
        return nil
    }

    /// The stored error kind for a document that failed this way.
    public var errorKind: ErrorKind {
        if case .timeout = self { return .timeout }
        return .providerError
    }

    public var description: String {
        switch self {
        case .http(let status, let message, _):
            let hint =
                switch status {
                case 401, 403: " (check the API key in ASSAY_API_KEY)"
                case 404: " (check the base URL and the model name)"
                case 429: " (rate limited)"
                default: ""
                }
            return "provider answered HTTP \(status)\(hint): \(message)"
        case .timeout(let seconds): return "provider did not answer within \(Int(seconds)) s"
        case .unreachable(let why): return "provider unreachable: \(why)"
        case .invalidResponse(let why): return "provider reply not understood: \(why)"
        case .refused(let why): return "provider declined to answer: \(why)"
        case .misconfigured(let why): return "provider misconfigured: \(why)"
        case .batchItemFailed(let why): return why
        case .circuitOpen(let retryIn):
            return "provider failing repeatedly; calls paused (circuit open, next try in \(retryIn.components.seconds) s)"
        }
    }
}
