/// Credentials recognised by their form: issuer-prefixed API keys, JWTs, bearer tokens, passwords
/// in URLs and PEM private key blocks.
enum CredentialDetector {
    /// What may follow a known prefix, and how much of it makes a key.
    struct KeyFormat: Sendable {
        enum Alphabet: Sendable { case alphanumeric, upperAlphanumeric, urlSafe, urlSafeDotted, hex }
        let prefixes: [String]
        let alphabet: Alphabet
        let minimumLength: Int
        var maximumLength = Int.max

        func allows(_ byte: UInt8) -> Bool {
            switch alphabet {
            case .alphanumeric: byte.isAlnum
            case .upperAlphanumeric: byte.isUpper || byte.isDigit
            case .urlSafe: byte.isAlnum || byte == .hyphen || byte == .underscore
            case .urlSafeDotted: byte.isAlnum || byte == .hyphen || byte == .underscore || byte == .dot
            case .hex: byte.isHex
            }
        }
    }

    /// Public key formats of common providers. Tails must hold a letter and a digit, so prose such
    /// as "sk-learn-compatible-estimators" is not taken for a key.
    static let keyFormats: [KeyFormat] = [
        KeyFormat(prefixes: ["sk-"], alphabet: .urlSafe, minimumLength: 20),  // OpenAI, Anthropic (sk-ant-, sk-proj-)
        KeyFormat(prefixes: ["sk_live_", "sk_test_", "rk_live_", "rk_test_", "whsec_"], alphabet: .alphanumeric, minimumLength: 16),
        KeyFormat(
            prefixes: ["AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AIPA", "ANPA", "ANVA", "AROA", "APKA", "ASCA"],
            alphabet: .upperAlphanumeric, minimumLength: 16, maximumLength: 16),  // AWS access key ids
        KeyFormat(prefixes: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"], alphabet: .alphanumeric, minimumLength: 30),
        KeyFormat(prefixes: ["github_pat_"], alphabet: .urlSafe, minimumLength: 22),
        KeyFormat(prefixes: ["xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-", "xoxe-"], alphabet: .urlSafe, minimumLength: 10),
        KeyFormat(prefixes: ["AIza"], alphabet: .urlSafe, minimumLength: 35, maximumLength: 35),  // Google
        KeyFormat(prefixes: ["glpat-", "gldt-", "glrt-"], alphabet: .urlSafe, minimumLength: 20),  // GitLab
        KeyFormat(prefixes: ["hf_"], alphabet: .alphanumeric, minimumLength: 30),  // Hugging Face
        KeyFormat(prefixes: ["npm_"], alphabet: .alphanumeric, minimumLength: 36),
        KeyFormat(prefixes: ["pypi-"], alphabet: .urlSafe, minimumLength: 50),
        KeyFormat(prefixes: ["gsk_", "pplx-", "xai-"], alphabet: .alphanumeric, minimumLength: 40),  // Groq, Perplexity, xAI
        KeyFormat(prefixes: ["r8_"], alphabet: .alphanumeric, minimumLength: 30),  // Replicate
        KeyFormat(prefixes: ["dop_v1_", "doo_v1_", "dor_v1_"], alphabet: .hex, minimumLength: 64),  // DigitalOcean
        KeyFormat(prefixes: ["shpat_", "shpca_", "shppa_", "shpss_"], alphabet: .hex, minimumLength: 32),  // Shopify
        KeyFormat(prefixes: ["SG."], alphabet: .urlSafeDotted, minimumLength: 60),  // SendGrid
    ]

    private static func isKeyByte(_ byte: UInt8) -> Bool { byte.isAlnum || byte == .underscore || byte == .hyphen }

    /// The formats by the first byte of their prefixes, so most words are passed over at a glance.
    private static let formatsByFirstByte: [UInt8: [(prefix: [UInt8], format: KeyFormat)]] = {
        var table: [UInt8: [(prefix: [UInt8], format: KeyFormat)]] = [:]
        for format in keyFormats {
            for prefix in format.prefixes { table[prefix.utf8.first!, default: []].append((Array(prefix.utf8), format)) }
        }
        return table
    }()

    static func apiKeys(in text: ScanText) -> [Candidate] {
        var found: [Candidate] = []
        var index = 0
        while index < text.count {
            guard text[index].isLetter, !text.continuesWord(before: index, isKeyByte),
                let end = keyEnd(at: index, in: text)
            else {
                index += 1
                continue
            }
            found.append(Candidate(kind: .apiKey, range: index..<end))
            index = end
        }
        return found
    }

    private static func keyEnd(at start: Int, in text: ScanText) -> Int? {
        for (prefix, format) in formatsByFirstByte[text[start]] ?? [] where text.hasPrefix(prefix, at: start) {
            let tailStart = start + prefix.count
            var end = tailStart
            var letters = false
            var digits = false
            while format.allows(text[end]) {
                letters = letters || text[end].isLetter
                digits = digits || text[end].isDigit
                end += 1
            }
            let length = end - tailStart
            guard length >= format.minimumLength, length <= format.maximumLength, letters, digits,
                !isKeyByte(text[end])
            else { continue }
            return end
        }
        return nil
    }

    // MARK: JWTs

    /// `eyJ…` (a base64url JSON header), a payload and a signature, each base64url, joined by dots;
    /// the signature may be empty (`alg: none`). Encrypted tokens have five parts.
    static func jwts(in text: ScanText) -> [Candidate] {
        var found: [Candidate] = []
        var index = 0
        while index < text.count {
            guard text.hasPrefix("eyJ", at: index), !text.continuesWord(before: index, isKeyByte),
                let end = jwtEnd(at: index, in: text)
            else {
                index += 1
                continue
            }
            found.append(Candidate(kind: .jwt, range: index..<end))
            index = end
        }
        return found
    }

    private static func jwtEnd(at start: Int, in text: ScanText) -> Int? {
        var parts: [Int] = []
        var index = start
        while parts.count < 5 {
            let partStart = index
            while isKeyByte(text[index]) { index += 1 }
            parts.append(index - partStart)
            guard text[index] == .dot, parts.count < 5, isKeyByte(text[index + 1]) || parts.count == 2 else { break }
            index += 1
        }
        guard parts.count >= 3, parts[0] >= 10, parts[1] >= 10 else { return nil }
        return index
    }

    // MARK: Bearer tokens

    /// The credential after the word `Bearer` (any case); `Bearer` stays so the text still reads.
    /// The token must look generated (letters and digits, or mixed case over 12 characters), so
    /// "Bearer authentication" is prose.
    static func bearerTokens(in text: ScanText) -> [Candidate] {
        var found: [Candidate] = []
        var index = 0
        while let start = text.firstIndex(of: "bearer", from: index, ignoringCase: true) {
            index = start + 6
            guard !text.continuesWord(before: start, { $0.isAlnum }), text[index].isBlank else { continue }
            var tokenStart = index
            while text[tokenStart].isBlank { tokenStart += 1 }
            if let end = tokenEnd(at: tokenStart, in: text) {
                found.append(Candidate(kind: .bearerToken, range: tokenStart..<end))
                index = end
            }
        }
        return found
    }

    /// RFC 6750's token characters; nil unless the token looks generated rather than a word.
    static func tokenEnd(at start: Int, in text: ScanText) -> Int? {
        var end = start
        var upper = false
        var lower = false
        var digit = false
        while text[end].isAlnum || "._~+/-".utf8.contains(text[end]) {
            upper = upper || text[end].isUpper
            lower = lower || text[end].isLower
            digit = digit || text[end].isDigit
            end += 1
        }
        while text[end] == .equals { end += 1 }
        let length = end - start
        guard length >= 8, (digit && (upper || lower)) || (upper && lower && length >= 12) else { return nil }
        return end
    }

    // MARK: Passwords in URLs

    /// `scheme://user:password@host`: only the password goes; the user and host help debugging.
    static func urlPasswords(in text: ScanText) -> [Candidate] {
        var found: [Candidate] = []
        var index = 0
        while let separator = text.firstIndex(of: "://", from: index) {
            index = separator + 3
            guard text[separator - 1].isAlnum else { continue }
            var end = index
            while !isAuthorityEnd(text[end]) { end += 1 }
            guard let at = (index..<end).last(where: { text[$0] == .at }),
                let colon = (index..<at).first(where: { text[$0] == .colon }),
                colon + 1 < at, !text.hasPrefix(PlaceholderText.prefix, at: colon + 1)
            else { continue }
            found.append(Candidate(kind: .password, range: colon + 1..<at))
            index = end
        }
        return found
    }

    private static func isAuthorityEnd(_ byte: UInt8) -> Bool {
        byte == 0 || byte.isWhitespace || "/?#\"'<>`\\".utf8.contains(byte)
    }

    // MARK: Private keys

    /// A PEM block from `-----BEGIN … PRIVATE KEY-----` to its END line, or to the end of the text
    /// when the block was cut off (excerpts often are).
    static func privateKeys(in text: ScanText) -> [Candidate] {
        var found: [Candidate] = []
        var index = 0
        while let begin = text.firstIndex(of: "-----BEGIN ", from: index) {
            index = begin + 11
            guard let label = text.firstIndex(of: "PRIVATE KEY-----", from: index), label - index <= 40 else { continue }
            var end = text.count
            if let close = text.firstIndex(of: "-----END ", from: label),
                let closeLabel = text.firstIndex(of: "PRIVATE KEY-----", from: close)
            {
                end = closeLabel + 16
            }
            found.append(Candidate(kind: .privateKey, range: begin..<end))
            index = end
        }
        return found
    }
}

/// The shape of a placeholder, so detectors can leave earlier redactions alone (redacting twice
/// must equal redacting once).
enum PlaceholderText {
    static let prefix = "[REDACTED:"
}
