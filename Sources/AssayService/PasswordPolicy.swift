/// What a new password must be, after NIST SP 800-63B: long enough, not a common or guessable
/// one, and nothing else — no rules about digits, capitals or symbols, which make passwords
/// harder to remember without making them harder to guess. Every front end that sets a password
/// goes through `Sessions`, which applies it.
package enum PasswordPolicy {
    static let minCharacters = 8
    /// Generous (NIST asks for at least 64); bcrypt's 72-byte limit is handled by `PasswordHasher`.
    static let maxCharacters = 256

    /// Why the password is refused, in words for the user; nil when it is fine.
    package static func problem(password: String, email: String) -> String? {
        let characters = password.unicodeScalars.count
        if characters < minCharacters { return "must have at least \(minCharacters) characters" }
        if characters > maxCharacters { return "must have at most \(maxCharacters) characters" }
        // bcrypt stops at a NUL byte: everything after it would not count.
        if password.unicodeScalars.contains("\0") { return "must not contain the NUL character" }
        let lowered = password.lowercased()
        if Set(lowered.unicodeScalars).count == 1 { return "must not be one character repeated" }
        if isSequence(lowered) { return "must not be a run such as 12345678 or abcdefgh" }
        if CommonPasswords.all.contains(Substring(lowered)) {
            return "is one of the most common passwords; a few unrelated words make a strong one"
        }
        let email = email.lowercased()
        let localPart = email.split(separator: "@").first.map(String.init) ?? email
        let letters = String(lowered.unicodeScalars.filter { $0.properties.isAlphabetic })
        if !email.isEmpty, lowered.contains(email) || lowered == localPart || letters == localPart {
            return "must not be your email or its name part"
        }
        if letters == "assay" { return "must not be the service's name" }
        return nil
    }

    /// Each character one after the other in code points, up or down (abcdefgh, 98765432).
    static func isSequence(_ text: String) -> Bool {
        let values = text.unicodeScalars.map { Int($0.value) }
        guard values.count > 2 else { return false }
        let steps = Set(zip(values, values.dropFirst()).map { $1 - $0 })
        return steps == [1] || steps == [-1]
    }
}
