import AssayCore
import Foundation
import Testing

@Suite struct PageStartsTests {
    let document = Document(
        id: 1, projectID: 1, externalID: "r.pdf", mediaType: "application/pdf", text: String(repeating: "x", count: 30),
        contentHash: "h", wordCount: 1, tokenCount: 1, status: .ready, metadata: ["page_starts": [0, 10, 25]])

    @Test func offsetsMapToTheirPage() {
        #expect(document.page(atOffset: 0) == 1)
        #expect(document.page(atOffset: 9) == 1)
        #expect(document.page(atOffset: 10) == 2)
        #expect(document.page(atOffset: 24) == 2)
        #expect(document.page(atOffset: 25) == 3)
        #expect(document.page(atOffset: 10_000) == 3)
        #expect(document.page(atOffset: -1) == nil)
    }

    @Test func documentsWithoutPagesHaveNone() {
        var plain = document
        plain.metadata = .null
        #expect(plain.page(atOffset: 3) == nil)
        plain.metadata = ["page_starts": ["zero"]]
        #expect(plain.page(atOffset: 3) == nil)
        plain.metadata = ["page_starts": [0, 2.5]]
        #expect(plain.page(atOffset: 3) == nil)
    }

    @Test func manyPagesBySearch() {
        let starts = PageStarts(Array(stride(from: 0, to: 2_000 * 100, by: 100)))
        #expect(starts.page(atOffset: 0) == 1)
        #expect(starts.page(atOffset: 199_999) == 2_000)
        #expect(starts.page(atOffset: 150_050) == 1_501)
        #expect(PageStarts(metadata: ["page_starts": starts.metadataValue]) == starts)
    }

    @Test func ocrIsReadFromMetadata() {
        var scanned = document
        #expect(!scanned.isOCR)
        scanned.metadata = ["ocr": true, "page_starts": [0]]
        #expect(scanned.isOCR)
    }
}
