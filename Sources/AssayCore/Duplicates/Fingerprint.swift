import Foundation

/// A document's MinHash fingerprint: for each of 100 hash functions, the smallest hash over the
/// document's word 3-shingles. The share of equal positions in two fingerprints estimates the
/// Jaccard similarity of the two shingle sets (±0.05 at one standard error), so near-duplicates
/// (a reprint with another headline, a page of boilerplate more or less) come out close to 1.
///
/// Written here rather than taken from a package: no mirrored package has MinHash, and it must be
/// stable across processes and machines (Swift's `Hasher` is seeded per run), because
/// fingerprints are stored.
public struct Fingerprint: Sendable, Hashable {
    public static let hashCount = 100
    /// Locality-sensitive bands: two documents are compared when all five values of any one of
    /// their 20 bands agree. A pair at similarity 0.8 shares a band with probability 0.9996, at
    /// 0.6 with 0.80, at 0.3 with 0.05 — so looking up candidates by band finds near-duplicates
    /// without comparing each new document with every stored one.
    public static let bandCount = 20
    static let rowsPerBand = hashCount / bandCount
    /// Words per shingle.
    static let shingleWords = 3

    /// One minimum per hash function.
    public private(set) var minimums: [UInt32]

    /// The fingerprint of `text`, or nil when it has no words. Case, punctuation and whitespace do
    /// not count: the words, lowercased, in order.
    public init?(text: String) {
        let words = Self.words(in: text)
        guard !words.isEmpty else { return nil }
        var minimums = [UInt32](repeating: .max, count: Self.hashCount)
        let width = min(Self.shingleWords, words.count)
        for start in 0...(words.count - width) {
            var hash = StableHash()
            for word in words[start..<(start + width)] {
                hash.combine(word)
                hash.combine(UInt8(0x1F))  // a separator: "ab c" and "a bc" are different shingles
            }
            let base = hash.value
            for index in 0..<Self.hashCount {
                let value = UInt32(truncatingIfNeeded: Self.mix(base ^ Self.seeds[index]))
                if value < minimums[index] { minimums[index] = value }
            }
        }
        self.minimums = minimums
    }

    /// A stored fingerprint, or nil when the bytes are not one.
    public init?(data: Data) {
        guard data.count == Self.hashCount * 4 else { return nil }
        minimums = (0..<Self.hashCount).map { index in
            (0..<4).reduce(UInt32(0)) { $0 | UInt32(data[data.startIndex + index * 4 + $1]) << (8 * $1) }
        }
    }

    /// The bytes to store: 400, little-endian.
    public var data: Data {
        var data = Data(capacity: Self.hashCount * 4)
        for value in minimums {
            for shift in stride(from: 0, to: 32, by: 8) { data.append(UInt8(truncatingIfNeeded: value >> shift)) }
        }
        return data
    }

    /// The estimated Jaccard similarity of the two documents' shingles, 0...1.
    public func similarity(to other: Fingerprint) -> Double {
        let equal = zip(minimums, other.minimums).count { $0 == $1 }
        return Double(equal) / Double(Self.hashCount)
    }

    /// One key per band (the band's number mixed in, so equal values in different bands differ),
    /// as signed integers for the store.
    public var bandKeys: [Int64] {
        (0..<Self.bandCount).map { band in
            var hash = StableHash()
            hash.combine(UInt64(band))
            for value in minimums[(band * Self.rowsPerBand)..<((band + 1) * Self.rowsPerBand)] {
                hash.combine(UInt64(value))
            }
            return Int64(bitPattern: hash.value)
        }
    }

    static func words(in text: String) -> [Substring] {
        text.lowercased().split { !($0.isLetter || $0.isNumber) }
    }

    /// SplitMix64's step: a good 64-bit mix, so each seed acts as its own hash function.
    static func mix(_ value: UInt64) -> UInt64 {
        var generator = SeededGenerator(seed: value)
        return generator.next()
    }

    /// Fixed seeds, one per hash function (a splitmix64 sequence from 2026).
    static let seeds: [UInt64] = {
        var state: UInt64 = 2026
        return (0..<hashCount).map { _ in
            state &+= 0x9E37_79B9_7F4A_7C15
            return mix(state)
        }
    }()
}

/// FNV-1a over bytes, 64-bit: the same value in every process, unlike `Hasher`.
struct StableHash {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func combine(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }

    mutating func combine(_ word: Substring) {
        for byte in word.utf8 { combine(byte) }
    }

    mutating func combine(_ number: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { combine(UInt8(truncatingIfNeeded: number >> shift)) }
    }
}
