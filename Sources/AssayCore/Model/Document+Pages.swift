import Foundation

/// Pages of a paged document (a PDF): where each page starts in the stored text, in Unicode scalar
/// offsets like every offset in Assay, read from the document's metadata (`"page_starts"`).
public struct PageStarts: Sendable, Hashable {
    /// The offset of each page's first scalar, ascending, the first one 0.
    public var offsets: [Int]

    public init(_ offsets: [Int]) { self.offsets = offsets }

    /// The key ingest writes the page starts under in a document's metadata.
    public static let metadataKey = "page_starts"

    /// The page starts recorded in a document's metadata, or nil for a document without pages.
    public init?(metadata: JSONValue) {
        guard let values = metadata[Self.metadataKey]?.arrayValue, !values.isEmpty else { return nil }
        var offsets: [Int] = []
        for value in values {
            guard let number = value.doubleValue, number >= 0, number.rounded() == number, number < 1e15 else { return nil }
            offsets.append(Int(number))
        }
        self.offsets = offsets
    }

    /// The 1-based page holding the scalar at `offset`: the last page starting at or before it.
    /// Nil for a negative offset. An offset past the end belongs to the last page.
    public func page(atOffset offset: Int) -> Int? {
        guard offset >= 0, let first = offsets.first, offset >= first else { return nil }
        // Binary search: a 2,000-page report asked for every value's evidence.
        var low = 0
        var high = offsets.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if offsets[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low + 1
    }

    public var metadataValue: JSONValue { .array(offsets.map { .number(Double($0)) }) }
}

extension Document {
    /// The 1-based page the scalar at `offset` is on, for a paged document (a PDF); nil otherwise.
    public func page(atOffset offset: Int) -> Int? { PageStarts(metadata: metadata)?.page(atOffset: offset) }

    /// Whether the text came from optical character recognition (`"ocr": true` in the metadata).
    public var isOCR: Bool { metadata["ocr"]?.boolValue == true }
}

extension DocumentInput {
    /// The 1-based page the scalar at `offset` is on, for a paged document (a PDF); nil otherwise.
    public func page(atOffset offset: Int) -> Int? { PageStarts(metadata: metadata)?.page(atOffset: offset) }
}
