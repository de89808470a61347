import AssayCore
import Foundation

/// Limits and field names for one ingest.
public struct IngestOptions: Sendable, Hashable {
    /// Which fields of JSON/JSONL records hold the id, text and title.
    public var recordFields: RecordFields
    /// Files larger than this become failed documents without being read.
    public var maxFileBytes: Int
    /// The same for JSON Lines files, which hold many documents (an export of a whole collection).
    public var maxRecordsFileBytes: Int
    /// The same for PDFs, which the converters read from disk (scans are large).
    public var maxPDFBytes: Int
    /// Read PDFs by optical character recognition (`--ocr`) instead of their text layer.
    public var ocr: Bool
    /// PDFs with more pages are refused with the numbers.
    public var maxPDFPages: Int
    /// How long one converter run (pdftotext, one page's OCR) may take, in seconds.
    public var converterTimeout: Double
    /// How much text one converter run may print.
    public var maxExtractedTextBytes: Int
    /// What a DOCX or ODT may expand to.
    public var zipLimits: ZipLimits

    public init(
        recordFields: RecordFields = RecordFields(), maxFileBytes: Int = 20 * 1024 * 1024,
        maxRecordsFileBytes: Int = 1024 * 1024 * 1024, maxPDFBytes: Int = 200 * 1024 * 1024, ocr: Bool = false,
        maxPDFPages: Int = 2000, converterTimeout: Double = 300, maxExtractedTextBytes: Int = 64 * 1024 * 1024,
        zipLimits: ZipLimits = ZipLimits()
    ) {
        self.recordFields = recordFields
        self.maxFileBytes = maxFileBytes
        self.maxRecordsFileBytes = maxRecordsFileBytes
        self.maxPDFBytes = maxPDFBytes
        self.ocr = ocr
        self.maxPDFPages = maxPDFPages
        self.converterTimeout = converterTimeout
        self.maxExtractedTextBytes = maxExtractedTextBytes
        self.zipLimits = zipLimits
    }

    func limit(for format: DocumentFormat) -> Int {
        switch format {
        case .jsonLines: maxRecordsFileBytes
        case .pdf: maxPDFBytes
        default: maxFileBytes
        }
    }
}

/// The files an ingest will read, found without reading them.
public struct IngestPlan: Sendable {
    /// Each file with its external id, in reading order.
    public var files: [(url: URL, externalID: String)] = []
    /// Hidden files and folders left alone.
    public var skipped: [String] = []
    /// Folders that could not be listed, as failed documents.
    public var unlistable: [DocumentInput] = []

    public init() {}
}

/// What ingest found: a document (ready or failed) for every file or record, and the hidden
/// files and folders it left alone.
public struct IngestBatch: Sendable, Hashable {
    public var documents: [DocumentInput]
    /// Hidden files and folders (names starting with `.`) met while walking folders, not read.
    public var skipped: [String]

    public init(documents: [DocumentInput] = [], skipped: [String] = []) {
        self.documents = documents
        self.skipped = skipped
    }

    public var ready: [DocumentInput] { documents.filter { $0.status != .failed } }
    public var failed: [DocumentInput] { documents.filter { $0.status == .failed } }
}

/// Ingest failures that stop the whole batch; problems with single files become failed documents instead.
public enum IngestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A path given by the user does not exist; nothing was read.
    case notFound(String)

    public var description: String {
        switch self {
        case .notFound(let path): "no such file or folder: \(path)"
        }
    }
}

/// Turns files and folders into documents to store. Folders are walked recursively in path order,
/// so the same folder always yields the same documents with the same external ids.
public enum Ingestor {
    /// Reads every file under `paths`.
    /// - Parameter base: external ids are paths relative to this folder when a file lies inside it,
    ///   else standardized absolute paths. Pass the project's folder (or the working directory) so
    ///   re-adding a folder finds the documents already stored.
    /// - Throws: `IngestError.notFound` before reading anything when a path does not exist.
    public static func collect(
        _ paths: [String], options: IngestOptions = IngestOptions(),
        relativeTo base: URL? = nil
    ) throws(IngestError) -> IngestBatch {
        let plan = try plan(paths, relativeTo: base)
        var batch = IngestBatch(documents: plan.unlistable, skipped: plan.skipped)
        for file in plan.files {
            batch.documents += readFile(at: file.url, externalID: file.externalID, options: options)
        }
        return batch
    }

    /// The files `paths` name, in the order `collect` reads them, without reading any: a caller
    /// that stores as it goes reads one file at a time (`readFile`) and holds no more in memory.
    public static func plan(_ paths: [String], relativeTo base: URL? = nil) throws(IngestError) -> IngestPlan {
        let fileManager = FileManager.default
        var roots: [URL] = []
        for path in paths {
            let url = URL(fileURLWithPath: path).standardizedFileURL
            guard fileManager.fileExists(atPath: url.path) else { throw .notFound(path) }
            roots.append(url.resolvingSymlinksInPath())
        }
        let basePath = base.map { $0.standardizedFileURL.resolvingSymlinksInPath().path }

        func externalID(_ url: URL) -> String {
            let path = url.path
            if let basePath {
                let prefix = basePath.hasSuffix("/") ? basePath : basePath + "/"
                if path.hasPrefix(prefix), path.count > prefix.count { return String(path.dropFirst(prefix.count)) }
            }
            return path
        }

        var plan = IngestPlan()
        var seenFiles = Set<String>()
        for root in roots {
            var walk = FolderWalk()
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue {
                walk.visit(folder: root)
            } else {
                walk.files.append(root)
            }
            plan.skipped += walk.skipped.map(externalID)
            for (url, reason) in walk.unlistable {
                plan.unlistable.append(.failed(externalID: externalID(url), mediaType: "inode/directory", reason: reason))
            }
            for file in walk.files.sorted(by: { $0.path < $1.path }) where seenFiles.insert(file.path).inserted {
                plan.files.append((file, externalID(file)))
            }
        }
        return plan
    }

    /// Reads one file's content as documents, for content that arrives without a file (an upload).
    /// - Parameter source: the external id of the file, whose extension picks the reader (`notes/a.md`).
    public static func read(_ data: Data, source: String, options: IngestOptions = IngestOptions()) -> [DocumentInput] {
        let url = URL(fileURLWithPath: source)
        guard let format = DocumentFormat(pathExtension: url.pathExtension) else {
            return [unsupported(url.pathExtension, externalID: source)]
        }
        return documents(
            from: data, format: format, source: source, title: url.deletingPathExtension().lastPathComponent,
            options: options)
    }

    // MARK: - One file

    /// One file's documents: one for a text file, one per record for JSON/JSONL, or a failed
    /// document with the reason when the file cannot be read.
    public static func readFile(at url: URL, externalID: String, options: IngestOptions) -> [DocumentInput] {
        let ext = url.pathExtension
        guard let format = DocumentFormat(pathExtension: ext) else { return [unsupported(ext, externalID: externalID)] }
        func failed(_ reason: String) -> [DocumentInput] {
            [.failed(externalID: externalID, mediaType: format.mediaType, reason: reason)]
        }

        // Check type and size before reading: a FIFO would block, a huge file would fill memory.
        let resolved = url.resolvingSymlinksInPath()
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: resolved.path) else {
            return failed(FileManager.default.fileExists(atPath: resolved.path) ? "cannot read file" : "broken link")
        }
        if let type = attributes[.type] as? FileAttributeType, type != .typeRegular {
            return failed("not a regular file")
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        if size == 0 { return failed("empty file") }
        if size > options.limit(for: format) { return failed(overLimit(size, options.limit(for: format))) }
        guard FileManager.default.isReadableFile(atPath: resolved.path) else {
            return failed("cannot read file: permission denied")
        }
        // PDFs and ZIP containers are read from the file as needed, not loaded whole.
        if format.isContainer {
            let title = url.deletingPathExtension().lastPathComponent
            return container(format, file: resolved, data: Data(), source: externalID, title: title, options: options)
        }
        let data: Data
        do {
            data = try Data(contentsOf: resolved)
        } catch {
            return failed("cannot read file: \(error.localizedDescription)")
        }
        return documents(
            from: data, format: format, source: externalID,
            title: url.deletingPathExtension().lastPathComponent, options: options)
    }

    static func documents(
        from data: Data, format: DocumentFormat, source: String, title: String,
        options: IngestOptions
    ) -> [DocumentInput] {
        func failed(_ reason: String) -> [DocumentInput] {
            [.failed(externalID: source, mediaType: format.mediaType, reason: reason)]
        }
        if data.isEmpty { return failed("empty file") }
        if data.count > options.limit(for: format) { return failed(overLimit(data.count, options.limit(for: format))) }
        if format.isContainer { return container(format, file: nil, data: data, source: source, title: title, options: options) }
        if format == .html { return [HTMLReader(source: source, title: title).read(data)] }
        let text: String
        switch TextDecoding.decode(data) {
        case .success(let decoded): text = decoded
        case .failure(let problem): return failed(problem.reason)
        }
        if text.allSatisfy(\.isWhitespace) { return failed("no text (the file holds only whitespace)") }

        switch format {
        case .plainText, .markdown:
            return TextReader(format: format, source: source, title: title).read(text)
        case .json:
            return RecordReader(fields: options.recordFields, source: source, fileTitle: title).readJSON(text)
        case .jsonLines:
            return RecordReader(fields: options.recordFields, source: source, fileTitle: title).readJSONLines(text)
        case .html:  // read above, before decoding: its encoding is the page's to declare
            return [HTMLReader(source: source, title: title).read(data)]
        case .pdf, .docx, .odt:  // read above, as binary containers
            return container(format, file: nil, data: data, source: source, title: title, options: options)
        }
    }

    /// A PDF, DOCX or ODT: from its file (`file`) when there is one, else from an upload's bytes.
    static func container(
        _ format: DocumentFormat, file: URL?, data: Data, source: String, title: String, options: IngestOptions
    ) -> [DocumentInput] {
        if format == .pdf {
            let reader = PDFReader(source: source, title: title, options: options)
            return file.map { reader.read(fileAt: $0.path) } ?? reader.read(data: data)
        }
        let kind = format == .docx ? "DOCX" : "ODT"
        do throws(ZipParts.Problem) {
            let zip = try ZipParts(file: file, data: data, kind: kind, limits: options.zipLimits)
            let document =
                format == .docx
                ? try DOCXReader(source: source, title: title).read(zip) : try ODTReader(source: source, title: title).read(zip)
            if document.text.allSatisfy(\.isWhitespace) {
                return [.failed(externalID: source, mediaType: format.mediaType, reason: "no text (the \(kind) is empty)")]
            }
            return [document]
        } catch {
            return [.failed(externalID: source, mediaType: format.mediaType, reason: error.reason)]
        }
    }

    static func unsupported(_ ext: String, externalID: String) -> DocumentInput {
        let type = ext.isEmpty ? "unsupported file type (no extension; " : "unsupported file type .\(ext.lowercased()) ("
        return .failed(
            externalID: externalID, mediaType: DocumentFormat.mediaType(ofUnsupportedExtension: ext),
            reason: "\(type)supported: \(DocumentFormat.supportedExtensionsText))")
    }

    static func overLimit(_ size: Int, _ limit: Int) -> String {
        "file is \(byteCount(size)), over the \(byteCount(limit)) limit"
    }

    /// `812 bytes`, `3.4 KB`, `25.3 MB`, with a whole number shown without `.0`.
    package static func byteCount(_ bytes: Int) -> String {
        func oneDecimal(_ value: Double) -> String {
            let text = String(format: "%.1f", value)
            return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
        }
        if bytes < 1024 { return bytes == 1 ? "1 byte" : "\(bytes) bytes" }
        if bytes < 1024 * 1024 { return "\(oneDecimal(Double(bytes) / 1024)) KB" }
        return "\(oneDecimal(Double(bytes) / (1024 * 1024))) MB"
    }
}

/// The files under a folder, without hidden entries, and without walking a folder twice through links.
package struct FolderWalk {
    package var files: [URL] = []
    package var skipped: [URL] = []
    package var unlistable: [(URL, String)] = []
    private var visited = Set<String>()

    package init() {}

    package mutating func visit(folder: URL) {
        guard visited.insert(folder.resolvingSymlinksInPath().path).inserted else { return }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            let reason = FileManager.default.isReadableFile(atPath: folder.path) ? error.localizedDescription : "permission denied"
            unlistable.append((folder, "cannot list folder: \(reason)"))
            return
        }
        for name in names.sorted() {
            let child = folder.appendingPathComponent(name)
            if name.hasPrefix(".") {
                skipped.append(child)
                continue
            }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: child.path, isDirectory: &isDirectory), isDirectory.boolValue {
                visit(folder: child)
            } else {
                files.append(child)
            }
        }
    }
}
