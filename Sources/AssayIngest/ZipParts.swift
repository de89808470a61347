import Foundation
import ZIPFoundation

/// Bounds on what a ZIP-based file (DOCX, ODT) may expand to; past them it is refused as a bomb.
public struct ZipLimits: Sendable, Hashable {
    /// Entries in the central directory.
    public var maxEntries: Int
    /// All entries' declared uncompressed sizes together.
    public var maxTotalBytes: Int
    /// One inflated part (the XML Assay reads).
    public var maxPartBytes: Int
    /// Uncompressed to compressed size, for entries bigger than `ratioFloorBytes`.
    public var maxRatio: Int
    public var ratioFloorBytes: Int

    public init(
        maxEntries: Int = 5000, maxTotalBytes: Int = 512 * 1024 * 1024, maxPartBytes: Int = 64 * 1024 * 1024,
        maxRatio: Int = 200, ratioFloorBytes: Int = 1024 * 1024
    ) {
        self.maxEntries = maxEntries
        self.maxTotalBytes = maxTotalBytes
        self.maxPartBytes = maxPartBytes
        self.maxRatio = maxRatio
        self.ratioFloorBytes = ratioFloorBytes
    }
}

/// The parts of a ZIP container, checked against `ZipLimits` twice: from the central directory
/// before anything is inflated, and while inflating, because the declared sizes can lie.
struct ZipParts {
    struct Problem: Error {
        var reason: String
    }

    let archive: Archive
    let limits: ZipLimits
    let kind: String

    /// Opens the ZIP and checks its central directory. `file` is read as needed, not whole.
    init(file: URL?, data: Data, kind: String, limits: ZipLimits) throws(Problem) {
        self.kind = kind
        self.limits = limits
        do {
            archive = try file.map { try Archive(url: $0, accessMode: .read) } ?? Archive(data: data, accessMode: .read)
        } catch {
            throw Problem(
                reason: "not a readable \(kind) (the ZIP container is truncated or damaged); save it again from the program that made it")
        }
        var count = 0
        var total: UInt64 = 0
        for entry in archive {
            count += 1
            if count > limits.maxEntries {
                throw Problem(reason: "refused as a ZIP bomb: more than \(limits.maxEntries) entries in the \(kind)")
            }
            total += entry.uncompressedSize
            if total > UInt64(limits.maxTotalBytes) {
                throw Problem(
                    reason: "refused as a ZIP bomb: the \(kind)'s entries expand to more than \(Ingestor.byteCount(limits.maxTotalBytes))")
            }
            if let reason = ratioProblem(entry.path, inflated: entry.uncompressedSize, compressed: entry.compressedSize) {
                throw Problem(reason: reason)
            }
        }
    }

    private func ratioProblem(_ path: String, inflated: UInt64, compressed: UInt64) -> String? {
        guard inflated > UInt64(limits.ratioFloorBytes) else { return nil }
        guard inflated / max(compressed, 1) > UInt64(limits.maxRatio) else { return nil }
        return "refused as a ZIP bomb: \(path) expands \(inflated / max(compressed, 1)) times (limit \(limits.maxRatio))"
    }

    /// The inflated bytes of the part at `path`, or nil when the container has no such part.
    func part(_ path: String) throws(Problem) -> Data? {
        guard let entry = archive[path] else { return nil }
        let declared = entry.uncompressedSize
        let compressed = entry.compressedSize
        let limits = self.limits
        var data = Data()
        var thrown: Problem?
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                data.append(chunk)
                let size = UInt64(data.count)
                if size > declared {
                    thrown = Problem(reason: "refused as a ZIP bomb: \(path) inflates past its declared size of \(declared) bytes")
                } else if size > UInt64(limits.maxPartBytes) {
                    thrown = Problem(reason: "refused as a ZIP bomb: \(path) inflates past \(Ingestor.byteCount(limits.maxPartBytes))")
                } else if let reason = ratioProblem(path, inflated: size, compressed: compressed) {
                    thrown = Problem(reason: reason)
                }
                if let thrown { throw thrown }
            }
        } catch {
            throw thrown ?? Problem(reason: "not a readable \(kind): \(path) is damaged in the ZIP container (\(error))")
        }
        return data
    }
}
