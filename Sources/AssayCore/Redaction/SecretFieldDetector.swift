/// Values under secret-ish key names: `password=…`, `"client_secret": "…"`, `DB_PASSWORD='…'`,
/// `X-Api-Key: …`, `Authorization: Basic …`, `--password=…`. Whatever the value looks like, the
/// key says it is a secret, so hex keys and short passwords are caught here and nowhere else.
enum SecretFieldDetector {
    /// Key names are compared lowercased without `_`, `-` and `.`, by suffix (`db_password`,
    /// `OPENAI_API_KEY`). Password-like keys take any value; token-like keys take values of 8
    /// characters or more, so `{"token": "Hello"}` in a model's log-probabilities stays readable.
    static let passwordKeys = [
        "password", "passwd", "passphrase", "pwd", "secret", "secretkey", "privatekey", "accountkey",
        "signingkey", "encryptionkey", "masterkey",
    ]
    static let tokenKeys = ["token", "apikey", "accesskey", "credential", "credentials", "signature"]
    static let exactPasswordKeys: Set<String> = ["pass", "pw"]
    /// Azure SAS signatures (`sig=…`).
    static let exactTokenKeys: Set<String> = ["sig"]

    private static func isKeyByte(_ byte: UInt8) -> Bool {
        byte.isAlnum || byte == .underscore || byte == .hyphen || byte == .dot
    }

    static func secretFields(in text: ScanText) -> [Candidate] {
        var found: [Candidate] = []
        var index = 0
        while index < text.count {
            guard isKeyByte(text[index]), !text.continuesWord(before: index, isKeyByte) else {
                index += 1
                continue
            }
            var keyEnd = index
            while isKeyByte(text[keyEnd]) { keyEnd += 1 }
            if let secret = secretValue(key: index..<keyEnd, in: text) {
                found.append(secret)
                index = secret.range.upperBound
            } else {
                index = keyEnd
            }
        }
        return found
    }

    enum KeyClass { case password, token, authorization }

    static func keyClass(_ key: String) -> KeyClass? {
        let name = String(key.lowercased().filter { $0 != "_" && $0 != "-" && $0 != "." })
        if name.hasSuffix("authorization") { return .authorization }
        if exactPasswordKeys.contains(name) || passwordKeys.contains(where: name.hasSuffix) { return .password }
        if exactTokenKeys.contains(name) || tokenKeys.contains(where: name.hasSuffix) { return .token }
        return nil
    }

    /// The last letters of every secret key name: most words are passed over without building a string.
    private static let lastLetters = Set("deytnlswg".utf8)

    private static func secretValue(key: Range<Int>, in text: ScanText) -> Candidate? {
        guard lastLetters.contains(text[key.upperBound - 1].lowercased) else { return nil }
        let keyText = text.string(key)
        guard let keyClass = keyClass(keyText) else { return nil }
        // After the key: its closing quote (also `\"` inside JSON strings), then `:`, `=`, `:=` or
        // `=>`, or only blanks after a `--flag`.
        var index = key.upperBound
        if text[index] == .backslash, text[index + 1] == .quote {
            index += 2
        } else if text[index] == .quote || text[index] == .apostrophe {
            index += 1
        }
        while text[index].isBlank { index += 1 }
        if text[index] == .colon || text[index] == .equals {
            index += 1
            if text[index] == .equals || text[index] == UInt8(ascii: ">") { index += 1 }
        } else if !(keyText.hasPrefix("--") && index > key.upperBound && text[index] != .hyphen) {
            return nil
        }
        while text[index].isBlank { index += 1 }
        guard var value = valueRange(at: index, in: text) else { return nil }
        var kind = PIIKind.password
        if keyClass == .authorization {
            // `Basic dXNlcjpwYXNz`, `Bearer …`, `token …`: the scheme stays, the credential goes.
            var schemeEnd = value.lowerBound
            while text[schemeEnd].isLetter { schemeEnd += 1 }
            if schemeEnd > value.lowerBound, text[schemeEnd] == .space, !text[schemeEnd + 1].isWhitespace {
                if text.hasPrefix("bearer ", at: value.lowerBound, ignoringCase: true) { kind = .bearerToken }
                let credential = schemeEnd + 1
                // A bare value stopped at the space after the scheme; a quoted one runs on.
                if value.upperBound > credential {
                    value = credential..<value.upperBound
                } else if let bare = valueRange(at: credential, in: text) {
                    value = bare
                }
            }
        }
        let content = text.string(value)
        guard !content.isEmpty, !content.hasPrefix(PlaceholderText.prefix),
            !["null", "none", "nil", "true", "false", "undefined"].contains(content.lowercased()),
            keyClass == .password || content.count >= 8,
            // `PWD=/home/ana` is the shell's working directory, not a password.
            !(keyText.uppercased() == "PWD" && (content.hasPrefix("/") || content.hasPrefix("~")))
        else { return nil }
        return Candidate(kind: kind, range: value)
    }

    /// The value's extent: inside quotes (`"…"`, `'…'`, or `\"…\"` when the text is JSON inside a
    /// JSON string), or up to a delimiter when bare. Objects and arrays are not values here; the
    /// keys inside them are found on their own.
    private static func valueRange(at start: Int, in text: ScanText) -> Range<Int>? {
        let first = text[start]
        if first == .backslash, text[start + 1] == .quote {
            var end = start + 2
            while end < text.count, !(text[end] == .backslash && text[end + 1] == .quote), !isLineEnd(text[end]) { end += 1 }
            return start + 2..<end
        }
        if first == .quote || first == .apostrophe {
            var end = start + 1
            while end < text.count, text[end] != first, !isLineEnd(text[end]) {
                end += text[end] == .backslash ? 2 : 1
            }
            return start + 1..<min(end, text.count)
        }
        // `[` also opens a placeholder: a value redacted before stays as it is.
        guard first != UInt8(ascii: "{"), first != UInt8(ascii: "[") else { return nil }
        var end = start
        while end < text.count, !text[end].isWhitespace, !",;&()}]\"'<>\\".utf8.contains(text[end]) { end += 1 }
        return start..<end
    }

    private static func isLineEnd(_ byte: UInt8) -> Bool { byte == 10 || byte == 13 }
}
