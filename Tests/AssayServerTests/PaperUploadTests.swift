import AssayCore
import AssayTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import AssayServer

/// Uploads of researchers' files go through the same readers as `assay add`: a PDF with its
/// pages, a scanned PDF by OCR when the form asks, a broken one as a failed document.
@Suite struct PaperUploadTests {
    /// A multipart body with binary files and plain fields.
    static func body(files: [(String, Data)], fields: [(String, String)] = []) -> (ByteBuffer, String) {
        let boundary = "assay-paper-boundary"
        var buffer = ByteBuffer()
        for (name, value) in fields {
            buffer.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        for (name, data) in files {
            buffer.writeString(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"files\"; filename=\"\(name)\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n")
            buffer.writeBytes(data)
            buffer.writeString("\r\n")
        }
        buffer.writeString("--\(boundary)--\r\n")
        return (buffer, "multipart/form-data; boundary=\(boundary)")
    }

    @Test func aPDFUploadIsReadWithItsPages() async throws {
        try await TestService().test { api in
            let ada = try await api.register()
            let project = try await api.createProject(ada)
            let (body, type) = Self.body(files: [
                ("report.pdf", try ReaderFixtures.data("report.pdf")), ("broken.pdf", try ReaderFixtures.data("truncated.pdf")),
                ("notes.docx", try ReaderFixtures.data("notes.docx")),
            ])
            let upload = try await api.call(
                .post, "/projects/\(project)/documents", token: ada.access, body: body, headers: [.contentType: type])
            #expect(upload.status == .created)
            let items = try #require(try upload.json()["items"]?.arrayValue)
            #expect(items.map { $0["document"]?["status"]?.stringValue } == ["ready", "failed", "ready"])
            #expect(items[1]["document"]?["error"]?.stringValue?.hasPrefix("not a readable PDF") == true)

            let id = Int64(try #require(items[0]["document"]?["id"]?.doubleValue))
            let document = try await api.call(.get, "/documents/\(id)", token: ada.access).json()
            #expect(document["media_type"]?.stringValue == "application/pdf")
            #expect(document["metadata"]?["pages"] == 3)
            #expect(document["metadata"]?["page_starts"]?.arrayValue?.count == 3)
            let text = try #require(document["text"]?.stringValue)
            let range = try #require(text.range(of: "Officers closed"))
            let offset = text.unicodeScalars.distance(from: text.startIndex, to: range.lowerBound)
            let metadata = try #require(document["metadata"])
            let pages = try #require(PageStarts(metadata: metadata))
            #expect(pages.page(atOffset: offset) == 2)
        }
    }

    @Test func theOCRFieldReadsAScan() async throws {
        try await TestService().test { api in
            let ada = try await api.register()
            let project = try await api.createProject(ada)
            let scan = try ReaderFixtures.data("scanned.pdf")
            let (plain, type) = Self.body(files: [("scan.pdf", scan)])
            let refused = try await api.call(
                .post, "/projects/\(project)/documents", token: ada.access, body: plain, headers: [.contentType: type])
            #expect(
                try refused.json()["items"]?[0]?["document"]?["error"]?.stringValue
                    == "no text layer — a scanned PDF? add it with --ocr")

            let (asked, _) = Self.body(files: [("scan.pdf", scan)], fields: [("ocr", "true")])
            let read = try await api.call(
                .post, "/projects/\(project)/documents", token: ada.access, body: asked, headers: [.contentType: type])
            let item = try #require(try read.json()["items"]?[0])
            #expect(item["document"]?["status"]?.stringValue == "ready")
            let id = Int64(try #require(item["document"]?["id"]?.doubleValue))
            let document = try await api.call(.get, "/documents/\(id)", token: ada.access).json()
            #expect(document["metadata"]?["ocr"] == true)
            #expect(document["text"]?.stringValue?.contains("Officers closed") == true)

            try await api.call(
                .post, "/projects/\(project)/documents?ocr=maybe", token: ada.access, body: plain, headers: [.contentType: type]
            ).problem(.unprocessableContent, field: "ocr")
        }
    }
}

/// The value DTO's evidence carries its page when the document has pages.
@Suite struct EvidencePageDTOTests {
    @Test func evidencePage() {
        let value = APIExamples.extraction  // evidence at scalars 4–13
        #expect(ExtractionDTO(value, pages: PageStarts([0, 3])).evidence?.page == 2)
        #expect(ExtractionDTO(value, pages: PageStarts([0, 10])).evidence?.page == 1)
        #expect(ExtractionDTO(value).evidence?.page == nil)
        #expect(ExtractionDTO(value).evidence?.start == 4)
    }
}
