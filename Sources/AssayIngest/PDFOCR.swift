import AssayCore
import Foundation

/// Optical character recognition of a PDF, page by page, when the user asks for it (`--ocr`, the
/// upload's `ocr` field): `pdftoppm` renders one page to a grey PNG, `tesseract` (English) reads it.
/// One page at a time keeps one page image on disk and in the OCR engine's memory.
struct PDFOCR {
    var reader: PDFReader
    var pages: Int

    /// The longest side of a rendered page in pixels: about 300 DPI on an A4 or Letter page, enough
    /// for tesseract; a bound, not a resolution, so a PDF declaring a page metres wide cannot make a
    /// gigapixel image.
    static let maxPagePixels = 3000

    func read(fileAt path: String) -> [DocumentInput] {
        let folder: URL
        do {
            folder = try TemporaryFolder.make()
        } catch {
            return reader.failed("cannot make a temporary folder for OCR: \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        var texts: [String] = []
        for page in 1...max(pages, 1) {
            switch readPage(page, of: path, in: folder) {
            case .success(let text): texts.append(text)
            case .failure(let problem): return reader.failed("OCR of page \(page): \(problem.reason)")
            }
        }
        let info = PDFInfo(pages: pages, encrypted: false, title: nil)
        let document = PDFReader.document(
            pages: texts, source: reader.source, title: reader.title, info: info, ocr: true)
        if document.text.allSatisfy(\.isWhitespace) { return reader.failed("OCR found no text on any page") }
        return [document]
    }

    struct Problem: Error {
        var reason: String
    }

    private func readPage(_ page: Int, of path: String, in folder: URL) -> Result<String, Problem> {
        let options = reader.options
        let image = folder.appendingPathComponent("page")
        let render = BoundedProcess.run(
            "pdftoppm",
            [
                "-f", "\(page)", "-l", "\(page)", "-singlefile", "-gray", "-png",
                "-scale-to", "\(Self.maxPagePixels)", path, image.path,
            ],
            timeout: options.converterTimeout, maxOutputBytes: 1024 * 1024)
        switch render {
        case .failure(let problem): return .failure(Problem(reason: problem.reason))
        case .success(let output) where output.status != 0:
            return .failure(Problem(reason: "pdftoppm could not render it (\(output.firstErrorLine))"))
        case .success: break
        }
        let png = image.path + ".png"
        defer { try? FileManager.default.removeItem(atPath: png) }
        // One thread: the machine's other cores belong to the rest of the ingest and to the model.
        let recognise = BoundedProcess.run(
            "tesseract", [png, "stdout", "-l", "eng"], timeout: options.converterTimeout,
            maxOutputBytes: options.maxExtractedTextBytes, environment: ["OMP_THREAD_LIMIT": "1"])
        switch recognise {
        case .failure(let problem): return .failure(Problem(reason: problem.reason))
        case .success(let output) where output.status != 0:
            return .failure(Problem(reason: "tesseract could not read it (\(output.firstErrorLine))"))
        case .success(let output):
            // tesseract ends a page with a form feed; pages are joined by the reader.
            let text = String(decoding: output.stdout, as: UTF8.self)
            return .success(text.trimmingCharacters(in: CharacterSet(charactersIn: "\u{0C}\n ")))
        }
    }
}
