import AssayCore
import Foundation

/// Reads PDFs through poppler's command-line tools (Debian `poppler-utils`): `pdfinfo` for the page
/// count and encryption, `pdftotext` for the text, and — when the user asks — `pdftoppm` and
/// `tesseract` for OCR (`PDFOCR`). Each page's starting offset goes into the metadata
/// (`page_starts`), so every evidence offset maps to a page (`Document.page(atOffset:)`).
struct PDFReader {
    var source: String
    var title: String
    var options: IngestOptions

    static let mediaType = "application/pdf"

    func failed(_ reason: String) -> [DocumentInput] {
        [.failed(externalID: source, mediaType: Self.mediaType, reason: reason)]
    }

    /// An upload's bytes: written to a private temporary file, since the tools read files.
    func read(data: Data) -> [DocumentInput] {
        let folder: URL
        do {
            folder = try TemporaryFolder.make()
        } catch {
            return failed("cannot write a temporary copy of the PDF: \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("upload.pdf")
        do {
            try data.write(to: file)
        } catch {
            return failed("cannot write a temporary copy of the PDF: \(error.localizedDescription)")
        }
        return read(fileAt: file.path)
    }

    func read(fileAt path: String) -> [DocumentInput] {
        let info: PDFInfo
        switch PDFInfo.read(path, timeout: options.converterTimeout) {
        case .success(let read): info = read
        case .failure(let problem): return failed(problem.reason)
        }
        if info.pages == 0 { return failed("the PDF has no pages") }
        if info.pages > options.maxPDFPages {
            return failed(
                "the PDF has \(info.pages) pages, over the limit of \(options.maxPDFPages) pages; split it or raise the limit")
        }
        if options.ocr { return PDFOCR(reader: self, pages: info.pages).read(fileAt: path) }

        // No `-layout`: it keeps the page's columns side by side, so a two-column article comes
        // out as lines that alternate between columns and the model reads broken sentences. The
        // default (reading order) follows each column down and keeps sentences whole.
        let run = BoundedProcess.run(
            "pdftotext", ["-enc", "UTF-8", "-eol", "unix", path, "-"], timeout: options.converterTimeout,
            maxOutputBytes: options.maxExtractedTextBytes)
        let output: BoundedProcess.Output
        switch run {
        case .success(let done): output = done
        case .failure(let problem): return failed(problem.reason)
        }
        guard output.status == 0 else {
            if output.status == 3 || output.firstErrorLine.contains("Copying of text") {
                return failed("the PDF does not allow copying its text; save an unprotected copy")
            }
            return failed("pdftotext could not read the PDF (\(output.firstErrorLine)); is the file complete?")
        }
        let pages = Self.pages(fromFormFeedSeparated: String(decoding: output.stdout, as: UTF8.self))
        let document = Self.document(pages: pages, source: source, title: title, info: info, ocr: false)
        if document.text.allSatisfy(\.isWhitespace) {
            return failed("no text layer — a scanned PDF? add it with --ocr")
        }
        return [document]
    }

    /// pdftotext ends every page with a form feed; the text after the last one is not a page.
    static func pages(fromFormFeedSeparated text: String) -> [String] {
        var pages = text.split(separator: "\u{0C}", omittingEmptySubsequences: false).map(String.init)
        if pages.count > 1, pages.last?.allSatisfy(\.isWhitespace) == true { pages.removeLast() }
        return pages
    }

    /// One document from its pages' texts. Form feeds are not kept: pages are joined with a
    /// newline (a form feed inside a sentence's quote would never match), and each page's first
    /// scalar offset is recorded instead. NUL characters, which the store refuses, are dropped.
    static func document(pages: [String], source: String, title: String, info: PDFInfo, ocr: Bool) -> DocumentInput {
        var text = ""
        var starts: [Int] = []
        var offset = 0
        for (index, page) in pages.enumerated() {
            let clean = page.replacingOccurrences(of: "\u{0}", with: "").replacingOccurrences(of: "\u{0C}", with: "\n")
            starts.append(offset)
            text += clean
            offset += clean.unicodeScalars.count
            if index < pages.count - 1 {
                text += "\n"
                offset += 1
            }
        }
        var metadata: JSONValue = [
            "pages": .number(Double(info.pages)), PageStarts.metadataKey: PageStarts(starts).metadataValue,
        ]
        if ocr, case .object(var fields) = metadata {
            fields["ocr"] = true
            metadata = .object(fields)
        }
        if let pdfTitle = info.title, case .object(var fields) = metadata {
            fields["pdf_title"] = .string(pdfTitle)
            metadata = .object(fields)
        }
        return DocumentInput(externalID: source, title: title, mediaType: mediaType, text: text, metadata: metadata)
    }
}

/// What `pdfinfo` says about a PDF.
struct PDFInfo: Sendable {
    var pages: Int
    var encrypted: Bool
    var title: String?

    enum Problem: Error {
        case encrypted
        case broken(String)
        case tool(BoundedProcess.Problem)

        var reason: String {
            switch self {
            case .encrypted: "the PDF is encrypted; save an unprotected copy"
            case .broken(let line): "not a readable PDF (\(line)); the file may be truncated or damaged — save or download it again"
            case .tool(let problem): problem.reason
            }
        }
    }

    static func read(_ path: String, timeout: Double) -> Result<PDFInfo, Problem> {
        let output: BoundedProcess.Output
        switch BoundedProcess.run("pdfinfo", ["-enc", "UTF-8", path], timeout: timeout, maxOutputBytes: 1024 * 1024) {
        case .success(let done): output = done
        case .failure(let problem): return .failure(.tool(problem))
        }
        let errors = String(decoding: output.stderr.prefix(4096), as: UTF8.self)
        if errors.contains("Incorrect password") { return .failure(.encrypted) }
        guard output.status == 0 else { return .failure(.broken(output.firstErrorLine)) }
        var info = PDFInfo(pages: -1, encrypted: false, title: nil)
        for line in String(decoding: output.stdout, as: UTF8.self).split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon]
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "Pages": info.pages = Int(value) ?? -1
            case "Encrypted": info.encrypted = value.hasPrefix("yes")
            case "Title" where !value.isEmpty: info.title = String(value.prefix(500))
            default: break
            }
        }
        guard info.pages >= 0 else { return .failure(.broken("pdfinfo gave no page count")) }
        return .success(info)
    }
}

/// A private folder under the system's temporary folder, for the copies and page images the tools need.
enum TemporaryFolder {
    static func make() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("assay-ingest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        return url
    }
}
