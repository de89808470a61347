/// A kind of sensitive value the `Redactor` finds; its raw value names the kind in placeholders
/// (`[REDACTED:card_number]`) and in stored audits.
public enum PIIKind: String, Codable, CaseIterable, Sendable {
    case email
    case phone
    /// Payment card numbers, only when the Luhn check passes.
    case cardNumber = "card_number"
    /// IBANs, only when the mod-97 check passes.
    case iban
    /// US Social Security numbers.
    case nationalID = "national_id"
    case ipAddress = "ip_address"
    /// Keys recognised by their issuer's prefix (`sk-`, `AKIA`, `ghp_`, …).
    case apiKey = "api_key"
    /// The credential after `Bearer`.
    case bearerToken = "bearer_token"
    case jwt
    /// Passwords in URLs and values under secret-ish key names (`password=`, `"client_secret":`).
    case password
    /// PEM private key blocks.
    case privateKey = "private_key"
    /// High-entropy strings that look like keys without a known prefix.
    case secret

    /// What replaces a finding of this kind.
    public var placeholder: String { "[REDACTED:\(rawValue)]" }

    /// Which kind wins when two findings cover the same text: checked structures beat shapes,
    /// shapes beat context, and the entropy guess comes last.
    var specificity: Int {
        switch self {
        case .privateKey: 9
        case .cardNumber, .iban, .nationalID: 8
        case .jwt: 7
        case .apiKey: 6
        case .email, .ipAddress, .bearerToken: 5
        case .password: 4
        case .phone: 3
        case .secret: 2
        }
    }
}
