import Foundation

/// Short, redacted excerpts of model replies and documents for error records and messages:
/// never the raw text, at most `limit` characters, with likely secrets and contact data masked.
public enum Excerpt {
    public static func redacted(_ text: String, limit: Int = 160) -> String {
        var masked = text
        for (pattern, replacement) in patterns {
            masked = masked.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        }
        let flat = masked.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > limit ? String(flat.prefix(max(0, limit - 1))) + "…" : flat
    }

    /// A first line of defence; full redaction (Luhn-checked cards, IBANs, entropy) comes with traces.
    static let patterns: [(String, String)] = [
        (#"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"#, "[email]"),
        (#"(?i)bearer\s+[A-Za-z0-9._~+/=-]+"#, "Bearer [token]"),
        (#"\b(sk|pk|rk)-[A-Za-z0-9_-]{16,}"#, "[key]"),
        (#"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+"#, "[jwt]"),
        (#"\+?\d[\d ()-]{8,}\d"#, "[number]"),
    ]
}
