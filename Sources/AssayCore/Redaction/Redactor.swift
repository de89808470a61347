/// Finds and masks sensitive values (contact data, payment and national ids, addresses,
/// credentials) in text derived from user content before it is stored or logged: failure traces,
/// document excerpts, provider error bodies. Deterministic and idempotent; see docs/REDACTION.md.
public struct Redactor: Sendable {
    /// One sensitive value: what it is and where it sits in the text that was searched.
    public struct Finding: Sendable, Hashable {
        public let kind: PIIKind
        public let range: Range<String.Index>
    }

    /// The kinds this redactor looks for.
    public let kinds: Set<PIIKind>

    public init(kinds: Set<PIIKind> = Set(PIIKind.allCases)) {
        self.kinds = kinds
    }

    /// The findings in `text`, in order, never overlapping.
    public func findings(in text: String) -> [Finding] {
        let bytes = ScanText(text)
        let utf8 = text.utf8
        return candidates(in: bytes).map { candidate in
            let lower = utf8.index(utf8.startIndex, offsetBy: candidate.range.lowerBound)
            let upper = utf8.index(lower, offsetBy: candidate.range.count)
            return Finding(kind: candidate.kind, range: lower..<upper)
        }
    }

    /// `text` with every finding replaced by its kind's placeholder (`[REDACTED:email]`); the
    /// surrounding text stays as it was.
    public func redact(_ text: String) -> String {
        let bytes = ScanText(text)
        let found = candidates(in: bytes)
        guard !found.isEmpty else { return text }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var cursor = 0
        for candidate in found {
            output += bytes.bytes[cursor..<candidate.range.lowerBound]
            output += candidate.kind.placeholder.utf8
            cursor = candidate.range.upperBound
        }
        output += bytes.bytes[cursor...]
        return String(decoding: output, as: UTF8.self)
    }

    /// A short, redacted, one-line excerpt for error records and messages: redacted first, then
    /// whitespace collapsed to single spaces and cut to at most `limit` characters, the last being
    /// `…` when something was cut. The cut never splits a character or a placeholder.
    public func excerpt(_ text: String, limit: Int = 200) -> String {
        let flat = redact(text).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard flat.count > limit else { return flat }
        guard limit > 1 else { return String("…".prefix(limit)) }
        var cut = flat.index(flat.startIndex, offsetBy: limit - 1)
        if let open = flat[..<cut].lastIndex(of: "["), flat[open...].hasPrefix(PlaceholderText.prefix),
            !flat[open..<cut].contains("]")
        {
            cut = open
        }
        var kept = flat[..<cut]
        while kept.last?.isWhitespace == true { kept = kept.dropLast() }
        return kept + "…"
    }

    /// Every detector's candidates of the chosen kinds, overlaps resolved: the longest wins, then
    /// the most specific kind (a card number over the password it was the value of), then the
    /// earliest. A loser overlapping a winner is dropped whole.
    func candidates(in text: ScanText) -> [Candidate] {
        var all: [Candidate] = []
        for (detectorKinds, detect) in Self.detectors where !detectorKinds.isDisjoint(with: kinds) {
            all += detect(text).filter { kinds.contains($0.kind) && !$0.range.isEmpty && $0.range.upperBound <= text.count }
        }
        all.sort {
            if $0.range.count != $1.range.count { return $0.range.count > $1.range.count }
            if $0.kind.specificity != $1.kind.specificity { return $0.kind.specificity > $1.kind.specificity }
            if $0.range.lowerBound != $1.range.lowerBound { return $0.range.lowerBound < $1.range.lowerBound }
            return $0.kind.rawValue < $1.kind.rawValue
        }
        // Bytes already given to a winner; a byte is covered by a handful of candidates at most,
        // so this stays linear where comparing against every winner would not.
        var taken = [Bool](repeating: false, count: text.count)
        var kept: [Candidate] = []
        for candidate in all where !taken[candidate.range].contains(true) {
            kept.append(candidate)
            taken.replaceSubrange(candidate.range, with: repeatElement(true, count: candidate.range.count))
        }
        return kept.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// Each detector with the kinds it can report, so unused ones do not run.
    static let detectors: [(Set<PIIKind>, @Sendable (ScanText) -> [Candidate])] = [
        ([.email], ContactDetector.emails),
        ([.phone], ContactDetector.phones),
        ([.cardNumber], FinancialDetector.cardNumbers),
        ([.iban], FinancialDetector.ibans),
        ([.nationalID], FinancialDetector.socialSecurityNumbers),
        ([.ipAddress], NetworkDetector.ipv4Addresses),
        ([.ipAddress], NetworkDetector.ipv6Addresses),
        ([.apiKey], CredentialDetector.apiKeys),
        ([.jwt], CredentialDetector.jwts),
        ([.bearerToken], CredentialDetector.bearerTokens),
        ([.password], CredentialDetector.urlPasswords),
        ([.privateKey], CredentialDetector.privateKeys),
        ([.password, .bearerToken], SecretFieldDetector.secretFields),
        ([.secret], EntropyDetector.secrets),
    ]
}
