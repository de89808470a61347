import Foundation

/// IPv4 and IPv6 addresses. Loopback and unspecified addresses (`127.x.x.x`, `0.0.0.0`, `::1`,
/// `::`) say nothing about anyone and help read connection errors, so they stay.
enum NetworkDetector {
    static func ipv4Addresses(in text: ScanText) -> [Candidate] {
        var found: [Candidate] = []
        var index = 0
        while index < text.count {
            guard text[index].isDigit,
                !text.continuesWord(before: index, { $0.isAlnum || $0 == .dot || $0 == .underscore }),
                let (end, octets) = ipv4(at: index, in: text)
            else {
                index += 1
                continue
            }
            // "version 1.2.3.4" is a version number with an address's shape.
            let label = text.wordsBefore(index, count: 1, within: 12).first
            if octets[0] != 127, octets != [0, 0, 0, 0], !["version", "ver", "v"].contains(label) {
                found.append(Candidate(kind: .ipAddress, range: index..<end))
            }
            index = end
        }
        return found
    }

    /// Four decimal octets 0–255 without leading zeros, not followed by a fifth part or a word.
    static func ipv4(at start: Int, in text: ScanText) -> (end: Int, octets: [Int])? {
        var octets: [Int] = []
        var index = start
        while octets.count < 4 {
            if !octets.isEmpty {
                guard text[index] == .dot else { return nil }
                index += 1
            }
            let octetStart = index
            var value = 0
            while text[index].isDigit, index - octetStart < 3 {
                value = value * 10 + text[index].digitValue
                index += 1
            }
            let width = index - octetStart
            guard width > 0, value <= 255, width == 1 || text[octetStart] != UInt8(ascii: "0") else { return nil }
            octets.append(value)
        }
        let next = text[index]
        guard !next.isAlnum, next != .underscore, !(next == .dot && text[index + 1].isAlnum) else { return nil }
        return (index, octets)
    }

    // MARK: IPv6

    static func ipv6Addresses(in text: ScanText) -> [Candidate] {
        var found: [Candidate] = []
        var index = 0
        while index < text.count {
            let byte = text[index]
            guard byte.isHex || byte == .colon,
                !text.continuesWord(before: index, { $0.isAlnum || $0 == .colon || $0 == .dot || $0 == .underscore })
            else {
                index += 1
                continue
            }
            var end = index
            var colons = 0
            while text[end].isHex || text[end] == .colon || text[end] == .dot {
                if text[end] == .colon { colons += 1 }
                end += 1
            }
            guard colons >= 2 else {
                index = max(index + 1, end)
                continue
            }
            let runEnd = end
            // A sentence's full stop or a label's colon after the address is not part of it.
            while end > index, text[end - 1] == .dot { end -= 1 }
            if end - index >= 2, text[end - 1] == .colon, text[end - 2] != .colon { end -= 1 }
            if !text[end].isAlnum, text[end] != .underscore, isIPv6(text.string(index..<end)) {
                found.append(Candidate(kind: .ipAddress, range: index..<end))
            }
            index = max(index + 1, runEnd)
        }
        return found
    }

    /// Eight groups of 1–4 hex digits, or fewer with one `::`, optionally ending in an IPv4
    /// address. Compressed forms also need a digit and four hex digits in all, so `a::b`, `::1`
    /// and clock times (`10:30:00`, no `::` and not eight groups) are left alone.
    static func isIPv6(_ candidate: String) -> Bool {
        guard candidate.filter({ $0 == ":" }).count >= 2, candidate != "::", candidate != "::1" else { return false }
        let halves = candidate.components(separatedBy: "::")
        guard halves.count <= 2 else { return false }
        let compressed = halves.count == 2
        var groups = halves.flatMap { $0.isEmpty ? [] : $0.split(separator: ":", omittingEmptySubsequences: false).map(String.init) }
        var width = groups.count
        if let last = groups.last, last.contains(".") {
            let bytes = ScanText(last)
            guard let (end, _) = NetworkDetector.ipv4(at: 0, in: bytes), end == bytes.count else { return false }
            groups.removeLast()
            width += 1
        }
        guard groups.allSatisfy({ (1...4).contains($0.count) && $0.allSatisfy(\.isHexDigit) }) else { return false }
        if !compressed { return width == 8 }
        let hexDigits = groups.reduce(0) { $0 + $1.count }
        return width <= 7 && width >= 1 && candidate.contains(where: \.isNumber) && (hexDigits >= 4 || width > groups.count)
    }
}
